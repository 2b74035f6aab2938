"""The deployment files parse and are wired the way docs/deploy.md says."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import yaml
from pydantic import SecretStr

from adapters.discord.plugin import PLUGIN
from adapters.discord.settings import DiscordSettings
from bot.logs import JsonFormatter, RedactSecrets
from bot.settings import Settings
from offerbound.platforms import PLUGINS

DEPLOY = Path(__file__).parents[2] / "deploy"


def test_compose_runs_the_bot_on_postgres_with_migrations() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    env = bot["environment"]
    assert env["OFFERBOUND_DATABASE_URL"].startswith("postgresql://offerbound:")
    assert "@db:5432/offerbound" in env["OFFERBOUND_DATABASE_URL"]
    assert env["OFFERBOUND_AUTO_MIGRATE"] == "true"
    assert bot["build"]["dockerfile"] == "deploy/Dockerfile"
    assert "3000:3000" in bot["ports"] and bot["command"][-2:] == ["--port", "3000"]


def test_dockerfile_is_multi_stage_non_root_with_a_health_check() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert text.count("FROM ") == 2
    assert "USER offerbound" in text and "HEALTHCHECK" in text and "/healthz" in text
    assert 'CMD ["offerbound", "run", "--port", "3000"]' in text


def test_env_example_documents_every_setting() -> None:
    example = (DEPLOY / ".env.example").read_text()
    names = {
        line.split("=", 1)[0] for line in example.splitlines() if line and not line.startswith("#")
    }
    models = [Settings] + [type(s) for p in PLUGINS if (s := p.load_settings()) is not None]
    for model in models:
        for field in model.model_fields.values():
            assert any(a in names for a in field.validation_alias.choices)  # type: ignore[union-attr]
    assert not [
        line
        for line in example.splitlines()
        if line.startswith(("SLACK_BOT_TOKEN=x", "DISCORD_TOKEN=x"))
    ]


def test_service_unit_migrates_then_runs() -> None:
    unit = (DEPLOY / "offerbound.service").read_text()
    assert "ExecStartPre=/opt/offerbound/venv/bin/offerbound db upgrade" in unit
    assert "ExecStart=/opt/offerbound/venv/bin/offerbound run" in unit
    assert "User=offerbound" in unit and "EnvironmentFile=" in unit


def test_json_logs_carry_extras_and_never_a_secret() -> None:
    settings = DiscordSettings(token=SecretStr("super-secret-token-123"), _env_file=None)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactSecrets(PLUGIN.secrets(settings)))
    log = logging.getLogger("test.deploy.json")
    log.addHandler(handler)
    log.propagate = False
    log.warning(
        "connecting with %s", "super-secret-token-123", extra={"tenant": "T1", "command": "apply"}
    )
    record = json.loads(stream.getvalue())
    assert record["message"] == "connecting with [redacted]"
    assert record["tenant"] == "T1" and record["command"] == "apply"
    assert record["level"] == "WARNING"


async def test_each_command_is_logged_with_tenant_and_request_id_but_no_text(
    console, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="offerbound.core")
    await console.say("alice", '/apply Stripe "Secret Project Falcon"')
    (record,) = [r for r in caplog.records if r.getMessage() == "command apply: ok"]
    assert record.tenant == "console:local" and len(record.request_id) == 12
    assert record.duration_ms >= 0
    assert "Falcon" not in JsonFormatter().format(record)
