"""Console tests for /me: the profile, time zone, leaderboard mode, name and search status."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.mentions import has_live_mention
from bot.replies import Fields
from storage.models import Member, Pause
from storage.scope import system_session


async def member_row(console: ConsoleAdapter, user: str) -> Member:
    async with system_session(console.app.sessions) as session:
        found = await session.scalar(select(Member).where(Member.platform_user_id == user))
        assert found is not None, f"no member {user}"
        return found


async def pauses(console: ConsoleAdapter) -> list[tuple[date, date]]:
    async with system_session(console.app.sessions) as session:
        rows = await session.scalars(select(Pause).order_by(Pause.id))
        return [(p.start_day, p.end_day) for p in rows]


async def profile(console: ConsoleAdapter, user: str, line: str = "/me") -> dict[str, str]:
    reply = await console.ask(user, line)
    assert reply.ok, reply.plain_text()
    (fields,) = [b for b in reply.blocks if isinstance(b, Fields)]
    assert fields.title == "Your profile"
    return dict(fields.fields)


async def test_show_profile(cohort: ConsoleAdapter) -> None:
    assert await profile(cohort, "alice") == {
        "Name": "alice",
        "Cohort": "Fall 2026",
        "Role": "member",
        "Time zone": "UTC",
        "Status": "searching",
        "Leaderboard": "shown",
    }
    assert (await profile(cohort, "coach"))["Role"] == "coach"
    assert "Updated" not in await cohort.say("alice", "/me")


async def test_profile_before_joining_a_cohort(console: ConsoleAdapter) -> None:
    shown = await profile(console, "dana")
    assert shown["Cohort"] == "(none yet: /cohort join NAME)"
    assert shown["Status"] == "searching"


async def test_timezone_change_is_case_insensitive(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/me timezone=america/los_angeles")
    assert reply.startswith("✅ Updated timezone.")
    assert "America/Los_Angeles" in reply
    assert (await member_row(cohort, "alice")).timezone == "America/Los_Angeles"


async def test_unknown_timezone_is_refused(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/me timezone=Europe/Atlantis")
    assert reply.startswith("⚠️")
    assert "`Europe/Atlantis` is not a time zone I know" in reply
    assert "Usage: `/me" in reply
    assert (await member_row(cohort, "alice")).timezone == "UTC"


@pytest.mark.parametrize(("typed", "stored"), [("anonymous", "anonymous"), ("HIDDEN", "hidden")])
async def test_leaderboard_mode(cohort: ConsoleAdapter, typed: str, stored: str) -> None:
    shown = await profile(cohort, "alice", f"/me leaderboard={typed}")
    assert shown["Leaderboard"] == stored
    assert (await member_row(cohort, "alice")).leaderboard == stored


async def test_bad_leaderboard_mode(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/me leaderboard=invisible")
    assert reply.startswith("⚠️")
    assert "`leaderboard` must be one of shown, anonymous, hidden" in reply
    assert (await member_row(cohort, "alice")).leaderboard == "shown"


async def test_several_changes_at_once(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/me timezone=Europe/Berlin leaderboard=anonymous")
    assert reply.startswith("✅ Updated timezone, leaderboard.")
    row = await member_row(cohort, "alice")
    assert (row.timezone, row.leaderboard) == ("Europe/Berlin", "anonymous")


async def test_name_change_is_shown(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", '/me name="Alice Liddell"')
    assert reply.startswith("✅ Updated name.")
    assert "Alice Liddell" in reply


async def test_name_with_a_mass_mention_is_defused(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/me name=@everyone")
    assert "Updated name" in reply
    assert not has_live_mention(reply)


async def test_name_change_sticks(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/me name=Ally")
    assert (await profile(cohort, "alice"))["Name"] == "Ally"
    assert (await member_row(cohort, "alice")).display_name == "Ally"


async def test_pause_needs_until(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/me status=paused")
    assert reply.startswith("⚠️ Say until when you are paused.")
    assert "Usage: `/me" in reply
    assert "Example: `/me" in reply
    assert (await member_row(cohort, "alice")).status == "searching"
    assert await pauses(cohort) == []


@pytest.mark.parametrize("until", ["yesterday", "2026-11-01"])
async def test_pause_until_in_the_past_is_rejected(cohort: ConsoleAdapter, until: str) -> None:
    reply = await cohort.say("alice", f"/me status=paused until={until}")
    assert reply.startswith("⚠️ A pause has to end today or later.")
    assert (await member_row(cohort, "alice")).status == "searching"
    assert await pauses(cohort) == []


async def test_pause_longer_than_a_year_is_rejected(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/me status=paused until=2028-01-01")
    assert reply.startswith("⚠️ A pause can last a year at most.")
    assert await pauses(cohort) == []


@pytest.mark.parametrize("line", ["/me until=2026-12-31", "/me status=hired until=2026-12-31"])
async def test_until_without_status_paused_is_rejected(cohort: ConsoleAdapter, line: str) -> None:
    reply = await cohort.say("alice", line)
    assert reply.startswith("⚠️ `until=` goes with status=paused.")
    row = await member_row(cohort, "alice")
    assert (row.status, row.paused_until) == ("searching", None)


async def test_a_failed_status_change_rolls_back_other_changes(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/me timezone=Europe/Berlin leaderboard=hidden status=paused")
    assert reply.startswith("⚠️")
    row = await member_row(cohort, "alice")
    assert (row.timezone, row.leaderboard, row.status) == ("UTC", "shown", "searching")


async def test_pause(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/me status=paused until=2026-11-30")
    assert reply.startswith(
        "✅ Updated status. Paused until Mon Nov 30: no prompts, and your streak is safe."
    )
    assert "Status       paused until Mon Nov 30" in reply
    row = await member_row(cohort, "alice")
    assert (row.status, row.paused_until) == ("paused", date(2026, 11, 30))
    assert await pauses(cohort) == [(date(2026, 11, 18), date(2026, 11, 30))]


async def test_pause_until_relative_date(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/me status=paused until="in 7 days"')
    assert (await member_row(cohort, "alice")).paused_until == date(2026, 11, 25)


async def test_resume_ends_the_pause_on_a_later_day(cohort: ConsoleAdapter, time_machine) -> None:
    await cohort.say("alice", "/me status=paused until=2026-11-30")
    time_machine.move_to(datetime(2026, 11, 21, 10, 0, tzinfo=UTC), tick=False)
    shown = await profile(cohort, "alice", "/me status=searching")
    assert shown["Status"] == "searching"
    row = await member_row(cohort, "alice")
    assert (row.status, row.paused_until) == ("searching", None)
    # the pause now ends yesterday, so today counts normally again
    assert await pauses(cohort) == [(date(2026, 11, 18), date(2026, 11, 20))]


async def test_resume_on_the_day_the_pause_started_removes_it(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/me status=paused until=2026-11-30")
    await cohort.say("alice", "/me status=searching")
    assert await pauses(cohort) == []
    assert (await profile(cohort, "alice"))["Status"] == "searching"


async def test_a_pause_ends_by_itself(cohort: ConsoleAdapter, time_machine) -> None:
    await cohort.say("alice", "/me status=paused until=2026-11-20")
    time_machine.move_to(datetime(2026, 11, 20, 23, 0, tzinfo=UTC), tick=False)
    assert (await profile(cohort, "alice"))["Status"] == "paused until Fri Nov 20"
    time_machine.move_to(datetime(2026, 11, 21, 0, 30, tzinfo=UTC), tick=False)
    assert (await profile(cohort, "alice"))["Status"] == "searching"


async def test_hired(cohort: ConsoleAdapter) -> None:
    shown = await profile(cohort, "alice", "/me status=hired")
    assert shown["Status"] == "hired"
    row = await member_row(cohort, "alice")
    assert (row.status, row.paused_until) == ("hired", None)


async def test_hired_while_paused_ends_the_pause(cohort: ConsoleAdapter, time_machine) -> None:
    await cohort.say("alice", "/me status=paused until=2026-11-30")
    time_machine.move_to(datetime(2026, 11, 23, 12, 0, tzinfo=UTC), tick=False)
    assert (await profile(cohort, "alice", "/me status=hired"))["Status"] == "hired"
    assert await pauses(cohort) == [(date(2026, 11, 18), date(2026, 11, 22))]
