"""Every example in the registry, typed as ``/ob ...`` in Slack, reaches Slack as promised."""

from __future__ import annotations

import pytest

from bot.commands import REGISTRY
from tests.examples import preparation
from tests.slack.harness import SlackHarness, unescape

EXAMPLES = [
    pytest.param(example, id=f"{command.name}: {example.text}")
    for command in REGISTRY
    for example in command.examples
]

SEED = [
    ("alice", 'apply Stripe "Backend Engineer" follow-up=today'),
    ("alice", 'outreach "Jane Doe" company=Stripe how=coffee follow-up=today'),
    ("alice", "practice 30m warm-up"),
    (
        "alice",
        'goal add "10 applications" specific=backend measurable="10 sent" actionable="2 a day" '
        'resonant=growth timely="in 4 weeks" metric=applications target=10',
    ),
    ("alice", 'barrier add "interview nerves" overcome="weekly mock interviews"'),
    ("dana", "me"),
]


@pytest.mark.parametrize("example", EXAMPLES)
async def test_example(cohort: SlackHarness, example) -> None:
    for user, line in SEED:
        await cohort.command(line, user=user)
    for user, line in preparation(example):
        await cohort.command(line.removeprefix("/"), user=user)
    cohort.fake.clear()
    await cohort.command(example.text.removeprefix("/"), user=example.as_user)
    shown = unescape("\n".join(call.text() for call in cohort.replies()))
    assert "⚠️" not in shown, shown
    assert example.expect in shown, shown
