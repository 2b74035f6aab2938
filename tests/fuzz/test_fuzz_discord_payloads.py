"""Malformed Discord interactions through the real discord.py client and FakeDiscord's gateway:
commands, autocomplete, buttons and modal submissions with missing data, unknown names, options
of the wrong type, garbled custom ids, oversized values and no user. Each is answered with a
clear private notice (an autocomplete with no choices), never a traceback in the log, and
nothing is written."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.discord.conftest import cohort, discord, fake  # noqa: F401
from tests.discord.harness import GUILD, Answer, Harness, user_id
from tests.fakes.discord_server import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    COMPONENT,
    MODAL_SUBMIT,
    FakeInteraction,
    fixture,
)
from tests.fuzz.payload_checks import crashes, row_counts

ALICE = user_id("alice")
UNREADABLE = "can't read"


@dataclass(frozen=True)
class Case:
    name: str
    kind: int
    data: Any
    says: str  # in the private answer ("" for an autocomplete: no choices)
    guild: str | None = GUILD
    change: Callable[[dict[str, Any]], None] | None = None  # the payload, after it is built


def build(harness: Harness, case: Case) -> FakeInteraction:
    data = case.data if isinstance(case.data, dict) else {}
    interaction = harness.fake.interaction(case.kind, ALICE, data, guild_id=case.guild)
    payload = interaction.payload
    if case.data is None:
        payload.pop("data")
    elif not isinstance(case.data, dict):
        payload["data"] = case.data
    if case.kind == COMPONENT:  # a button press always carries the message it is on
        message = fixture("message")
        message.update(
            id=harness.fake.snowflake(),
            author=harness.fake.bot_user,
            channel_id=payload["channel_id"],
        )
        payload["message"] = message
    if case.change is not None:
        case.change(payload)
    return interaction


def command(name: str, options: Any = None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "1", "name": name, "type": 1}
    if options is not None:
        data["options"] = options
    return data


def opt(name: str, value: Any, focused: bool = False) -> dict[str, Any]:
    return {"name": name, "type": 3, "value": value, **({"focused": True} if focused else {})}


STATS = {"id": "1", "name": "stats", "type": 1}


def label(key: Any, value: Any, field: str = "value") -> dict[str, Any]:
    return {"type": 18, "id": 1, "component": {"type": 4, "id": 2, "custom_id": key, field: value}}


def modal(custom_id: str, components: Any) -> dict[str, Any]:
    return {"custom_id": custom_id, "components": components}


def button(custom_id: Any) -> dict[str, Any]:
    return {"custom_id": custom_id, "component_type": 2}


def drop(*keys: str) -> Callable[[dict[str, Any]], None]:
    def change(payload: dict[str, Any]) -> None:
        for key in keys:
            payload.pop(key, None)

    return change


EXPIRED = "expired"
NO_LONGER = "no longer works"
CASES = [
    # application commands
    Case("no data", APPLICATION_COMMAND, None, UNREADABLE),
    Case("data a list", APPLICATION_COMMAND, [1], UNREADABLE),
    Case("no name", APPLICATION_COMMAND, {"id": "1", "type": 1}, UNREADABLE),
    Case("an unknown command", APPLICATION_COMMAND, command("nope"), "don't know the command"),
    Case("options a string", APPLICATION_COMMAND, command("apply", "x"), UNREADABLE),
    Case("an option a string", APPLICATION_COMMAND, command("apply", ["x"]), UNREADABLE),
    Case(
        "an option without name",
        APPLICATION_COMMAND,
        command("apply", [{"type": 3, "value": "x"}]),
        UNREADABLE,
    ),
    Case(
        "an option whose value is an object",
        APPLICATION_COMMAND,
        command(
            "apply",
            [
                {"name": "company", "type": 3, "value": "A"},
                {"name": "role", "type": 3, "value": {"a": 1}},
            ],
        ),
        "option `role`",
    ),
    Case(
        "a required option missing",
        APPLICATION_COMMAND,
        command("apply", [{"name": "company", "type": 3, "value": "Acme"}]),
        "needs ROLE",
    ),
    Case(
        "an unknown option",
        APPLICATION_COMMAND,
        command("stats", [{"name": "zzz", "type": 3, "value": "x"}]),
        "no option",
    ),
    Case(
        "an integer option given text",
        APPLICATION_COMMAND,
        command("practice", [{"name": "minutes", "type": 4, "value": "lots"}]),
        "",
    ),
    Case(
        "a subcommand without name",
        APPLICATION_COMMAND,
        command("cohort", [{"type": 1}]),
        UNREADABLE,
    ),
    Case(
        "a subcommand's options a string",
        APPLICATION_COMMAND,
        command("cohort", [{"type": 1, "name": "create", "options": "zz"}]),
        UNREADABLE,
    ),
    Case(
        "a value too long",
        APPLICATION_COMMAND,
        command(
            "apply",
            [
                {"name": "company", "type": 3, "value": "x" * 10_000},
                {"name": "role", "type": 3, "value": "Dev"},
            ],
        ),
        "characters long",
    ),
    # autocomplete: always answered, with no choices
    Case("autocomplete without data", AUTOCOMPLETE, None, ""),
    Case(
        "autocomplete of an unknown command",
        AUTOCOMPLETE,
        command("nope", [{"name": "x", "type": 3, "value": "a", "focused": True}]),
        "",
    ),
    Case(
        "autocomplete of a value that is an object",
        AUTOCOMPLETE,
        command(
            "app",
            [
                {
                    "type": 1,
                    "name": "show",
                    "options": [{"name": "ref", "type": 3, "value": {"a": 1}, "focused": True}],
                }
            ],
        ),
        "",
    ),
    # buttons
    Case("a button without data", COMPONENT, None, UNREADABLE),
    Case("a button without custom_id", COMPONENT, {"component_type": 2}, UNREADABLE),
    Case("a custom_id that is a number", COMPONENT, button(5), NO_LONGER),
    Case("a custom_id not ours", COMPONENT, button("someone-else"), NO_LONGER),
    Case("our prefix alone", COMPONENT, button("ob:"), NO_LONGER),
    Case("an unknown action", COMPONENT, button("ob:zap:x"), NO_LONGER),
    Case("run with nothing", COMPONENT, button("ob:run:"), "Type a command"),
    Case("run junk", COMPONENT, button("ob:run:" + "x" * 90), "don't know the command"),
    Case("an unknown stash token", COMPONENT, button("ob:ref:zzz"), EXPIRED),
    Case("next with junk", COMPONENT, button("ob:next:zzz"), EXPIRED),
    Case("next with a junk part", COMPONENT, button("ob:next:tok:abc"), EXPIRED),
    Case("next with a huge part", COMPONENT, button("ob:next:t:" + "9" * 40), EXPIRED),
    Case("retry an unknown form", COMPONENT, button("ob:retry:zz"), EXPIRED),
    Case("a modal's id on a button", COMPONENT, button("ob:form:apply"), NO_LONGER),
    Case("a part's id on a button", COMPONENT, button("ob:part:x:1"), NO_LONGER),
    # modal submissions
    Case("a modal without data", MODAL_SUBMIT, None, UNREADABLE),
    Case("a modal without components", MODAL_SUBMIT, {"custom_id": "ob:form:apply"}, UNREADABLE),
    Case("components a string", MODAL_SUBMIT, modal("ob:form:apply", "x"), "needs COMPANY"),
    Case("components junk", MODAL_SUBMIT, modal("ob:form:apply", ["x", 1, [2]]), "needs COMPANY"),
    Case(
        "an unknown field",
        MODAL_SUBMIT,
        modal("ob:form:apply", [label("company", "A"), label("role", "B"), label("nope", "x")]),
        "no option",
    ),
    Case(
        "an answer that is a number",
        MODAL_SUBMIT,
        modal("ob:form:apply", [label("company", 5), label("role", "Dev")]),
        "`company`",
    ),
    Case(
        "selected values that are a string",
        MODAL_SUBMIT,
        modal("ob:form:apply", [label("company", "abc", "values")]),
        "`company`",
    ),
    Case(
        "an answer too long",
        MODAL_SUBMIT,
        modal("ob:form:apply", [label("company", "x" * 10_000), label("role", "Dev")]),
        "characters long",
    ),
    Case("a form of an unknown command", MODAL_SUBMIT, modal("ob:form:nope", []), "don't know"),
    Case("a part with a junk token", MODAL_SUBMIT, modal("ob:part:zz:abc", []), EXPIRED),
    Case("a modal id not ours", MODAL_SUBMIT, modal("zzz", []), NO_LONGER),
    # who and where
    Case(
        "a DM without user",
        APPLICATION_COMMAND,
        command("stats"),
        "names no user",
        None,
        drop("user"),
    ),
    Case(
        "a server interaction without member",
        APPLICATION_COMMAND,
        command("stats"),
        "names no member",
        change=drop("member"),
    ),
]


async def send(harness: Harness, interaction: FakeInteraction) -> Answer:
    await harness.fake.send_interaction(interaction)
    return await harness.finish(interaction)


async def test_malformed_interactions_get_clear_answers_and_change_nothing(
    cohort: Harness,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert cohort.app is not None
    for case in CASES:
        caplog.clear()
        before = await row_counts(cohort.app)
        with caplog.at_level(logging.WARNING):
            answer = await send(cohort, build(cohort, case))
        where = f"{case.name}: {answer.callback.json}"[:600]
        assert answer.callback.status == 200, where
        if case.kind == AUTOCOMPLETE:
            assert answer.kind == 8 and answer.data["choices"] == [], where
        else:
            assert answer.kind == 4 and answer.ephemeral, where
            assert case.says in answer.text(), where
        assert crashes(caplog) == [], where
        assert await row_counts(cohort.app) == before, f"{case.name} wrote something"
        assert not cohort.fake.refusals(), where


async def test_the_bot_still_answers_after_malformed_interactions(
    cohort: Harness,  # noqa: F811
) -> None:
    """discord.py would have ended the gateway connection on the first of these."""
    for case in CASES:
        if case.change is not None or case.data is None:
            await send(cohort, build(cohort, case))
    answer = await cohort.say("alice", "/stats")
    assert "Applications" in answer.text()
