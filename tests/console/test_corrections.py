"""Corrections with an audit trail (issue 14): /log, /edit, /delete, /undo, duplicates asked
about, bare-number durations refused, and improbable dates confirmed with force=yes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from storage.models import Application, Change, Contact, HourLog, PracticeLog, StageChange
from storage.scope import system_session


async def count(console: ConsoleAdapter, model: type) -> int:
    async with system_session(console.app.sessions) as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def one(console: ConsoleAdapter, model: type, number: int):
    async with system_session(console.app.sessions) as session:
        return await session.scalar(select(model).where(model.number == number))


async def ok(console: ConsoleAdapter, user: str, line: str) -> str:
    reply = await console.ask(user, line)
    assert reply.ok, reply.plain_text()
    return reply.plain_text()


async def refused(console: ConsoleAdapter, user: str, line: str, field: str | None = None) -> str:
    reply = await console.ask(user, line)
    assert not reply.ok, reply.plain_text()
    if field is not None:
        assert reply.field == field, (reply.field, reply.plain_text())
    return reply.plain_text()


# -- ids and /log ------------------------------------------------------------------------------


async def test_practice_and_hours_logs_get_ids_and_log_lists_every_kind(
    cohort: ConsoleAdapter,
) -> None:
    assert "Saved as P1." in await ok(cohort, "alice", "/practice 30m katas")
    assert "Saved as H1." in await ok(cohort, "alice", "/hours research 2h fintech list")
    await ok(cohort, "alice", '/apply Stripe "Backend Engineer"')
    await ok(cohort, "alice", '/outreach "Jane Doe" company=Stripe date=today')
    await ok(cohort, "bob", "/practice 20m bob's katas")
    text = await ok(cohort, "alice", "/log")
    research = "2h Research & tracking fintech list"
    for shown in ("P1", "H1", "A1", "C1", "30m practice katas", research):
        assert shown in text
    assert "bob's katas" not in text and "P2" not in text
    only = await ok(cohort, "alice", "/log kind=hours")
    assert "H1" in only and "P1" not in only and "A1" not in only


async def test_log_is_newest_first_and_limited(cohort: ConsoleAdapter, time_machine) -> None:
    await ok(cohort, "alice", "/practice 30m first")
    time_machine.shift(timedelta(minutes=1))
    await ok(cohort, "alice", "/practice 30m second")
    time_machine.shift(timedelta(minutes=1))
    await ok(cohort, "alice", "/practice 30m third")
    text = await ok(cohort, "alice", "/log limit=2")
    assert "third" in text and "second" in text and "first" not in text
    assert text.index("third") < text.index("second")


# -- delete and edit by id -------------------------------------------------------------------


async def test_delete_every_kind_by_its_id(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", '/apply Stripe "Backend Engineer"')
    await ok(cohort, "alice", "/app stage A1 screen")
    await ok(cohort, "alice", '/outreach "Jane Doe"')
    await ok(cohort, "alice", "/practice 30m katas")
    await ok(cohort, "alice", "/hours research 2h")
    assert "Deleted A1" in await ok(cohort, "alice", "/app delete A1")
    assert "Deleted C1" in await ok(cohort, "alice", "/contact delete C1")
    assert "Deleted P1" in await ok(cohort, "alice", "/delete P1")
    assert "Deleted H1" in await ok(cohort, "alice", "/delete H1")
    for model in (Application, StageChange, Contact, PracticeLog, HourLog):
        assert await count(cohort, model) == 0, model
    assert "no log A1" in await refused(cohort, "alice", "/delete A1")


async def test_only_the_owner_can_delete_or_edit_a_log(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", '/apply Stripe "Backend Engineer"')
    await ok(cohort, "alice", "/practice 30m katas")
    assert "You have no application A1" in await refused(cohort, "coach", "/app delete A1")
    assert "no log P1" in await refused(cohort, "coach", "/delete P1")
    assert "no log P1" in await refused(cohort, "bob", "/edit P1 duration=1h")
    assert await count(cohort, Application) == 1
    assert (await one(cohort, PracticeLog, 1)).minutes == 30


async def test_edit_changes_dates_and_durations(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", '/apply Stripe "Backend Engineer"')
    await ok(cohort, "alice", "/practice 30m katas")
    await ok(cohort, "alice", "/hours research 2h")
    # alice joined on Wed Nov 18; Tuesday is before that, so it needs force=yes
    assert "Updated A1: date" in await ok(cohort, "alice", "/app update A1 date=2026-11-18")
    text = await ok(cohort, "alice", "/edit P1 duration=45m what=graphs")
    assert "Updated P1: duration, what" in text
    assert (await one(cohort, PracticeLog, 1)).minutes == 45
    await ok(cohort, "alice", "/edit H1 category=coding note=leetcode")
    hours = await one(cohort, HourLog, 1)
    assert (hours.category, hours.note) == ("coding", "leetcode")
    text = await refused(cohort, "alice", "/edit A1 duration=1h", field="duration")
    assert "app update A1" in text
    text = await refused(cohort, "alice", "/edit P1 duration=2", field="duration")
    assert "2 what? Say `2h` or `2m`" in text


async def test_github_practice_is_not_edited_by_hand(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", "/practice 30m katas")
    async with system_session(cohort.app.sessions) as session, session.begin():
        row = await session.scalar(select(PracticeLog))
        row.source = "github"
    assert "GitHub" in await refused(cohort, "alice", "/delete P1")


# -- /undo -------------------------------------------------------------------------------------


async def test_undo_reverts_an_add_an_edit_and_a_delete(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", "/practice 30m katas")
    text = await ok(cohort, "alice", "/undo")
    assert "Undid adding P1" in text and await count(cohort, PracticeLog) == 0

    await ok(cohort, "alice", '/apply Stripe "Backend Engineer"')
    await ok(cohort, "alice", "/app update A1 date=today role=SRE")
    text = await ok(cohort, "alice", "/undo")
    assert "Undid your edit of A1" in text and "role back to Backend Engineer (was SRE)" in text
    assert (await one(cohort, Application, 1)).role == "Backend Engineer"

    await ok(cohort, "alice", "/app stage A1 screen")
    stages = await count(cohort, StageChange)
    await ok(cohort, "alice", "/app delete A1")
    assert await count(cohort, StageChange) == 0
    text = await ok(cohort, "alice", "/undo")
    assert "Undid deleting A1" in text and "it is back" in text
    assert await count(cohort, Application) == 1 and await count(cohort, StageChange) == stages
    assert "A1" in await ok(cohort, "alice", "/apps")


async def test_undo_works_once_and_only_for_fifteen_minutes(
    cohort: ConsoleAdapter, time_machine
) -> None:
    assert "no change to undo" in await refused(cohort, "alice", "/undo")
    await ok(cohort, "alice", "/practice 30m katas")
    await ok(cohort, "alice", "/practice 40m graphs")
    await ok(cohort, "alice", "/undo")
    text = await refused(cohort, "alice", "/undo")
    assert "was an undo" in text and "once" in text
    assert await count(cohort, PracticeLog) == 1
    await ok(cohort, "alice", "/hours research 2h")
    time_machine.shift(timedelta(minutes=16))
    text = await refused(cohort, "alice", "/undo")
    assert "16 minutes ago" in text and "15 minutes" in text
    assert await count(cohort, HourLog) == 1
    # bob's changes are his own: alice's undo never touches them
    await ok(cohort, "bob", "/practice 10m bob")
    assert "no change to undo" in await refused(cohort, "coach", "/undo")


async def test_every_change_is_recorded_with_who_and_when(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", "/practice 30m katas")
    await ok(cohort, "alice", "/edit P1 duration=45m")
    await ok(cohort, "alice", "/delete P1")
    await ok(cohort, "alice", "/undo")
    async with system_session(cohort.app.sessions) as session:
        rows = (await session.scalars(select(Change).order_by(Change.id))).all()
    assert [(c.action, c.kind, c.number) for c in rows] == [
        ("added", "practice_logs", 1),
        ("edited", "practice_logs", 1),
        ("deleted", "practice_logs", 1),
        ("undo", "practice_logs", 1),
    ]
    assert all(c.at == datetime(2026, 11, 18, 15, 0, tzinfo=UTC) for c in rows)
    assert '"minutes": 30' in rows[1].before and '"minutes": 45' in rows[1].after


async def test_the_report_names_a_past_week_edited_after_it_closed(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await ok(cohort, "alice", "/practice 30m katas")
    await ok(cohort, "alice", "/hours research 1h")
    time_machine.move_to(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), tick=False)
    await ok(cohort, "alice", "/edit P1 duration=2h")
    await ok(cohort, "alice", "/delete H1")
    text = await ok(cohort, "coach", "/cohort report week=2026-11-18")
    assert "Edited after the week closed: alice (2 changes)" in text
    assert "Edited after" not in await ok(cohort, "coach", "/cohort report")


# -- probable duplicates -----------------------------------------------------------------------


async def test_a_probable_duplicate_application_asks_first(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await ok(cohort, "alice", '/apply Stripe "Backend Engineer"')
    text = await refused(cohort, "alice", '/apply stripe "backend engineer"', field="company")
    assert "A1" in text and "Wed Nov 18" in text and "force=yes" in text
    assert await count(cohort, Application) == 1
    await ok(cohort, "alice", '/apply Stripe "Backend Engineer" force=yes')
    await ok(cohort, "alice", '/apply Stripe "Frontend Engineer"')
    assert await count(cohort, Application) == 3
    await ok(cohort, "bob", '/apply Stripe "Backend Engineer"')  # bob's own
    time_machine.shift(timedelta(days=7))
    await ok(cohort, "alice", '/apply Stripe "Backend Engineer"')  # a week later: a new one


async def test_a_probable_duplicate_contact_or_practice_asks_first(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", '/outreach "Jane Doe" company=Stripe')
    text = await refused(cohort, "alice", '/outreach "jane doe"', field="name")
    assert "C1, Jane Doe at Stripe" in text and "force=yes" in text
    await ok(cohort, "alice", '/outreach "Jane Doe" force=yes')
    assert await count(cohort, Contact) == 2
    await ok(cohort, "alice", "/practice 30m two-pointer katas")
    text = await refused(cohort, "alice", "/practice 45m two-pointer katas", field="what")
    assert "P1" in text and "force=yes" in text
    await ok(cohort, "alice", "/practice 45m graphs")
    await ok(cohort, "alice", "/practice 30m two-pointer katas date=today force=yes")
    assert await count(cohort, PracticeLog) == 3


# -- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("/hours research 2", "duration"),
        ("/practice 45 katas", "duration"),
        ("/plan week coding mon 2", "hours"),
    ],
)
async def test_a_bare_number_is_not_a_duration(
    cohort: ConsoleAdapter, line: str, field: str
) -> None:
    text = await refused(cohort, "alice", line, field=field)
    number = line.split()[-1] if "katas" not in line else line.split()[1]
    assert f"{number} what? Say `{number}h` or `{number}m`" in text
    assert await count(cohort, HourLog) == 0 and await count(cohort, PracticeLog) == 0


# -- dates that are probably wrong ---------------------------------------------------------------


async def test_improbable_log_dates_ask_for_force(cohort: ConsoleAdapter) -> None:
    text = await refused(cohort, "alice", "/practice 30m date=tomorrow", field="date")
    assert "in the future" in text.splitlines()[0] and "force" not in text.splitlines()[0]
    text = await refused(cohort, "alice", "/hours research 1h date=2026-09-01", field="date")
    assert "78 days ago" in text and "force=yes" in text
    text = await refused(cohort, "alice", '/apply Acme Dev date="2 days ago"', field="date")
    assert "before you joined Fall 2026 (Wed Nov 18)" in text and "force=yes" in text
    await ok(cohort, "alice", '/apply Acme Dev date="2 days ago" force=yes')
    await ok(cohort, "alice", "/hours research 1h date=2026-09-01 force=yes")
    assert "in the future" in await refused(
        cohort, "alice", "/practice 30m date=tomorrow force=yes", field="date"
    )
    assert await count(cohort, Application) == 1 and await count(cohort, HourLog) == 1


async def test_a_follow_up_in_the_past_asks_for_force(cohort: ConsoleAdapter) -> None:
    text = await refused(cohort, "alice", "/apply Acme Dev follow-up=2026-11-01", field="follow-up")
    assert "in the past" in text and "force=yes" in text
    await ok(cohort, "alice", "/apply Acme Dev follow-up=fri")
    await refused(cohort, "alice", "/app update A1 follow-up=yesterday", field="follow-up")
    await ok(cohort, "alice", "/app update A1 follow-up=yesterday force=yes")
    assert (await one(cohort, Application, 1)).follow_up == date(2026, 11, 17)
