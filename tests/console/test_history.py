"""/history through the console: the default fortnight, date ranges and who may see whose log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.console import ConsoleAdapter
from tests.conftest import WEDNESDAY


def section(reply: str, title: str) -> str:
    """The text of one table in a /history reply, from its title to the next blank line."""
    start = reply.index(f"\n{title}\n") + 1
    end = reply.find("\n\n", start)
    return reply[start : end if end != -1 else len(reply)]


async def seed(console: ConsoleAdapter, time_machine) -> None:
    """alice's log: some inside the default fortnight (Nov 5 - Nov 18), some before it."""
    time_machine.move_to(datetime(2026, 11, 2, 15, 0, tzinfo=UTC), tick=False)
    await console.say("alice", '/standup yesterday="rested" today="old plans"')
    time_machine.move_to(WEDNESDAY, tick=False)
    await console.say("alice", '/apply Stripe "Backend Engineer" date="3 days ago" force=yes')
    await console.say("alice", "/app stage A1 screen date=yesterday")
    await console.say("alice", '/app stage A1 interview note="onsite"')
    await console.say("alice", "/apply Initech Tester date=2026-11-04 force=yes")
    await console.say("alice", "/apply Globex Developer date=2026-11-05 force=yes")
    await console.say(
        "alice",
        '/outreach "Jane Doe" company=Stripe how=coffee learned="team uses Go" date=yesterday '
        "force=yes",
    )
    await console.say("alice", "/outreach Oldfriend date=2026-10-20 force=yes")
    await console.say("alice", "/practice 45m leetcode arrays")
    await console.say("alice", "/practice 20m ancient kata date=2026-10-30 force=yes")
    await console.say(
        "alice", '/standup yesterday="sent apps" today="mock interview" blockers=none'
    )


async def test_history_defaults_to_the_last_fourteen_days(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await seed(cohort, time_machine)
    reply = await cohort.say("alice", "/history")
    assert reply.startswith("*Your history, Thu Nov 5 – Wed Nov 18*")

    apps = section(reply, "Applications")
    assert "applied (Nov 15) → screen (Nov 17) → interview (Nov 18)" in apps
    assert "Globex" in apps  # applied on the first day of the range
    assert "Initech" not in apps  # the day before it
    assert apps.index("Globex") < apps.index("Stripe")  # oldest first

    contacts = section(reply, "Contacts")
    assert "Jane Doe" in contacts and "coffee" in contacts and "team uses Go" in contacts
    assert "Oldfriend" not in contacts

    practice = section(reply, "Practice")
    assert "45m" in practice and "leetcode arrays" in practice
    assert "ancient kata" not in practice

    standups = section(reply, "Standups")
    assert "mock interview" in standups
    assert "old plans" not in standups


async def test_history_from_to_range(cohort: ConsoleAdapter, time_machine) -> None:
    await seed(cohort, time_machine)
    reply = await cohort.say("alice", "/history from=2026-10-15 to=2026-11-04")
    assert reply.startswith("*Your history, Thu Oct 15 – Wed Nov 4*")
    assert "Initech" in section(reply, "Applications")
    assert "Stripe" not in section(reply, "Applications")
    assert "Globex" not in section(reply, "Applications")
    assert "Oldfriend" in section(reply, "Contacts")
    assert "ancient kata" in section(reply, "Practice")
    assert "old plans" in section(reply, "Standups")


async def test_history_from_alone_runs_to_today(cohort: ConsoleAdapter, time_machine) -> None:
    await seed(cohort, time_machine)
    reply = await cohort.say("alice", '/history from="2 days ago"')
    assert reply.startswith("*Your history, Mon Nov 16 – Wed Nov 18*")
    assert "Stripe" not in section(reply, "Applications")  # applied Nov 15
    assert "Jane Doe" in section(reply, "Contacts")


async def test_history_empty_sections(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/history")
    for empty in ("No applications.", "No contacts.", "No practice logged.", "No standups."):
        assert empty in reply


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/history from=today to=yesterday", "`from=` is after `to=`."),
        ("/history from=2026-11-10 to=2026-11-01", "`from=` is after `to=`."),
        ("/history from=2025-01-01", "That range is longer than a year"),
        ("/history from=someday", "`from`:"),
    ],
)
async def test_history_bad_ranges(cohort: ConsoleAdapter, line: str, message: str) -> None:
    reply = await cohort.say("alice", line)
    assert reply.startswith("⚠️"), reply
    assert message in reply
    assert "Usage: `/history [from=FROM] [to=TO] [member=MEMBER]`" in reply


async def test_member_cannot_see_another_members_history(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await seed(cohort, time_machine)
    reply = await cohort.say("bob", "/history member=@alice")
    assert reply.startswith("⚠️ Only coaches can see another member's details.")
    assert "Stripe" not in reply


async def test_member_may_name_themselves(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("bob", "/history member=@bob")
    assert reply.startswith("*Your history")


async def test_coach_can_see_a_members_history(cohort: ConsoleAdapter, time_machine) -> None:
    await seed(cohort, time_machine)
    reply = await cohort.say("coach", "/history member=@alice")
    assert reply.startswith("*alice's history, Thu Nov 5 – Wed Nov 18*")
    assert "applied (Nov 15) → screen (Nov 17) → interview (Nov 18)" in reply
    assert "Jane Doe" in reply
    assert "leetcode arrays" in reply
    assert "mock interview" in reply


async def test_coach_history_of_unknown_member(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("coach", "/history member=@nobody")
    assert reply.startswith("⚠️ I can't find nobody in your cohort.")


async def test_coach_cannot_see_someone_outside_the_cohort(cohort: ConsoleAdapter) -> None:
    assert "Created cohort" in await cohort.say("coach2", '/cohort create "Other Class"')
    await cohort.say("carol", '/cohort join "Other Class"')
    await cohort.say("carol", "/apply Hooli Developer")
    reply = await cohort.say("coach", "/history member=@carol")
    assert reply.startswith("⚠️ I can't find carol in your cohort.")
    assert "Hooli" not in reply


async def test_coach_history_default_range_is_the_members_local_days(
    cohort: ConsoleAdapter, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 20, 20, 0, tzinfo=UTC), tick=False)
    await cohort.say("alice", "/me timezone=Asia/Tokyo")
    await cohort.say("alice", "/apply Stripe Developer")
    assert "Stripe" in await cohort.say("alice", "/history")
    assert "Stripe" in await cohort.say("coach", "/history member=@alice")
