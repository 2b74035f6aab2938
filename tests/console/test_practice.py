"""Console tests for /practice, /streak and /hours, with streak edge cases driven by the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.replies import Fields
from storage.models import HourLog, Member, PracticeLog
from storage.scope import system_session


async def practice_rows(console: ConsoleAdapter, user: str = "alice") -> list[PracticeLog]:
    async with system_session(console.app.sessions) as session:
        member_id = await session.scalar(select(Member.id).where(Member.platform_user_id == user))
        rows = await session.scalars(
            select(PracticeLog)
            .where(PracticeLog.member_id == member_id)
            .order_by(PracticeLog.day, PracticeLog.id)
        )
        return list(rows.all())


async def practice_days(console: ConsoleAdapter, user: str = "alice") -> list[date]:
    return sorted({row.day for row in await practice_rows(console, user)})


async def count(console: ConsoleAdapter, model: type) -> int:
    async with system_session(console.app.sessions) as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def streak_fields(console: ConsoleAdapter, user: str = "alice") -> dict[str, str]:
    reply = await console.ask(user, "/streak")
    assert reply.ok, reply.plain_text()
    (fields,) = [b for b in reply.blocks if isinstance(b, Fields)]
    return dict(fields.fields)


async def current_streak(console: ConsoleAdapter, user: str = "alice") -> str:
    return (await streak_fields(console, user))["Current streak"]


def at(time_machine, instant: datetime) -> None:
    time_machine.move_to(instant, tick=False)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- /practice --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown", "minutes"),
    [
        ("45m", "45m", 45),
        ("1.5h", "1h 30m", 90),
        ("1h30m", "1h 30m", 90),
        ("2h", "2h", 120),
        ("90m", "1h 30m", 90),
        ("24h", "24h", 1440),
    ],
)
async def test_practice_durations(
    cohort: ConsoleAdapter, typed: str, shown: str, minutes: int
) -> None:
    reply = await cohort.say("alice", f"/practice {typed} two-pointer problems")
    assert reply.startswith(f"💻 Logged {shown} of practice.\n"), reply
    assert "Streak: 1 day (longest 1)." in reply
    (row,) = await practice_rows(cohort)
    assert row.minutes == minutes
    assert row.what == "two-pointer problems"
    assert row.day == date(2026, 11, 18)
    assert row.source == "manual"


@pytest.mark.parametrize(
    ("typed", "complaint"),
    [
        ("0m", "a duration must be more than zero minutes"),
        ("25h", "a duration can be at most 24 hours in one log"),
        ("abc", "`abc` is not a duration I understand"),
        ("-5m", "is not a duration I understand"),
    ],
)
async def test_bad_durations_write_nothing(
    cohort: ConsoleAdapter, typed: str, complaint: str
) -> None:
    reply = await cohort.say("alice", f"/practice {typed}")
    assert reply.startswith("⚠️ `duration`"), reply
    assert complaint in reply
    assert "Usage: `/practice DURATION" in reply
    assert "Example: `/practice 45m leetcode arrays`" in reply
    assert await count(cohort, PracticeLog) == 0


async def test_practice_needs_a_duration(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/practice")
    assert reply.startswith("⚠️ `/practice` needs DURATION")
    assert await count(cohort, PracticeLog) == 0


async def test_practice_link_is_stored(cohort: ConsoleAdapter) -> None:
    link = "https://github.com/alice/daily_practice/commit/abc1234"
    reply = await cohort.say("alice", f"/practice 1h link={link}")
    assert "Logged 1h of practice" in reply
    (row,) = await practice_rows(cohort)
    assert row.link == link


@pytest.mark.parametrize(
    "link", ["github.com/alice", "ftp://example.com/x", "https://", "not a url"]
)
async def test_practice_link_must_be_a_url(cohort: ConsoleAdapter, link: str) -> None:
    reply = await cohort.say("alice", f'/practice 30m link="{link}"')
    assert reply.startswith("⚠️ `link` must be a web address starting with https://")
    assert await count(cohort, PracticeLog) == 0


async def test_practice_backdated_yesterday(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/practice 30m date=yesterday force=yes")
    assert reply.startswith("💻 Logged 30m of practice on Tue Nov 17.")
    assert await practice_days(cohort) == [date(2026, 11, 17)]


async def test_practice_weekday_date_looks_back(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/practice 30m date=fri force=yes")
    assert await practice_days(cohort) == [date(2026, 11, 13)]


@pytest.mark.parametrize("when", ["tomorrow", "2026-11-19"])
async def test_practice_in_the_future_is_refused(cohort: ConsoleAdapter, when: str) -> None:
    reply = await cohort.say("alice", f"/practice 30m date={when} force=yes")
    assert reply.startswith("⚠️ That date is in the future")
    assert await count(cohort, PracticeLog) == 0


async def test_practice_works_without_a_cohort(console: ConsoleAdapter) -> None:
    reply = await console.say("dana", "/practice 20m")
    assert "Logged 20m of practice" in reply
    assert "Streak: 1 day" in reply


# -- /streak ----------------------------------------------------------------------------------


async def test_streak_numbers(cohort: ConsoleAdapter) -> None:
    for day in ("2026-11-15", "2026-11-16", "2026-11-17"):
        await cohort.say("alice", f"/practice 30m date={day} force=yes")
    assert await streak_fields(cohort) == {
        "Current streak": "3 days 🔥",
        "Longest streak": "3 days",
        "This week": "2 practice days of 5",  # Sunday the 15th belongs to last week
        "Freezes used this month": "0 of 2",
    }
    assert "Not yet today: `/practice 30m` keeps it going." in await cohort.say("alice", "/streak")

    reply = await cohort.say("alice", "/practice 1h")
    assert "🔥 Streak: 4 days (longest 4)." in reply
    assert (await streak_fields(cohort))["This week"] == "3 practice days of 5"
    assert "You practised today. 💪" in await cohort.say("alice", "/streak")


async def test_streak_with_no_practice(cohort: ConsoleAdapter) -> None:
    fields = await streak_fields(cohort)
    assert fields["Current streak"] == "0 days"
    assert fields["Longest streak"] == "0 days"
    assert fields["This week"] == "0 practice days of 5"


async def test_two_logs_on_one_day_count_once(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/practice 30m")
    reply = await cohort.say("alice", "/practice 30m")
    assert "Streak: 1 day (longest 1)." in reply


# -- /hours -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "label", "stored"),
    [
        ("research", "Research & tracking", "research"),
        ('"interview prep"', "Interview prep", "interview-prep"),
        ("interview_prep", "Interview prep", "interview-prep"),
        ("Interview-Prep", "Interview prep", "interview-prep"),
        ("interview", "Interview prep", "interview-prep"),
        ("coding", "Coding", "coding"),
        ("outreach", "Outreach & networking", "outreach"),
        ("house", "Housekeeping", "housekeeping"),
        ("other", "Other", "other"),
    ],
)
async def test_hours_categories(
    cohort: ConsoleAdapter, typed: str, label: str, stored: str
) -> None:
    reply = await cohort.say("alice", f"/hours {typed} 90m mock questions")
    assert reply == f"⏱️ Logged 1h 30m of {label}.\nSaved as H1."
    async with system_session(cohort.app.sessions) as session:
        (row,) = (await session.scalars(select(HourLog))).all()
    assert (row.category, row.minutes, row.note) == (stored, 90, "mock questions")


@pytest.mark.parametrize("typed", ["cooking", "o", "interview-preparation"])
async def test_hours_bad_category(cohort: ConsoleAdapter, typed: str) -> None:
    reply = await cohort.say("alice", f"/hours {typed} 1h")
    assert reply.startswith("⚠️ `category` must be one of coding, outreach, research, ")
    assert "interview-prep, housekeeping, other" in reply
    assert "Usage: `/hours" in reply
    assert await count(cohort, HourLog) == 0


async def test_hours_backdated_and_future(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/hours research 2h date=yesterday force=yes")
    assert reply == "⏱️ Logged 2h of Research & tracking on Tue Nov 17.\nSaved as H1."
    refused = await cohort.say("alice", "/hours research 2h date=tomorrow")
    assert refused.startswith("⚠️ That date is in the future")
    assert await count(cohort, HourLog) == 1


async def test_hours_needs_a_duration(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/hours research")
    assert reply.startswith("⚠️ `/hours` needs DURATION")
    assert await count(cohort, HourLog) == 0


# -- streak edge cases, driven by the clock -----------------------------------------------------


async def no_freezes(console: ConsoleAdapter) -> None:
    assert "Updated freezes" in await console.say("coach", "/cohort settings freezes=0")


async def test_late_evening_in_los_angeles_counts_for_the_local_day(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await no_freezes(cohort)
    await cohort.say("alice", "/me timezone=America/Los_Angeles")
    at(time_machine, utc(2026, 11, 16, 20, 0))  # Mon Nov 16, 12:00 in Los Angeles
    await cohort.say("alice", "/practice 30m")
    at(time_machine, utc(2026, 11, 18, 7, 30))  # Tue Nov 17, 23:30 in Los Angeles
    reply = await cohort.say("alice", "/practice 30m")
    assert reply.startswith("💻 Logged 30m of practice.\n")  # today, locally: no " on ..."
    assert "Streak: 2 days (longest 2)." in reply
    await cohort.say("bob", "/practice 30m")  # bob is on UTC: for him it is Wednesday
    assert await practice_days(cohort, "alice") == [date(2026, 11, 16), date(2026, 11, 17)]
    assert await practice_days(cohort, "bob") == [date(2026, 11, 18)]


async def test_yesterday_is_the_members_local_yesterday(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await cohort.say("alice", "/me timezone=America/Los_Angeles")
    at(time_machine, utc(2026, 11, 18, 7, 30))  # Tue Nov 17, 23:30 in Los Angeles
    reply = await cohort.say("alice", "/practice 30m date=yesterday force=yes")
    assert "on Mon Nov 16" in reply
    assert await practice_days(cohort) == [date(2026, 11, 16)]


async def test_midnight_boundary_in_the_members_zone(cohort: ConsoleAdapter, time_machine) -> None:
    await no_freezes(cohort)
    await cohort.say("alice", "/me timezone=Europe/Berlin")
    at(time_machine, utc(2026, 11, 18, 22, 59))  # Wed 23:59 in Berlin
    await cohort.say("alice", "/practice 30m")
    at(time_machine, utc(2026, 11, 18, 23, 0))  # Thu 00:00 in Berlin
    fields = await streak_fields(cohort)
    assert fields["Current streak"] == "1 day"  # today is not over, so it does not break
    assert "Not yet today" in await cohort.say("alice", "/streak")
    reply = await cohort.say("alice", "/practice 30m")
    assert "Streak: 2 days (longest 2)." in reply
    assert await practice_days(cohort) == [date(2026, 11, 18), date(2026, 11, 19)]
    assert "You practised today" in await cohort.say("alice", "/streak")


async def test_a_full_missed_local_day_breaks_without_freezes(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await no_freezes(cohort)
    await cohort.say("alice", "/me timezone=Asia/Tokyo")
    at(time_machine, utc(2026, 11, 18, 14, 59))  # Wed 23:59 in Tokyo
    await cohort.say("alice", "/practice 30m")
    at(time_machine, utc(2026, 11, 19, 15, 0))  # Fri 00:00 in Tokyo: all of Thursday missed
    assert await current_streak(cohort) == "0 days"
    assert (await streak_fields(cohort))["Longest streak"] == "1 day"


@pytest.mark.parametrize(
    ("zone", "first_day"),
    [
        pytest.param("Europe/Berlin", date(2026, 3, 27), id="berlin-spring-forward"),
        pytest.param("America/New_York", date(2026, 10, 30), id="new-york-fall-back"),
    ],
)
@pytest.mark.parametrize("local_time", [time(0, 15), time(1, 30), time(12, 0), time(23, 45)])
async def test_dst_change_keeps_the_streak_continuous(
    cohort: ConsoleAdapter, time_machine, zone: str, first_day: date, local_time: time
) -> None:
    await no_freezes(cohort)
    await cohort.say("alice", f"/me timezone={zone}")
    days = [first_day + timedelta(days=i) for i in range(5)]  # the change is on the 3rd day
    for n, day in enumerate(days, 1):
        instant = datetime.combine(day, local_time, tzinfo=ZoneInfo(zone)).astimezone(UTC)
        at(time_machine, instant)
        reply = await cohort.say("alice", "/practice 30m")
        assert reply.startswith("💻 Logged 30m of practice.\n"), reply
        plural = "day" if n == 1 else "days"
        assert f"Streak: {n} {plural} (longest {n})." in reply, (day, reply)
    assert await practice_days(cohort) == days
    assert await current_streak(cohort) == "5 days 🔥"


async def test_gap_breaks_the_streak_without_freezes(cohort: ConsoleAdapter) -> None:
    await no_freezes(cohort)
    for day in ("2026-11-14", "2026-11-15", "2026-11-17"):
        await cohort.say("alice", f"/practice 30m date={day} force=yes")
    fields = await streak_fields(cohort)
    assert fields["Current streak"] == "1 day"
    assert fields["Longest streak"] == "2 days"
    assert fields["Freezes used this month"] == "0 of 0"


async def test_a_freeze_covers_a_missed_day(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort settings freezes=1")
    for day in ("2026-11-14", "2026-11-15", "2026-11-17"):
        await cohort.say("alice", f"/practice 30m date={day} force=yes")
    fields = await streak_fields(cohort)
    assert fields["Current streak"] == "3 days 🔥"  # the frozen day keeps it but adds nothing
    assert fields["Longest streak"] == "3 days"
    assert fields["Freezes used this month"] == "1 of 1"


async def test_a_second_miss_breaks_when_the_freezes_are_used(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort settings freezes=1")
    for day in ("2026-11-13", "2026-11-15", "2026-11-17"):
        await cohort.say("alice", f"/practice 30m date={day} force=yes")
    fields = await streak_fields(cohort)
    assert fields["Current streak"] == "1 day"
    assert fields["Longest streak"] == "2 days"


async def test_freezes_are_per_calendar_month(cohort: ConsoleAdapter, time_machine) -> None:
    await cohort.say("coach", "/cohort settings freezes=1")
    at(time_machine, utc(2026, 11, 3, 12, 0))
    for day in ("2026-10-29", "2026-10-30", "2026-11-02", "2026-11-03"):
        await cohort.say("alice", f"/practice 30m date={day} force=yes")
    # Oct 31 takes October's freeze, Nov 1 takes November's
    fields = await streak_fields(cohort)
    assert fields["Current streak"] == "4 days 🔥"
    assert fields["Freezes used this month"] == "1 of 1"


async def test_a_backdated_log_repairs_the_streak(cohort: ConsoleAdapter) -> None:
    await no_freezes(cohort)
    for day in ("2026-11-14", "2026-11-15", "2026-11-17"):
        await cohort.say("alice", f"/practice 30m date={day} force=yes")
    assert await current_streak(cohort) == "1 day"
    reply = await cohort.say("alice", "/practice 30m date=2026-11-16 forgot to log it force=yes")
    assert reply.startswith("💻 Logged 30m of practice on Mon Nov 16.")
    assert "🔥 Streak: 4 days (longest 4)." in reply
    assert await current_streak(cohort) == "4 days 🔥"


async def test_paused_days_neither_count_nor_break(cohort: ConsoleAdapter, time_machine) -> None:
    await no_freezes(cohort)
    at(time_machine, utc(2026, 11, 10, 12, 0))
    for user in ("alice", "bob"):
        await cohort.say(user, "/practice 30m")
    at(time_machine, utc(2026, 11, 11, 9, 0))
    assert "Paused until Fri Nov 13" in await cohort.say(
        "alice", "/me status=paused until=2026-11-13"
    )
    for day in (14, 15):
        at(time_machine, utc(2026, 11, day, 12, 0))
        for user in ("alice", "bob"):
            await cohort.say(user, "/practice 30m")
    at(time_machine, utc(2026, 11, 16, 12, 0))
    alice = await streak_fields(cohort, "alice")
    assert alice["Current streak"] == "3 days 🔥"  # Nov 10, 14, 15: the pause bridges 11-13
    assert alice["Longest streak"] == "3 days"
    bob = await streak_fields(cohort, "bob")
    assert bob["Current streak"] == "2 days"  # the same days without a pause: broken on the 11th


async def test_a_pause_ended_early_does_not_cover_later_days(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await no_freezes(cohort)
    at(time_machine, utc(2026, 11, 10, 12, 0))
    await cohort.say("alice", "/practice 30m")
    at(time_machine, utc(2026, 11, 11, 9, 0))
    await cohort.say("alice", "/me status=paused until=2026-11-20")
    at(time_machine, utc(2026, 11, 12, 9, 0))
    await cohort.say("alice", "/me status=searching")  # the pause now covers only Nov 11
    at(time_machine, utc(2026, 11, 14, 12, 0))
    assert await current_streak(cohort) == "0 days"  # Nov 12 and 13 were missed
