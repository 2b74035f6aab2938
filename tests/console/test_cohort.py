"""Console tests for /cohort: create, join, leave, settings, members, coach promotion and report."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from storage.models import Cohort, Member
from storage.scope import system_session


async def cohort_rows(console: ConsoleAdapter) -> list[Cohort]:
    async with system_session(console.app.sessions) as session:
        return list((await session.scalars(select(Cohort).order_by(Cohort.name))).all())


async def member_row(console: ConsoleAdapter, user: str) -> Member:
    async with system_session(console.app.sessions) as session:
        found = await session.scalar(select(Member).where(Member.platform_user_id == user))
        assert found is not None, f"no member {user}"
        return found


# -- create ---------------------------------------------------------------------------------


async def test_create_makes_the_creator_coach_and_shows_settings(console: ConsoleAdapter) -> None:
    reply = await console.say(
        "carla", '/cohort create "Spring 2027" timezone=America/New_York applications=12'
    )
    assert "Created cohort Spring 2027. You are its coach." in reply
    assert "Spring 2027 settings" in reply
    assert "America/New_York" in reply
    assert "12 applications, 10 outreach, 5 practice days, 40h" in reply
    assert "Standup         09:00 on mon-fri" in reply
    assert '/cohort join "Spring 2027"' in reply

    (row,) = await cohort_rows(console)
    assert row.name == "Spring 2027"
    assert row.timezone == "America/New_York"
    assert row.target_applications == 12
    carla = await member_row(console, "carla")
    assert carla.role == "coach"
    assert carla.cohort_id == row.id


async def test_create_applies_schedule_settings(console: ConsoleAdapter) -> None:
    reply = await console.say(
        "carla",
        '/cohort create "Night Owls" standup=10:30 days=mon,wed,fri retro-day=sat '
        "retro-time=4pm freezes=0",
    )
    assert "Created cohort Night Owls" in reply
    assert "10:30 on mon,wed,fri" in reply
    assert "sat 16:00" in reply
    assert "0 a month" in reply
    (row,) = await cohort_rows(console)
    assert row.standup_time == time(10, 30)
    assert row.standup_days == "0,2,4"
    assert row.retro_day == 5
    assert row.retro_time == time(16, 0)
    assert row.streak_freezes == 0


async def test_create_duplicate_name_is_refused(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("dana", '/cohort create "fall 2026"')
    assert reply.startswith("⚠️")
    assert "A cohort called fall 2026 already exists." in reply
    assert '/cohort join "fall 2026"' in reply
    assert [c.name for c in await cohort_rows(cohort)] == ["Fall 2026"]
    async with system_session(cohort.app.sessions) as session:
        dana = await session.scalar(select(Member).where(Member.platform_user_id == "dana"))
    assert dana is None  # the whole command was rolled back


@pytest.mark.parametrize(
    ("options", "complaint"),
    [
        ("timezone=Mars/Olympus", "is not a time zone I know"),
        ("standup=25:00", "`standup`"),
        ("reminder=noonish", "`reminder`"),
        ("days=funday", "`funday` is not a list of weekdays"),
        ("retro-day=someday", "`retro-day`: `someday` is not a list of weekdays"),
        ("applications=-1", "`applications` must be at least 0"),
        ("practice=8", "`practice` must be at most 7"),
        ("hours=lots", "`hours` must be a whole number"),
    ],
)
async def test_create_with_bad_settings_writes_nothing(
    console: ConsoleAdapter, options: str, complaint: str
) -> None:
    reply = await console.say("carla", f'/cohort create "Spring 2027" {options}')
    assert reply.startswith("⚠️"), reply
    assert complaint in reply
    assert "Usage: `/cohort create NAME" in reply
    assert "Example: `/cohort create" in reply
    assert await cohort_rows(console) == []
    async with system_session(console.app.sessions) as session:
        assert await session.scalar(select(func.count()).select_from(Member)) == 0


async def test_create_needs_a_name(console: ConsoleAdapter) -> None:
    reply = await console.say("carla", "/cohort create")
    assert reply.startswith("⚠️")
    assert "needs NAME" in reply
    assert await cohort_rows(console) == []


# -- join and leave -------------------------------------------------------------------------


async def test_join_unknown_cohort_lists_existing_ones(cohort: ConsoleAdapter) -> None:
    await cohort.say("zoe", '/cohort create "Winter 2027"')
    reply = await cohort.say("dana", '/cohort join "Summer 1999"')
    assert reply.startswith("⚠️ There is no cohort called Summer 1999.")
    assert "Cohorts here: Fall 2026, Winter 2027." in reply
    assert (await member_row(cohort, "alice")).cohort_id is not None
    async with system_session(cohort.app.sessions) as session:
        assert await session.scalar(select(Member).where(Member.platform_user_id == "dana")) is None


async def test_join_without_any_cohort_says_none_yet(console: ConsoleAdapter) -> None:
    reply = await console.say("dana", "/cohort join Anything")
    assert "There is no cohort called Anything." in reply
    assert "Cohorts here: none yet." in reply


async def test_join_adopts_the_cohort_time_zone_for_default_members(
    console: ConsoleAdapter,
) -> None:
    await console.say("coach", '/cohort create "East" timezone=America/New_York')
    reply = await console.say("alice", "/cohort join East")
    assert "You're in East! Your time zone is America/New_York" in reply
    assert (await member_row(console, "alice")).timezone == "America/New_York"


async def test_join_keeps_a_time_zone_the_member_chose(console: ConsoleAdapter) -> None:
    await console.say("coach", '/cohort create "East" timezone=America/New_York')
    await console.say("alice", "/me timezone=Europe/Berlin")
    reply = await console.say("alice", "/cohort join east")
    assert "You're in East! Your time zone is Europe/Berlin" in reply
    assert (await member_row(console, "alice")).timezone == "Europe/Berlin"


async def test_join_twice_says_already_in(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", '/cohort join "Fall 2026"')
    assert reply == "You are already in Fall 2026."


async def test_join_unquoted_name_with_spaces(console: ConsoleAdapter) -> None:
    await console.say("coach", '/cohort create "Fall 2026"')
    assert "You're in Fall 2026" in await console.say("alice", "/cohort join Fall 2026")


async def test_leave(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/cohort leave")
    assert reply == "You left Fall 2026. Your logs are kept; rejoin any time."
    alice = await member_row(cohort, "alice")
    assert alice.cohort_id is None
    members = await cohort.say("coach", "/cohort members")
    assert "alice" not in members
    assert "Fall 2026: 2 people" in members


async def test_leave_without_a_cohort(console: ConsoleAdapter) -> None:
    reply = await console.say("dana", "/cohort leave")
    assert reply.startswith("⚠️ You are not in a cohort yet.")
    assert "/cohort join NAME" in reply


# -- settings -------------------------------------------------------------------------------


async def test_settings_show(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("coach", "/cohort settings")
    assert reply.startswith("Fall 2026 settings")
    assert "Time zone       UTC" in reply
    assert "Retro           fri 16:00" in reply
    assert "10 applications, 10 outreach, 5 practice days, 40h" in reply
    assert "Streak freezes  2 a month" in reply
    assert "Updated" not in reply


async def test_settings_change(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say(
        "coach",
        "/cohort settings applications=12 outreach=8 standup=08:30 days=daily "
        "timezone=europe/berlin retro-time=17:15",
    )
    assert reply.startswith(
        "✅ Updated timezone, standup, retro-time, applications, outreach, days."
    )
    assert "12 applications, 8 outreach" in reply
    assert "08:30 on mon-sun" in reply
    assert "Europe/Berlin" in reply
    (row,) = await cohort_rows(cohort)
    assert row.target_applications == 12
    assert row.target_outreach == 8
    assert row.standup_time == time(8, 30)
    assert row.standup_days == "0,1,2,3,4,5,6"
    assert row.timezone == "Europe/Berlin"
    assert row.retro_time == time(17, 15)


async def test_member_is_refused_settings_and_nothing_changes(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/cohort settings applications=1 freezes=9")
    assert reply.startswith("⚠️ Only coaches can use `/cohort settings`.")
    (row,) = await cohort_rows(cohort)
    assert row.target_applications == 10
    assert row.streak_freezes == 2
    shown = await cohort.say("alice", "/cohort settings")
    assert "Only coaches can use" in shown


@pytest.mark.parametrize(
    ("options", "complaint"),
    [
        ("freezes=11", "`freezes` must be at most 10"),
        ("outreach=201", "`outreach` must be at most 200"),
        ("standup=9", "`standup`"),
        ("timezone=Nowhere", "is not a time zone I know"),
        ("retro-day=t", "`retro-day`: `t` is not a list of weekdays"),
        ("colour=blue", "has no option `colour=`"),
    ],
)
async def test_settings_bad_values_change_nothing(
    cohort: ConsoleAdapter, options: str, complaint: str
) -> None:
    reply = await cohort.say("coach", f"/cohort settings applications=3 {options}")
    assert reply.startswith("⚠️"), reply
    assert complaint in reply
    assert "Usage: `/cohort settings" in reply
    (row,) = await cohort_rows(cohort)
    assert row.target_applications == 10


async def test_a_coach_who_leaves_loses_the_coach_role(console: ConsoleAdapter) -> None:
    await console.say("coach", '/cohort create "Fall 2026"')
    await console.say("coach", "/cohort leave")
    assert (await member_row(console, "coach")).role == "member"
    reply = await console.say("coach", "/cohort settings")
    assert "Only coaches can use `/cohort settings`" in reply


# -- members and coaches ----------------------------------------------------------------------


async def test_members_list(cohort: ConsoleAdapter) -> None:
    await cohort.say("bob", "/me status=hired")
    reply = await cohort.ask("alice", "/cohort members")
    (table,) = reply.blocks
    assert table.title == "Fall 2026: 3 people"
    assert table.columns == ("name", "role", "status")
    assert table.rows == (
        ("alice", "member", "searching"),
        ("bob", "member", "hired"),
        ("coach", "coach", "searching"),
    )


async def test_members_of_a_cohort_of_one(console: ConsoleAdapter) -> None:
    await console.say("coach", '/cohort create "Solo"')
    assert "Solo: 1 person" in await console.say("coach", "/cohort members")


async def test_coach_promotes_a_member(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("coach", "/cohort coach @bob")
    assert reply == "🎓 bob is now a coach of Fall 2026."
    assert (await member_row(cohort, "bob")).role == "coach"
    assert "bob is already a coach" in await cohort.say("coach", "/cohort coach bob")
    # the new coach can now use coach commands
    assert "Fall 2026 report" in await cohort.say("bob", "/cohort report")


async def test_member_cannot_promote(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/cohort coach @alice")
    assert reply.startswith("⚠️ Only coaches can use `/cohort coach`.")
    assert (await member_row(cohort, "alice")).role == "member"


async def test_promoting_someone_outside_the_cohort(cohort: ConsoleAdapter) -> None:
    await cohort.say("dana", "/me")
    reply = await cohort.say("coach", "/cohort coach @dana")
    assert reply.startswith("⚠️ I can't find dana in your cohort.")
    assert (await member_row(cohort, "dana")).role == "member"


# -- report -----------------------------------------------------------------------------------


async def test_report_rows_against_targets(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    await cohort.say("alice", '/apply Acme "Developer"')
    await cohort.say("alice", '/outreach "Jane Doe"')
    await cohort.say("alice", "/practice 45m")
    await cohort.say("alice", "/hours research 1h")
    reply = await cohort.ask("coach", "/cohort report")
    table = reply.blocks[0]
    assert table.title == "Fall 2026 report, this week"
    assert table.columns == ("member", "apps", "outreach", "practice", "hours", "streak", "status")
    rows = {row[0]: row for row in table.rows}
    assert set(rows) == {"alice", "bob"}  # coaches are not reported on
    assert rows["alice"] == (
        "alice",
        "2/10",
        "1/10",
        "1/5",
        "1h 45m",
        "1",
        "below: applications, outreach, practice, hours",
    )
    assert rows["bob"][1:5] == ("0/10", "0/10", "0/5", "0h")
    assert "0 of 2 searching members on track." in reply.plain_text()


async def test_report_paused_member_is_shown_paused_and_not_counted(
    cohort: ConsoleAdapter,
) -> None:
    await cohort.say("coach", "/cohort settings applications=1 outreach=0 practice=1 hours=0")
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    await cohort.say("alice", "/practice 30m")
    await cohort.say("bob", "/me status=paused until=2026-11-30")
    reply = await cohort.ask("coach", "/cohort report")
    rows = {row[0]: row for row in reply.blocks[0].rows}
    assert rows["alice"][-1] == "on track"
    assert rows["alice"][1:4] == ("1/1", "0/0", "1/1")
    assert rows["bob"][-1] == "paused"
    text = reply.plain_text()
    assert "1 of 1 searching members on track." in text
    assert "██████████" in text


async def test_report_hired_member_is_not_behind(cohort: ConsoleAdapter) -> None:
    await cohort.say("bob", "/me status=hired")
    reply = await cohort.ask("coach", "/cohort report")
    rows = {row[0]: row for row in reply.blocks[0].rows}
    assert rows["bob"][-1] == "hired"
    assert "0 of 1 searching members on track." in reply.plain_text()


async def test_report_for_an_earlier_week(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer" date=2026-11-10 force=yes')
    await cohort.say("alice", "/practice 1h date=2026-11-12 force=yes")
    await cohort.say("alice", '/apply Acme "Developer"')

    earlier = await cohort.ask("coach", "/cohort report week=2026-11-11")
    table = earlier.blocks[0]
    assert table.title == "Fall 2026 report, week of Nov 9-15"
    rows = {row[0]: row for row in table.rows}
    assert rows["alice"][1:5] == ("1/10", "0/10", "1/5", "1h")

    this_week = await cohort.ask("coach", "/cohort report")
    rows = {row[0]: row for row in this_week.blocks[0].rows}
    assert rows["alice"][1:5] == ("1/10", "0/10", "0/5", "0h")


async def test_report_bad_week(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("coach", "/cohort report week=someday")
    assert reply.startswith("⚠️")
    assert "`week`" in reply
    assert "Usage: `/cohort report" in reply


async def test_member_is_refused_the_report(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/cohort report")
    assert reply.startswith("⚠️ Only coaches can use `/cohort report`.")
    assert "Ask your coach" in reply
    assert "report, this week" not in reply


async def test_report_with_no_members(console: ConsoleAdapter) -> None:
    await console.say("coach", '/cohort create "Empty"')
    reply = await console.say("coach", "/cohort report")
    assert "No members yet." in reply
    assert "0 of 0 searching members on track." in reply


async def test_report_week_weekday_looks_back(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    reply = await cohort.ask("coach", "/cohort report week=mon")
    table = reply.blocks[0]
    assert table.title == "Fall 2026 report, week of Nov 16-22"
    rows = {row[0]: row for row in table.rows}
    assert rows["alice"][1] == "1/10"
