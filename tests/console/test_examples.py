"""Every example in a command's declaration runs through the console and must reply as promised."""

from __future__ import annotations

import pytest

from adapters.console import ConsoleAdapter
from bot.commands import REGISTRY
from tests.examples import preparation

EXAMPLES = [
    pytest.param(command, example, id=f"{command.name}: {example.text}")
    for command in REGISTRY
    for example in command.examples
]

SEED = [
    ("alice", '/apply Stripe "Backend Engineer" follow-up=today'),
    ("alice", '/outreach "Jane Doe" company=Stripe how=coffee follow-up=today'),
    ("alice", "/practice 30m warm-up"),
    (
        "alice",
        '/goal add "10 applications" specific=backend measurable="10 sent" actionable="2 a day" '
        'resonant=growth timely="in 4 weeks" metric=applications target=10',
    ),
    ("alice", '/barrier add "interview nerves" overcome="weekly mock interviews"'),
    ("dana", "/me"),
]


def test_every_command_has_an_example() -> None:
    missing = [c.name for c in REGISTRY if not c.examples]
    assert not missing, f"commands without examples: {missing}"


@pytest.mark.parametrize(("command", "example"), EXAMPLES)
async def test_example(cohort: ConsoleAdapter, command, example) -> None:
    for user, line in SEED:
        await cohort.say(user, line)
    for user, line in preparation(example):
        await cohort.say(user, line)
    reply = await cohort.say(example.as_user, example.text)
    assert "⚠️" not in reply, reply
    assert example.expect in reply, reply
