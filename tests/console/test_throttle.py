"""Commands that come too fast are refused before any database work, with the time to wait:
per member, and lower for expensive commands; counted in /metrics. A workspace past its pace
(everyone joining at a kickoff) waits its turn instead, and is refused only past its patience."""

from __future__ import annotations

import asyncio
import dataclasses

from adapters.console import ConsoleAdapter
from bot.platform import Capabilities
from bot.ratelimit import MEMBER, MEMBER_EXPENSIVE, Limits, Rate, Throttle


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


async def test_a_busy_workspace_waits_its_turn_and_is_refused_only_past_its_patience(
    cohort: ConsoleAdapter,
) -> None:
    people = ["dana", "erin", "finn", "gus"]
    busy = Limits(workspace=Rate(per_minute=600, burst=2))  # 2 at once, then one per 0.1 s
    cohort.app.dispatcher.throttle = Throttle(busy)
    replies = await asyncio.gather(
        *(cohort.app.handle(from_chat(cohort, p, '/cohort join "Fall 2026"')) for p in people)
    )
    assert all("You're in Fall 2026" in r.plain_text() for r in replies)

    cohort.app.dispatcher.throttle = Throttle(busy, patience=0.0)
    replies = [await cohort.app.handle(from_chat(cohort, p, "/streak")) for p in people]
    assert [r.ok for r in replies] == [True, True, False, False]
    assert "a lot of commands from your workspace" in replies[-1].plain_text()
