"""The prompt plan: who gets what, at their own wall-clock time, across DST, weekends and pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.prompt_rules import CohortFacts, Kind, plan_cohort
from storage.models import Cohort, Member

JOINED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def cohort(**overrides) -> Cohort:
    values = dict(
        id=1,
        tenant_id=1,
        name="Fall",
        channel_id="C1",
        timezone="America/New_York",
        standup_time=time(9, 0),
        standup_days="0,1,2,3,4",
        reminder_time=time(13, 0),
        summary_time=time(17, 0),
        retro_day=4,
        retro_time=time(16, 0),
        target_applications=10,
        target_outreach=10,
        target_practice_days=5,
        target_hours=40,
        streak_freezes=2,
        mention_missing=False,
    )
    values.update(overrides)
    return Cohort(**values)


def member(member_id: int, zone: str, **overrides) -> Member:
    values = dict(
        id=member_id,
        tenant_id=1,
        cohort_id=1,
        platform_user_id=f"U{member_id}",
        display_name=f"m{member_id}",
        role="member",
        timezone=zone,
        status="searching",
        paused_until=None,
        leaderboard="shown",
        joined_at=JOINED,
        unreachable_since=None,
        unreachable_reason="",
    )
    values.update(overrides)
    return Member(**values)


def tick_through(
    c: Cohort,
    members: list[Member],
    start: datetime,
    end: datetime,
    facts: CohortFacts | None = None,
    step: timedelta = timedelta(minutes=1),
):
    """Plan minute by minute like a ticking scheduler would; collect unique keys."""
    seen = {}
    since = start
    while since < end:
        now = since + step
        for planned in plan_cohort(c, members, since, now, facts or CohortFacts()):
            seen.setdefault(planned.key, planned)
        since = now
    return list(seen.values())


def local(p, zone: str) -> datetime:
    return p.due_at.astimezone(ZoneInfo(zone))


def test_each_member_gets_the_standup_at_their_own_nine() -> None:
    zones = ["America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo"]
    members = [member(i + 1, zone) for i, zone in enumerate(zones)]
    # Wednesday 2026-11-18, a whole UTC day and its neighbours
    planned = tick_through(
        cohort(),
        members,
        datetime(2026, 11, 17, 12, tzinfo=UTC),
        datetime(2026, 11, 19, 12, tzinfo=UTC),
    )
    standups = [p for p in planned if p.kind is Kind.STANDUP and p.local_day == date(2026, 11, 18)]
    assert len(standups) == 3
    for p in standups:
        zone = zones[p.member_id - 1]
        assert local(p, zone).time() == time(9, 0)
        assert local(p, zone).date() == date(2026, 11, 18)


@pytest.mark.parametrize(
    ("zone", "dst_day"),
    [
        ("America/New_York", date(2026, 11, 1)),
        ("Europe/Berlin", date(2026, 10, 25)),
        ("Europe/Berlin", date(2026, 3, 29)),
        ("America/New_York", date(2026, 3, 8)),
    ],
)
def test_dst_change_days_send_exactly_one_prompt_at_nine_local(zone: str, dst_day: date) -> None:
    c = cohort(standup_days="0,1,2,3,4,5,6")
    start = datetime.combine(dst_day - timedelta(days=1), time(0), ZoneInfo(zone))
    planned = tick_through(
        c, [member(1, zone)], start.astimezone(UTC), (start + timedelta(days=3)).astimezone(UTC)
    )
    on_day = [p for p in planned if p.kind is Kind.STANDUP and p.local_day == dst_day]
    assert len(on_day) == 1
    assert local(on_day[0], zone).time() == time(9, 0)
    days = sorted(p.local_day for p in planned if p.kind is Kind.STANDUP)
    assert days == sorted(set(days)), "one standup per local day"


def test_weekends_get_no_standups() -> None:
    planned = tick_through(
        cohort(),
        [member(1, "UTC")],
        datetime(2026, 11, 21, tzinfo=UTC),
        datetime(2026, 11, 23, tzinfo=UTC),
        step=timedelta(minutes=15),
    )
    assert [p for p in planned if p.kind in (Kind.STANDUP, Kind.REMINDER, Kind.SUMMARY)] == []


def test_paused_and_hired_members_get_nothing_until_the_pause_ends() -> None:
    paused = member(1, "UTC", status="paused", paused_until=date(2026, 11, 18))
    hired = member(2, "UTC", status="hired")
    planned = tick_through(
        cohort(),
        [paused, hired],
        datetime(2026, 11, 17, tzinfo=UTC),
        datetime(2026, 11, 20, tzinfo=UTC),
        step=timedelta(minutes=15),
    )
    standups = [(p.member_id, p.local_day) for p in planned if p.kind is Kind.STANDUP]
    assert standups == [(1, date(2026, 11, 19))]


def test_reminder_goes_only_to_members_who_have_not_answered() -> None:
    facts = CohortFacts(answered=frozenset({(1, date(2026, 11, 18))}))
    planned = tick_through(
        cohort(),
        [member(1, "UTC"), member(2, "UTC")],
        datetime(2026, 11, 18, tzinfo=UTC),
        datetime(2026, 11, 19, tzinfo=UTC),
        facts,
        step=timedelta(minutes=5),
    )
    reminders = [p for p in planned if p.kind is Kind.REMINDER]
    assert [(p.member_id, local(p, "UTC").time()) for p in reminders] == [(2, time(13, 0))]


def test_members_who_join_mid_week_start_the_next_working_day() -> None:
    newcomer = member(1, "UTC", joined_at=datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    planned = tick_through(
        cohort(),
        [newcomer],
        datetime(2026, 11, 18, tzinfo=UTC),
        datetime(2026, 11, 20, tzinfo=UTC),
        step=timedelta(minutes=15),
    )
    assert sorted({p.local_day for p in planned if p.kind is Kind.STANDUP}) == [date(2026, 11, 19)]


def test_holidays_send_nothing() -> None:
    facts = CohortFacts(holidays=frozenset({date(2026, 11, 18)}))
    planned = tick_through(
        cohort(),
        [member(1, "UTC")],
        datetime(2026, 11, 18, tzinfo=UTC),
        datetime(2026, 11, 19, tzinfo=UTC),
        facts,
        step=timedelta(minutes=15),
    )
    assert planned == []


def test_channel_posts_follow_the_cohort_zone_and_coaches_get_monday_digests() -> None:
    coach = member(9, "Europe/London", role="coach")
    planned = tick_through(
        cohort(),
        [coach, member(1, "UTC")],
        datetime(2026, 11, 22, 12, tzinfo=UTC),
        datetime(2026, 11, 24, tzinfo=UTC),
        step=timedelta(minutes=15),
    )
    by_kind = {p.kind: p for p in planned}
    assert local(by_kind[Kind.LEADERBOARD], "America/New_York").time() == time(9, 0)
    assert local(by_kind[Kind.SUMMARY], "America/New_York").time() == time(17, 0)
    assert by_kind[Kind.SUMMARY].member_id is None
    assert local(by_kind[Kind.DIGEST], "Europe/London").time() == time(8, 0)
    assert by_kind[Kind.DIGEST].member_id == 9
    assert not [p for p in planned if p.member_id == 9 and p.kind is Kind.STANDUP]


def test_retro_is_weekly_and_keyed_by_monday() -> None:
    planned = tick_through(
        cohort(),
        [member(1, "Asia/Tokyo")],
        datetime(2026, 11, 19, tzinfo=UTC),
        datetime(2026, 11, 21, tzinfo=UTC),
        step=timedelta(minutes=15),
    )
    (retro,) = [p for p in planned if p.kind is Kind.RETRO]
    assert local(retro, "Asia/Tokyo") == datetime(
        2026, 11, 20, 16, 0, tzinfo=ZoneInfo("Asia/Tokyo")
    )
    assert retro.key == "retro:m1:2026-11-16"


def test_planning_after_downtime_sends_todays_late_but_not_yesterdays() -> None:
    # Down from Tuesday 08:00 to Wednesday 10:00 UTC: one catch-up plan over the last 24h.
    now = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    planned = plan_cohort(
        cohort(timezone="UTC"), [member(1, "UTC")], now - timedelta(hours=24), now
    )
    assert {(p.kind, p.local_day) for p in planned} == {
        (Kind.STANDUP, date(2026, 11, 18)),
        (Kind.FOLLOWUPS, date(2026, 11, 18)),
    }


def test_keys_are_stable_so_replanning_is_a_no_op() -> None:
    now = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    first = plan_cohort(cohort(), [member(1, "UTC")], now - timedelta(hours=2), now)
    again = plan_cohort(cohort(), [member(1, "UTC")], now - timedelta(hours=3), now)
    assert [p.key for p in first] == [p.key for p in again]
    assert "standup:m1:2026-11-18" in [p.key for p in first]
