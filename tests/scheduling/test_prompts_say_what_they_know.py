"""Issue 14: the coach digest and `/cohort prompt` say exactly what they know and do."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.scheduling.prompts import PromptContext, digest
from storage.models import Cohort, Member
from storage.repository import TenantRepository
from storage.scope import system_session


async def coach_digest(console: ConsoleAdapter, day: date) -> str:
    async with system_session(console.app.sessions) as session:
        coach = await session.scalar(select(Member).where(Member.platform_user_id == "coach"))
        group = await session.scalar(select(Cohort))
        assert coach is not None and group is not None
        repo = TenantRepository(session, coach.tenant_id)
        reply = await digest(PromptContext(repo, group, coach, day, console.app.clock.now()))
    assert reply is not None
    return reply.plain_text()


async def test_a_new_cohort_digest_does_not_claim_everyone_hit_their_targets(
    cohort: ConsoleAdapter, time_machine
) -> None:
    """alice and bob joined on Wednesday: on Monday nobody has even one full week."""
    time_machine.move_to(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), tick=False)
    text = await coach_digest(cohort, date(2026, 11, 23))
    assert "everyone hit" not in text and "met their targets" not in text
    assert "Nobody has two full weeks in the cohort yet, nor a full week" in text


async def test_after_one_full_week_the_digest_names_who_was_below_target(
    cohort: ConsoleAdapter, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 23, 10, 0, tzinfo=UTC), tick=False)
    for i in range(10):
        await cohort.say("alice", f"/apply Company{i} Developer")
        await cohort.say("alice", f"/outreach Person{i}")
    time_machine.move_to(datetime(2026, 11, 30, 8, 0, tzinfo=UTC), tick=False)
    text = await coach_digest(cohort, date(2026, 11, 30))
    assert "everyone hit" not in text
    assert "Nobody has two full weeks in the cohort yet; below target last week: " in text
    assert "alice (practice, hours); bob (applications, outreach, practice, hours)." in text


async def test_with_two_full_weeks_an_empty_list_says_whom_it_looked_at(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await cohort.say("coach", "/cohort settings applications=1 outreach=0 practice=0 hours=0")
    time_machine.move_to(datetime(2026, 11, 30, 10, 0, tzinfo=UTC), tick=False)
    await cohort.say("dana", '/cohort join "Fall 2026"')  # newer: not counted yet
    await cohort.say("alice", "/apply Stripe Developer date=2026-11-24")
    await cohort.say("bob", "/apply Acme Developer date=2026-11-30")
    time_machine.move_to(datetime(2026, 12, 7, 8, 0, tzinfo=UTC), tick=False)
    text = await coach_digest(cohort, date(2026, 12, 7))
    assert (
        "Nobody: all 2 members with two full weeks here met their targets in at least one of "
        "them. (1 newer member is not counted yet.)"
    ) in text
    await cohort.say("coach", "/cohort settings applications=2")
    text = await coach_digest(cohort, date(2026, 12, 7))
    assert "alice | applications | applications" in text


# -- /cohort prompt ----------------------------------------------------------------------------


async def test_prompt_now_names_whom_it_queued_for_and_who_is_left_out(
    cohort: ConsoleAdapter,
) -> None:
    await cohort.say("bob", "/skip")
    reply = await cohort.say("coach", "/cohort prompt standup")
    assert reply == (
        "📨 Queued the standup for alice; it goes out now. "
        "Left out: bob: already checked in or skipped today."
    )
    await cohort.say("alice", "/me status=paused until=2026-12-31")
    reply = await cohort.say("coach", "/cohort prompt standup")
    assert reply.startswith(
        "⚠️ Nothing is queued: nobody would get the standup now "
        "(alice: paused, bob: already checked in or skipped today)."
    )


async def test_prompt_now_for_the_digest_goes_to_the_coaches(cohort: ConsoleAdapter) -> None:
    assert await cohort.say("coach", "/cohort prompt digest") == (
        "📨 Queued the coach digest for coach; it goes out now."
    )


async def test_prompt_followups_says_when_nothing_is_due(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/apply Stripe Developer follow-up=today")
    assert await cohort.say("coach", "/cohort prompt followups") == (
        "📨 Queued the follow-ups DM for alice; it goes out now. "
        "Left out: bob: nothing due to follow up."
    )


async def test_prompt_summary_on_the_day_everyone_joined_explains_why_nothing_is_posted(
    cohort: ConsoleAdapter, time_machine
) -> None:
    """Issue 14: it answered "Queued" and then nothing was posted: the summary covers members
    due a check-in today, and members who joined today start tomorrow."""
    reply = await cohort.say("coach", "/cohort prompt summary")
    assert reply.startswith(
        "⚠️ Nothing is queued: nobody is due a check-in today, so there is no standup summary "
        "to post (alice: joined today: starts the next day; "
        "bob: joined today: starts the next day)."
    )
    time_machine.move_to(datetime(2026, 11, 19, 17, 0, tzinfo=UTC), tick=False)
    reply = await cohort.say("coach", "/cohort prompt summary")
    assert reply == "📨 Queued the standup summary to #console; it goes out now."


async def test_prompt_to_the_channel_without_one_says_so(cohort: ConsoleAdapter) -> None:
    from storage.models import Cohort as CohortRow

    async with system_session(cohort.app.sessions) as session:
        row = await session.scalar(select(CohortRow))
        assert row is not None
        row.channel_id = ""
        await session.commit()
    reply = await cohort.say("coach", "/cohort prompt leaderboard")
    assert reply.startswith(
        "⚠️ Nothing is queued: the cohort has no channel to post the leaderboard in."
    )
