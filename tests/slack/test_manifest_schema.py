"""The generated manifest, in HTTP and Socket Mode, against Slack's published manifest schema.

Slack publishes the schema at https://github.com/slackapi/manifest-schema (MIT licence, (c) Slack
Technologies, LLC); a manifest without ``_metadata`` is checked against
``schemas/manifest.schema.1.0.0.json`` (``manifest.schema.json``'s third ``oneOf`` branch). The
schema is not vendored here (this project's rules keep copies of fetched repositories out of its
commits), so ``CONSTRAINTS`` restates, for every key Offerbound's manifest uses, the constraint
that schema states (v0.5.0, commit c50cfa8), and ``jsonschema`` checks the manifest against it.
With ``OFFERBOUND_SLACK_MANIFEST_SCHEMA`` pointing at a local copy of
``schemas/manifest.schema.1.0.0.json``, the manifest is also checked against the whole schema.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from typer.testing import CliRunner

from adapters.slack.cli import render_manifest
from adapters.slack.manifest import build_manifest
from adapters.slack.settings import SlackSettings
from adapters.slack.slash import slash_commands
from bot.commands import REGISTRY
from offerbound.cli import cli

# "pattern": "^https?:\\/\\/" with the maxLength of each URL field
REQUEST_URL = {"type": "string", "pattern": "^https?:\\/\\/", "maxLength": 3500}
BOOLEAN = {"type": "boolean"}
SCOPES = {"type": "array", "items": {"type": "string", "maxLength": 50}, "maxItems": 255}
CONSTRAINTS: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["display_information"],
    "additionalProperties": False,
    "properties": {
        "display_information": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 35},
                "description": {"type": "string", "minLength": 1, "maxLength": 140},
                # upstream writes this one as "regex", which validators ignore; checked here
                "background_color": {
                    "type": "string",
                    "minLength": 4,
                    "maxLength": 7,
                    "pattern": "^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$",
                },
                "long_description": {"type": "string", "minLength": 175, "maxLength": 4000},
            },
        },
        "features": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "app_home": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "home_tab_enabled": BOOLEAN,
                        "messages_tab_enabled": BOOLEAN,
                        "messages_tab_read_only_enabled": BOOLEAN,
                    },
                },
                "bot_user": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["display_name"],
                    "properties": {
                        "display_name": {"type": "string", "minLength": 1, "maxLength": 80},
                        "always_online": BOOLEAN,
                    },
                },
                "slash_commands": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 50,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["command", "description"],
                        "properties": {
                            "command": {
                                "type": "string",
                                "minLength": 2,
                                "maxLength": 32,
                                "pattern": "^\\/",
                            },
                            "url": {**REQUEST_URL, "maxLength": 3000},
                            "description": {"type": "string", "minLength": 1, "maxLength": 2000},
                            "usage_hint": {"type": "string", "minLength": 1, "maxLength": 1000},
                            "should_escape": BOOLEAN,
                        },
                    },
                },
            },
        },
        "oauth_config": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "redirect_urls": {
                    "type": "array",
                    "uniqueItems": True,
                    "maxItems": 1000,
                    "items": {"type": "string", "maxLength": 2500},
                },
                "scopes": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"bot": SCOPES, "user": SCOPES},
                },
            },
        },
        "settings": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "event_subscriptions": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "request_url": REQUEST_URL,
                        "bot_events": {
                            "type": "array",
                            "items": {"type": "string", "maxLength": 50},
                            "maxItems": 100,
                            "uniqueItems": True,
                        },
                    },
                },
                "interactivity": {
                    "type": "object",
                    "required": ["is_enabled"],
                    "additionalProperties": False,
                    "properties": {
                        "is_enabled": BOOLEAN,
                        "request_url": REQUEST_URL,
                        "message_menu_options_url": REQUEST_URL,
                    },
                },
                "org_deploy_enabled": BOOLEAN,
                "socket_mode_enabled": BOOLEAN,
                "token_rotation_enabled": BOOLEAN,
            },
        },
    },
}


@pytest.fixture
def defaults(monkeypatch: pytest.MonkeyPatch) -> SlackSettings:
    for name in ("OFFERBOUND_SLACK_COMMAND", "OFFERBOUND_SLACK_ALIASES"):
        monkeypatch.delenv(name, raising=False)
    return SlackSettings(_env_file=None)


def problems(manifest: dict[str, Any], schema: dict[str, Any] = CONSTRAINTS) -> list[str]:
    errors = Draft7Validator(schema).iter_errors(manifest)
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def generated(settings: SlackSettings, **options: Any) -> dict[str, Any]:
    """The manifest as Slack reads it: the YAML the command writes, parsed."""
    data: dict[str, Any] = yaml.safe_load(render_manifest(settings, **options))
    return data


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"url": "https://bot.example.org"},
        {"url": "http://localhost:3000"},
        {"socket_mode": True},
    ],
    ids=["placeholder", "https", "localhost", "socket-mode"],
)
def test_the_generated_manifest_meets_slacks_schema(
    defaults: SlackSettings, options: dict[str, Any]
) -> None:
    assert problems(generated(defaults, **options)) == []


def test_the_constraints_catch_a_url_without_a_scheme(defaults: SlackSettings) -> None:
    commands = slash_commands(defaults.command, defaults.aliases, REGISTRY)
    manifest = json.loads(json.dumps(build_manifest(REGISTRY, commands, url="bot.example.com")))
    found = problems(manifest)
    assert len(found) == len(commands) + 3  # each slash command, events, interactivity x2
    assert all("does not match '^https?:\\\\/\\\\/'" in p for p in found)


@pytest.mark.parametrize("url", ["bot.example.com", "http://bot.example.com", "ftp://x", ""])
def test_manifest_refuses_a_url_slack_cannot_call(
    defaults: SlackSettings, tmp_path: Path, url: str
) -> None:
    target = tmp_path / "manifest.yaml"
    result = CliRunner().invoke(cli, ["slack", "manifest", "--url", url, "--output", str(target)])
    assert result.exit_code == 2, result.output
    assert "--url must be a full https:// address" in result.output
    assert "https://" in result.output and not target.exists()


def test_manifest_takes_https_and_local_development_urls(
    defaults: SlackSettings, tmp_path: Path
) -> None:
    for url in (
        "https://bot.example.com",
        "https://bot.example.com:8443/base",
        "http://127.0.0.1:3000",
    ):
        result = CliRunner().invoke(cli, ["slack", "manifest", "--url", url, "--output", "-"])
        assert result.exit_code == 0, result.output
        assert f'"{url.rstrip("/")}/slack/events"' in result.output


SCHEMA = os.environ.get("OFFERBOUND_SLACK_MANIFEST_SCHEMA", "")


@pytest.mark.skipif(not SCHEMA, reason="OFFERBOUND_SLACK_MANIFEST_SCHEMA is not set")
@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket-mode"])
def test_against_the_whole_published_schema(defaults: SlackSettings, socket_mode: bool) -> None:
    schema = json.loads(Path(SCHEMA).read_text(encoding="utf-8"))
    url = None if socket_mode else "https://bot.example.org"
    assert problems(generated(defaults, url=url, socket_mode=socket_mode), schema) == []
    no_scheme = generated(defaults, url="https://bot.example.com")
    no_scheme["settings"]["event_subscriptions"]["request_url"] = "bot.example.com/slack/events"
    assert problems(no_scheme, schema) != []
