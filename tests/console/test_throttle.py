"""Commands that come too fast are refused before any database work, with the time to wait:
per member, per workspace, and lower for expensive commands; counted in /metrics."""

from __future__ import annotations

import dataclasses

from adapters.console import ConsoleAdapter
from bot.platform import Capabilities
from bot.ratelimit import MEMBER, MEMBER_EXPENSIVE


def from_chat(console: ConsoleAdapter, user: str, line: str):  # type: ignore[no-untyped-def]
    """The invocation a chat platform would make (rate-limited, unlike the console)."""
    return dataclasses.replace(console.invocation(user, text=line), capabilities=Capabilities())


async def test_a_member_typing_too_fast_is_asked_to_wait(cohort: ConsoleAdapter) -> None:
    replies = [await cohort.app.handle(from_chat(cohort, "alice", "/streak")) for _ in range(40)]
    allowed = [r for r in replies if r.ok]
    assert len(allowed) == MEMBER.burst
    refused = replies[-1].plain_text()
    assert "a lot of commands from you in a short time; try again in" in refused
    assert (await cohort.app.handle(from_chat(cohort, "bob", "/streak"))).ok, "bob is not alice"
    metrics = cohort.app.metrics.render().decode()
    assert 'offerbound_throttled_commands_total{command="streak",scope="member"}' in metrics


async def test_expensive_commands_have_a_lower_limit(cohort: ConsoleAdapter) -> None:
    replies = [
        await cohort.app.handle(from_chat(cohort, "alice", "/chart week")) for _ in range(10)
    ]
    assert len([r for r in replies if r.ok]) == MEMBER_EXPENSIVE.burst
    assert (await cohort.app.handle(from_chat(cohort, "alice", "/streak"))).ok


async def test_the_operators_console_is_not_throttled(cohort: ConsoleAdapter) -> None:
    for _ in range(40):
        assert "Current streak" in await cohort.say("alice", "/streak")
