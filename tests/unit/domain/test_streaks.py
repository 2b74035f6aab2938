"""Tests for bot.domain.streaks: consecutive practice days with freezes and pauses."""

from datetime import date, timedelta

from bot.domain.streaks import Streak, compute_streak

TODAY = date(2026, 3, 11)  # a Wednesday; its ISO week starts Monday 2026-03-09


def mar(*days: int) -> list[date]:
    return [date(2026, 3, d) for d in days]


def span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_no_practice_at_all() -> None:
    assert compute_streak([], TODAY) == Streak(0, 0, 0, 0, (), False)


def test_consecutive_days_through_today() -> None:
    streak = compute_streak(mar(7, 8, 9, 10, 11), TODAY)
    assert streak.current == 5
    assert streak.longest == 5
    assert streak.practiced_today is True
    assert streak.week_days == 3  # Mon 9, Tue 10, Wed 11


def test_today_not_yet_practised_does_not_break() -> None:
    streak = compute_streak(mar(8, 9, 10), TODAY)
    assert streak.current == 3
    assert streak.practiced_today is False
    assert streak.week_days == 2  # Sunday the 8th belongs to last week


def test_missing_yesterday_breaks() -> None:
    streak = compute_streak(mar(1, 2, 3, 4, 5, 6, 7, 8, 9), TODAY)
    assert streak.current == 0
    assert streak.longest == 9


def test_gap_restarts_and_longest_is_kept() -> None:
    streak = compute_streak(mar(1, 2, 3, 4, 5, 7, 8, 9, 10), TODAY)
    assert streak.current == 4
    assert streak.longest == 5


def test_input_order_and_duplicates_do_not_matter() -> None:
    days = iter(mar(10, 9, 9, 11, 10))
    assert compute_streak(days, TODAY).current == 3


def test_future_days_are_ignored() -> None:
    streak = compute_streak(mar(10, 12, 13, 20), TODAY)
    assert streak == Streak(1, 1, 1, 0, (), False)
    assert compute_streak(mar(12, 13), TODAY) == Streak(0, 0, 0, 0, (), False)


def test_freeze_bridges_a_missed_day_without_adding() -> None:
    streak = compute_streak(mar(5, 6, 7, 8, 10), TODAY, freezes_per_month=1)
    assert streak.current == 5
    assert streak.longest == 5
    assert streak.frozen_days == (date(2026, 3, 9),)
    assert streak.freezes_used_this_month == 1


def test_without_freezes_the_same_gap_breaks() -> None:
    streak = compute_streak(mar(5, 6, 7, 8, 10), TODAY, freezes_per_month=0)
    assert streak.current == 1
    assert streak.frozen_days == ()


def test_freezes_are_used_in_chronological_order() -> None:
    # One freeze in March: the 5th takes it, so the miss on the 8th breaks the streak.
    streak = compute_streak(mar(2, 3, 4, 6, 7, 9, 10), TODAY, freezes_per_month=1)
    assert streak.frozen_days == (date(2026, 3, 5),)
    assert streak.freezes_used_this_month == 1
    assert streak.longest == 5
    assert streak.current == 2


def test_two_freezes_cover_two_missed_days() -> None:
    streak = compute_streak(mar(2, 3, 4, 6, 7, 9, 10), TODAY, freezes_per_month=2)
    assert streak.frozen_days == (date(2026, 3, 5), date(2026, 3, 8))
    assert streak.freezes_used_this_month == 2
    assert streak.current == 7


def test_freezes_reset_each_month() -> None:
    today = date(2026, 2, 3)
    days = [date(2026, 1, 28), date(2026, 1, 29), date(2026, 1, 30), date(2026, 2, 2)]
    streak = compute_streak(days, today, freezes_per_month=1)
    assert streak.frozen_days == (date(2026, 1, 31), date(2026, 2, 1))
    assert streak.current == 4
    assert streak.freezes_used_this_month == 1  # only February's counts


def test_freezes_reset_across_a_year_boundary() -> None:
    days = [date(2025, 12, 30), date(2026, 1, 2)]
    streak = compute_streak(days, date(2026, 1, 2), freezes_per_month=1)
    assert streak.frozen_days == (date(2025, 12, 31), date(2026, 1, 1))
    assert streak.current == 2


def test_second_miss_in_a_month_breaks_with_one_freeze() -> None:
    days = [date(2026, 1, 28), date(2026, 1, 29), date(2026, 2, 1)]
    streak = compute_streak(days, date(2026, 2, 1), freezes_per_month=1)
    assert streak.frozen_days == (date(2026, 1, 30),)
    assert streak.current == 1
    assert streak.longest == 2


def test_freezes_are_not_used_when_no_streak_is_running() -> None:
    days = [date(2026, 2, 20), date(2026, 3, 10)]
    streak = compute_streak(days, TODAY, freezes_per_month=1)
    # Feb 21 is frozen, Feb 22 breaks; March's misses come after the break and keep their freeze.
    assert streak.frozen_days == (date(2026, 2, 21),)
    assert streak.freezes_used_this_month == 0
    assert streak.current == 1


def test_today_never_uses_a_freeze() -> None:
    streak = compute_streak(mar(9, 10), TODAY, freezes_per_month=3)
    assert streak.frozen_days == ()
    assert streak.freezes_used_this_month == 0


def test_paused_days_neither_count_nor_break() -> None:
    pauses = [(date(2026, 3, 5), date(2026, 3, 8))]
    streak = compute_streak(mar(2, 3, 4, 9, 10), TODAY, pauses=pauses)
    assert streak.current == 5
    assert streak.longest == 5
    assert streak.frozen_days == ()


def test_paused_days_do_not_use_freezes() -> None:
    pauses = [(date(2026, 3, 5), date(2026, 3, 5))]
    streak = compute_streak(mar(3, 4, 6, 7, 9, 10), TODAY, freezes_per_month=1, pauses=pauses)
    assert streak.frozen_days == (date(2026, 3, 8),)
    assert streak.current == 6


def test_pause_only_covers_its_own_range() -> None:
    pauses = [(date(2026, 3, 5), date(2026, 3, 6))]
    streak = compute_streak(mar(3, 4, 8, 9, 10), TODAY, pauses=pauses)
    assert streak.current == 3  # the 7th was not paused and breaks the streak
    assert streak.longest == 3


def test_pause_running_into_today() -> None:
    pauses = [(date(2026, 3, 9), TODAY)]
    streak = compute_streak(mar(6, 7, 8), TODAY, pauses=pauses)
    assert streak.current == 3


def test_long_streak_spanning_months() -> None:
    days = span(date(2026, 1, 1), TODAY)
    streak = compute_streak(days, TODAY)
    assert streak.current == len(days) == 70
    assert streak.longest == 70
    assert streak.week_days == 3
