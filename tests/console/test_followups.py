"""/followups and /followup through the console: what is due, done, snooze and bad ids."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from storage.models import Application, Contact
from storage.scope import system_session


async def follow_ups(console: ConsoleAdapter) -> dict[str, date | None]:
    """Every follow-up date by the id users see (A1, C1...)."""
    async with system_session(console.app.sessions) as session:
        apps = (await session.scalars(select(Application))).all()
        contacts = (await session.scalars(select(Contact))).all()
    return {
        **{f"A{a.id}": a.follow_up for a in apps},
        **{f"C{c.id}": c.follow_up for c in contacts},
    }


async def seed(console: ConsoleAdapter) -> None:
    """Wednesday Nov 18: A1 due today, A2 3 days overdue, A3 in the future;
    C1 1 day overdue, C2 5 days overdue, C3 without a follow-up."""
    await console.say("alice", '/apply Stripe "Backend Engineer" follow-up=today next="email"')
    await console.say(
        "alice", '/apply Acme Developer date="5 days ago" follow-up=2026-11-15 force=yes'
    )
    await console.say("alice", "/apply Zeta Developer follow-up=fri")
    await console.say("alice", '/outreach "Jane Doe" company=Stripe follow-up=2026-11-17 force=yes')
    await console.say("alice", "/outreach Sam date=2026-11-10 follow-up=2026-11-13 force=yes")
    await console.say("alice", "/outreach Priya")


async def test_followups_lists_due_and_overdue_sorted_by_date(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/followups")
    assert "Follow-ups due (4)" in reply
    stripped = (line.strip() for line in reply.splitlines())
    lines = {line.split()[0]: line for line in stripped if re.match(r"[AC]\d+ ", line)}
    assert list(lines) == ["C2", "A2", "C1", "A1"]
    assert lines["C2"].endswith("5 days overdue")
    assert lines["A2"].endswith("3 days overdue")
    assert lines["C1"].endswith("1 day overdue")
    assert lines["A1"].endswith("due today")
    assert "Backend Engineer at Stripe (applied)" in lines["A1"]
    assert "email" in lines["A1"]
    assert "Jane Doe at Stripe" in lines["C1"]


async def test_followups_leave_out_future_and_unscheduled(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/followups")
    assert "Zeta" not in reply
    assert "A3" not in reply
    assert "Priya" not in reply
    assert "due in" not in reply


async def test_followups_offer_buttons_for_the_first_item(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/followups")
    assert "type: /followup done C2" in reply
    assert "type: /followup snooze C2" in reply


async def test_followups_empty_message(cohort: ConsoleAdapter) -> None:
    assert await cohort.say("alice", "/followups") == (
        "🎯 Nothing to follow up on today. Nice and tidy!"
    )


async def test_followups_empty_when_only_future_ones(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/apply Stripe Developer follow-up=tomorrow")
    assert "Nothing to follow up on today" in await cohort.say("alice", "/followups")


async def test_followups_become_due_as_time_passes(cohort: ConsoleAdapter, time_machine) -> None:
    await cohort.say("alice", "/apply Stripe Developer follow-up=fri")
    time_machine.move_to(datetime(2026, 11, 21, 9, 0, tzinfo=UTC), tick=False)
    reply = await cohort.say("alice", "/followups")
    assert "Follow-ups due (1)" in reply
    assert "1 day overdue" in reply


async def test_followups_due_today_uses_the_members_time_zone(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await cohort.say("alice", "/apply Stripe Developer follow-up=thu")
    # Wednesday 20:00 UTC is already Thursday morning in Tokyo.
    time_machine.move_to(datetime(2026, 11, 18, 20, 0, tzinfo=UTC), tick=False)
    assert "Nothing to follow up" in await cohort.say("alice", "/followups")
    await cohort.say("alice", "/me timezone=Asia/Tokyo")
    assert "due today" in await cohort.say("alice", "/followups")


async def test_followups_are_per_member(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    assert "Nothing to follow up on today" in await cohort.say("bob", "/followups")


# -- /followup done ----------------------------------------------------------------------------


async def test_followup_done_clears_an_application(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/followup done A1")
    assert reply == "✅ Done: followed up on A1 Backend Engineer at Stripe (applied)."
    assert (await follow_ups(cohort))["A1"] is None
    assert "A1" not in await cohort.say("alice", "/followups")


async def test_followup_done_clears_a_contact(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/followup done c1")
    assert reply == "✅ Done: followed up on C1 Jane Doe at Stripe."
    assert (await follow_ups(cohort))["C1"] is None


async def test_followup_done_with_next_reschedules(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", '/followup done C1 next="in 7 days"')
    assert reply.endswith("Next one on Wed Nov 25.")
    assert (await follow_ups(cohort))["C1"] == date(2026, 11, 25)
    assert "C1" not in await cohort.say("alice", "/followups")


async def test_followup_done_twice_says_nothing_is_scheduled(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    await cohort.say("alice", "/followup done A1")
    reply = await cohort.say("alice", "/followup done A1")
    assert reply == "A1 has no follow-up scheduled."


async def test_followup_done_bad_next_changes_nothing(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/followup done A1 next=someday")
    assert reply.startswith("⚠️")
    assert "`next`:" in reply
    assert "Usage: `/followup done ID [next=NEXT]`" in reply
    assert (await follow_ups(cohort))["A1"] == date(2026, 11, 18)


async def test_followup_done_refuses_a_next_date_in_the_past(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/followup done A1 next=yesterday")
    assert reply.startswith("⚠️")
    assert (await follow_ups(cohort))["A1"] == date(2026, 11, 18)


# -- /followup snooze --------------------------------------------------------------------------


async def test_followup_snooze_defaults_to_three_days(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/followup snooze A2")
    assert reply == "😴 Snoozed A2 until Sat Nov 21."
    assert (await follow_ups(cohort))["A2"] == date(2026, 11, 21)
    assert "A2" not in await cohort.say("alice", "/followups")


async def test_followup_snooze_to_an_explicit_date(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    assert await cohort.say("alice", "/followup snooze C2 2026-12-01") == (
        "😴 Snoozed C2 until Tue Dec 1."
    )
    assert await cohort.say("alice", "/followup snooze A1 mon") == (
        "😴 Snoozed A1 until Mon Nov 23."
    )
    stored = await follow_ups(cohort)
    assert (stored["C2"], stored["A1"]) == (date(2026, 12, 1), date(2026, 11, 23))


async def test_followup_snooze_schedules_one_that_had_none(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    assert "Snoozed C3 until Sat Nov 21" in await cohort.say("alice", "/followup snooze C3")
    assert (await follow_ups(cohort))["C3"] == date(2026, 11, 21)


@pytest.mark.parametrize("until", ["yesterday", "today", "2026-11-01", '"2 days ago"'])
async def test_followup_snooze_rejects_today_and_the_past(
    cohort: ConsoleAdapter, until: str
) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", f"/followup snooze A2 {until}")
    assert reply.startswith("⚠️ Snooze to a day after today")
    assert "Usage: `/followup snooze ID [UNTIL]`" in reply
    assert (await follow_ups(cohort))["A2"] == date(2026, 11, 15)


# -- bad ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["done", "snooze"])
@pytest.mark.parametrize("raw", ["Z5", "5", "#5"])
async def test_followup_rejects_ids_that_are_not_a_or_c(
    cohort: ConsoleAdapter, command: str, raw: str
) -> None:
    reply = await cohort.say("alice", f"/followup {command} {raw}")
    assert reply.startswith(f"⚠️ `{raw}` is not a follow-up id; use A12")
    assert f"Usage: `/followup {command} ID" in reply


@pytest.mark.parametrize("raw", ["A999", "C999"])
async def test_followup_unknown_id(cohort: ConsoleAdapter, raw: str) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", f"/followup done {raw}")
    assert reply.startswith(f"⚠️ You have nothing to follow up with id {raw}.")
    assert "/followups" in reply


async def test_followup_malformed_a_id(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/followup done Ax")
    assert reply.startswith("⚠️ `AX` is not an application id")


async def test_followup_cannot_touch_another_members_items(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    before = await follow_ups(cohort)
    for line in (
        "/followup done A1",
        "/followup done C1",
        '/followup done A1 next="in 7 days"',
        "/followup snooze A1",
        "/followup snooze C1 2026-12-01",
    ):
        reply = await cohort.say("bob", line)
        assert reply.startswith("⚠️ You have nothing to follow up with id"), (line, reply)
    assert await follow_ups(cohort) == before


# -- closed applications ----------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["rejected", "withdrawn", "accepted"])
async def test_a_closed_application_leaves_every_follow_up_list(
    cohort: ConsoleAdapter, stage: str
) -> None:
    """Issue 14: a rejected application still showed in /followups, the morning DM and the
    dashboard (only the calendar left it out)."""
    from bot.calendar.feed import calendar_facts
    from bot.scheduling.prompts import PromptContext, followups
    from storage.models import Cohort, Member

    await seed(cohort)
    await cohort.say("alice", f"/app stage A2 {stage}")
    assert "A2" not in await cohort.say("alice", "/followups")
    dashboard = await cohort.say("alice", "/dashboard")
    assert "A2 Developer at Acme" not in dashboard and "A1 Backend Engineer" in dashboard
    async with system_session(cohort.app.sessions) as session:
        alice = await session.scalar(select(Member).where(Member.platform_user_id == "alice"))
        group = await session.scalar(select(Cohort))
        assert alice is not None and group is not None
        from storage.repository import TenantRepository

        repo = TenantRepository(session, alice.tenant_id)
        now = cohort.app.clock.now()
        dm = await followups(PromptContext(repo, group, alice, date(2026, 11, 18), now))
        facts = await calendar_facts(repo, alice, group, now)
    assert dm is not None and "A2" not in dm.plain_text() and "A1" in dm.plain_text()
    assert "followup-a2" not in {f.uid for f in facts.followups}
    assert "followup-a1" in {f.uid for f in facts.followups}
