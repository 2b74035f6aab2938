"""Events API deliveries are handled once, and only count as handled once their handler finished:
a handler that fails (or a process that dies) leaves the event for Slack's next retry, and a retry
that arrives while the event is still being handled runs nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from adapters.slack.store import EventLog
from bot.invocation import Invocation
from bot.replies import Reply
from tests.slack.harness import SlackHarness, new_event_id, user_id

APPLY = 'apply Stripe "Backend Engineer"'


def dm_event(text: str = APPLY, user: str = "alice") -> dict[str, Any]:
    return {"text": text, "user": user_id(user), "channel": "D" + user.upper()}


async def retry(slack: SlackHarness, event_id: str, attempt: int = 1) -> int:
    status, _ = await slack.event("message_im", dm_event(), event_id=event_id, retry=attempt)
    return status


async def test_a_handler_that_failed_leaves_the_event_for_slacks_retry(
    cohort: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cohort.adapter.core.handle
    calls: list[Invocation] = []

    async def crashes_once(invocation: Invocation) -> Reply:
        if invocation.channel_id != "DALICE":  # the test's own look-ups (cohort.core)
            return await real(invocation)
        calls.append(invocation)
        if len(calls) == 1:
            raise ConnectionError("the database went away mid-command")
        return await real(invocation)

    monkeypatch.setattr(cohort.adapter.core, "handle", crashes_once)
    event_id = new_event_id()
    status, _ = await cohort.event("message_im", dm_event(), event_id=event_id)
    assert status == 200  # acknowledged at once, as Slack requires
    assert [type(e) for e in cohort.adapter.errors] == [ConnectionError]
    cohort.adapter.errors.clear()
    assert "(0)" in await cohort.core("apps")

    assert await retry(cohort, event_id) == 200
    assert len(calls) == 2, "the retry ran the event the failed handler had not finished"
    assert "Logged application A1" in cohort.reply_text()
    assert await retry(cohort, event_id, 2) == 200
    assert len(calls) == 2, "once handled, a later retry is ignored"
    assert "(1)" in await cohort.core("apps")


async def test_a_retry_while_the_event_is_being_handled_runs_nothing(
    cohort: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cohort.adapter.core.handle
    started, release = asyncio.Event(), asyncio.Event()
    calls: list[Invocation] = []

    async def slow(invocation: Invocation) -> Reply:
        if invocation.channel_id != "DALICE":  # the test's own look-ups (cohort.core)
            return await real(invocation)
        calls.append(invocation)
        started.set()
        await release.wait()
        return await real(invocation)

    monkeypatch.setattr(cohort.adapter.core, "handle", slow)
    event_id = new_event_id()
    status, _ = await cohort.event("message_im", dm_event(), event_id=event_id, drain=False)
    assert status == 200
    await started.wait()

    assert await retry(cohort, event_id) == 503, "Slack is told to come back later"
    assert len(calls) == 1
    release.set()
    await cohort.adapter.drain()
    assert await retry(cohort, event_id, 2) == 200
    assert len(calls) == 1, "the event ran once"
    assert len(cohort.fake.calls_to("chat.postMessage")) == 1
    assert "(1)" in await cohort.core("apps")


async def test_an_event_left_by_a_dead_process_is_taken_over_after_its_lease(
    cohort: SlackHarness, time_machine
) -> None:
    app = cohort.adapter.core
    event_id = new_event_id()
    dead_replica = EventLog(app.engine, app.clock)
    await dead_replica.claim(event_id)  # it claimed the event, then was killed

    assert await retry(cohort, event_id) == 503  # within the lease it may still be working
    assert cohort.fake.calls_to("chat.postMessage") == []
    time_machine.move_to(app.clock.now() + cohort.adapter.events.lease + timedelta(seconds=1))
    assert await retry(cohort, event_id, 2) == 200
    assert "Logged application A1" in cohort.reply_text()
    assert await retry(cohort, event_id, 3) == 200
    assert len(cohort.fake.calls_to("chat.postMessage")) == 1
    assert "(1)" in await cohort.core("apps")


async def test_an_event_with_nothing_to_do_is_done_at_once(cohort: SlackHarness) -> None:
    event_id = new_event_id()
    await cohort.event("app_home_opened", {"tab": "messages"}, event_id=event_id)
    assert await cohort.adapter.events.claim(event_id) == "done"
