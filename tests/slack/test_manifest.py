"""The committed Slack manifest is generated from the registry, and a test fails when it drifts."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.slack.cli import render_manifest
from adapters.slack.manifest import build_manifest, to_yaml
from adapters.slack.settings import SlackSettings
from adapters.slack.slash import slash_commands
from bot.commands import REGISTRY
from offerbound.cli import cli

COMMITTED = Path(__file__).parents[2] / "deploy" / "slack" / "manifest.yaml"


@pytest.fixture
def defaults(monkeypatch: pytest.MonkeyPatch) -> SlackSettings:
    for name in ("OFFERBOUND_SLACK_COMMAND", "OFFERBOUND_SLACK_ALIASES"):
        monkeypatch.delenv(name, raising=False)
    return SlackSettings(_env_file=None)


def test_the_committed_manifest_matches_the_registry(defaults: SlackSettings) -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render_manifest(defaults), (
        "deploy/slack/manifest.yaml drifted: run `offerbound slack manifest`"
    )


def test_every_command_is_offered_under_the_main_slash_command(defaults: SlackSettings) -> None:
    commands = slash_commands(defaults.command, defaults.aliases, REGISTRY)
    manifest = build_manifest(REGISTRY, commands)
    main, *aliases = manifest["features"]["slash_commands"]
    assert main["command"] == "/ob" and main["should_escape"] is True
    for command in REGISTRY:  # every command's words, grouped when names alone are too long
        assert all(word in main["usage_hint"] for word in command.name.split()), command.name
    assert len(main["usage_hint"]) <= 1000 and "…" not in main["usage_hint"]
    assert [a["command"] for a in aliases] == ["/apply", "/outreach", "/practice", "/standup"]
    apply = aliases[0]
    assert apply["description"] == REGISTRY.get("apply").summary
    assert apply["usage_hint"].startswith("COMPANY ROLE")


def test_the_manifest_asks_for_what_the_adapter_uses(defaults: SlackSettings) -> None:
    commands = slash_commands(defaults.command, defaults.aliases, REGISTRY)
    manifest = build_manifest(REGISTRY, commands, url="https://bot.example.org/")
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"] == "https://bot.example.org/slack/events"
    assert set(settings["event_subscriptions"]["bot_events"]) >= {"app_home_opened", "message.im"}
    assert settings["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["oauth_config"]["redirect_urls"] == [
        "https://bot.example.org/slack/oauth_redirect"
    ]
    assert {"commands", "chat:write", "im:history", "files:write"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )


def test_socket_mode_manifest_has_no_request_urls(defaults: SlackSettings) -> None:
    text = render_manifest(defaults, socket_mode=True)
    assert "socket_mode_enabled: true" in text
    assert "/slack/events" not in text


def test_configured_names_reach_the_manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFFERBOUND_SLACK_COMMAND", "/job")
    monkeypatch.setenv("OFFERBOUND_SLACK_ALIASES", "/job-apply=apply")
    text = render_manifest(SlackSettings(_env_file=None))
    assert '- command: "/job"' in text and '- command: "/job-apply"' in text
    assert '"/apply"' not in text


def test_yaml_is_block_style_with_quoted_strings() -> None:
    data = {"a": {"b": [{"c": 'say "hi"', "d": True}, "e: f"], "g": []}, "h": 3}
    assert to_yaml(data) == (
        'a:\n  b:\n    - c: "say \\"hi\\""\n      d: true\n    - "e: f"\n  g: []\nh: 3\n'
    )


def test_manifest_check_exits_1_on_drift(defaults: SlackSettings, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "manifest.yaml"
    result = runner.invoke(cli, ["slack", "manifest", "--output", str(target), "--check"])
    assert result.exit_code == 1
    assert "out of date" in result.output
    result = runner.invoke(cli, ["slack", "manifest", "--output", str(target)])
    assert result.exit_code == 0 and target.read_text() == render_manifest(defaults)
    result = runner.invoke(cli, ["slack", "manifest", "--output", str(target), "--check"])
    assert result.exit_code == 0, result.output
    target.write_text(target.read_text().replace("/ob", "/ob2"))
    assert (
        runner.invoke(cli, ["slack", "manifest", "--output", str(target), "--check"]).exit_code == 1
    )


def test_a_bad_command_name_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFFERBOUND_SLACK_ALIASES", "/jobs=nonsense")
    result = CliRunner().invoke(cli, ["slack", "manifest", "--output", "-"])
    assert result.exit_code == 2
    assert "no command 'nonsense'" in result.output
