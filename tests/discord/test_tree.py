"""The slash-command tree: generated from the registry, within Discord's limits, committed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.discord.cli import cli
from adapters.discord.tree import (
    CHANNEL,
    CONTEXT_BOT_DM,
    INTEGER,
    MAX_COMBINED,
    STRING,
    SUB_COMMAND,
    USER,
    combined_length,
    command_tree,
    problems,
    render_json,
)
from bot.commands import REGISTRY
from bot.params import Kind, Param
from bot.registry import Command, Registry

COMMITTED = Path(__file__).parents[2] / "deploy" / "discord" / "commands.json"
TREE = command_tree(REGISTRY)


def _leaf(name: str) -> dict:
    words = name.split()
    node = next(c for c in TREE if c["name"] == words[0])
    if len(words) == 2:
        node = next(o for o in node["options"] if o["name"] == words[1])
    return node


def test_committed_tree_matches_the_registry() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render_json(TREE), (
        "run `offerbound discord commands --write` to regenerate deploy/discord/commands.json"
    )


def test_the_cli_check_passes_and_catches_drift(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["commands", "--check", "--path", str(COMMITTED)])
    assert ok.exit_code == 0, ok.output
    stale = tmp_path / "commands.json"
    stale.write_text("[]\n", encoding="utf-8")
    drift = runner.invoke(cli, ["commands", "--check", "--path", str(stale)])
    assert drift.exit_code == 1
    assert "out of date" in drift.output


def test_the_tree_fits_discords_limits() -> None:
    assert problems(TREE) == []
    assert all(combined_length(c) <= MAX_COMBINED for c in TREE)


def test_every_command_and_parameter_is_in_the_tree() -> None:
    for command in REGISTRY:
        leaf = _leaf(command.name)
        assert leaf["description"].startswith(command.summary[:60])
        assert [o["name"] for o in leaf.get("options", [])] == sorted(
            (p.name for p in command.params),
            key=lambda n: not command.param(n).required,  # type: ignore[union-attr]
        )


def test_groups_are_top_level_commands_with_subcommands() -> None:
    cohort = _leaf("cohort")
    assert {o["type"] for o in cohort["options"]} == {SUB_COMMAND}
    assert "create" in cohort["description"]
    assert len(TREE) == len(REGISTRY.groups()[None]) + len(REGISTRY.groups()) - 1


def test_options_are_typed_from_the_parameters() -> None:
    stage = {o["name"]: o for o in _leaf("app stage")["options"]}
    assert [c["value"] for c in stage["stage"]["choices"]][:2] == ["interested", "applied"]
    assert stage["id"]["autocomplete"] is True and stage["id"]["required"] is True
    assert stage["date"]["type"] == STRING and "fri" in stage["date"]["description"]
    settings = {o["name"]: o for o in _leaf("cohort settings")["options"]}
    assert settings["practice"] == {
        "type": INTEGER,
        "name": "practice",
        "description": "practice days a week",
        "required": False,
        "min_value": 0,
        "max_value": 7,
    }
    assert settings["timezone"]["autocomplete"] is True
    assert settings["channel"]["type"] == CHANNEL and settings["channel"]["channel_types"] == [0, 5]
    assert {o["name"]: o for o in _leaf("kudos")["options"]}["member"]["type"] == USER
    assert _leaf("contact show")["options"][0]["autocomplete"] is True
    assert _leaf("help")["options"][0]["autocomplete"] is True


def test_commands_work_in_servers_and_in_dms() -> None:
    assert all(CONTEXT_BOT_DM in c["contexts"] for c in TREE)


def test_coach_commands_say_so() -> None:
    assert _leaf("cohort report")["description"].endswith("(coaches)")


async def _noop(ctx, **values):  # pragma: no cover - never run
    return None


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        (Command("Apply", "x", _noop), "not a valid Discord name"),
        (Command("apply", "x" * 101, _noop), "description must be"),
        (
            Command(
                "apply",
                "x",
                _noop,
                params=tuple(Param(f"p{i}", Kind.TEXT, "p") for i in range(26)),
            ),
            "26 options",
        ),
    ],
)
def test_limit_breaches_are_reported(command: Command, problem: str) -> None:
    tree = command_tree(Registry([command]))
    if command.name == "apply" and len(command.summary) > 100:
        tree[0]["description"] = command.summary  # the generator clips; a hand edit might not
    assert any(problem in p for p in problems(tree)), problems(tree)


def test_a_tree_too_large_for_one_command_is_reported() -> None:
    huge = [{"type": 1, "name": "ob", "description": "d", "options": [dict(o) for o in TREE]}]
    assert any("combined characters" in p for p in problems(huge))


def test_json_is_stable() -> None:
    assert json.loads(render_json(TREE)) == TREE
