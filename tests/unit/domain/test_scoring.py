"""Tests for bot.domain.scoring: weekly totals, targets, ranks and progress bars."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.scoring import Targets, WeekTotals, competition_ranks, progress_bar


@pytest.mark.parametrize(
    ("scores", "ranks"),
    [
        ([], []),
        ([10], [1]),
        ([9, 8, 7], [1, 2, 3]),
        ([10, 8, 8, 5], [1, 2, 2, 4]),
        ([7, 7, 7], [1, 1, 1]),
        ([5, 5, 3, 3, 1], [1, 1, 3, 3, 5]),
        ([4, 0, 0], [1, 2, 2]),
    ],
)
def test_competition_ranks(scores: list[int], ranks: list[int]) -> None:
    assert competition_ranks(scores) == ranks


@given(st.lists(st.integers(min_value=0, max_value=50)))
def test_rank_is_one_plus_number_of_strictly_better_scores(scores: list[int]) -> None:
    ordered = sorted(scores, reverse=True)
    expected = [1 + sum(other > s for other in ordered) for s in ordered]
    assert competition_ranks(ordered) == expected


def test_score_weights_applications_outreach_and_practice_days() -> None:
    assert WeekTotals().score == 0
    assert WeekTotals(applications=1).score == 3
    assert WeekTotals(outreach=1).score == 2
    assert WeekTotals(practice_days=1).score == 1
    totals = WeekTotals(applications=2, outreach=3, practice_days=4)
    assert totals.score == 16


def test_minutes_do_not_score() -> None:
    assert WeekTotals(practice_minutes=600, hour_minutes=600).score == 0


def test_total_minutes_includes_practice() -> None:
    assert WeekTotals(practice_minutes=45, hour_minutes=120).total_minutes == 165


def test_below_every_default_target() -> None:
    assert Targets().below(WeekTotals()) == ["applications", "outreach", "practice", "hours"]


def test_meeting_targets_exactly_misses_nothing() -> None:
    totals = WeekTotals(applications=10, outreach=10, practice_days=5, hour_minutes=40 * 60)
    assert Targets().below(totals) == []


def test_practice_minutes_count_towards_hours() -> None:
    targets = Targets(applications=0, outreach=0, practice_days=0, hours=1)
    assert targets.below(WeekTotals(practice_minutes=30, hour_minutes=30)) == []
    assert targets.below(WeekTotals(practice_minutes=30, hour_minutes=29)) == ["hours"]


def test_below_names_only_the_missed_targets() -> None:
    targets = Targets(applications=2, outreach=2, practice_days=2, hours=1)
    totals = WeekTotals(applications=2, outreach=1, practice_days=3, hour_minutes=60)
    assert targets.below(totals) == ["outreach"]


@pytest.mark.parametrize(
    ("value", "target", "width", "bar"),
    [
        (0, 10, 10, "░░░░░░░░░░"),
        (5, 10, 10, "█████░░░░░"),
        (10, 10, 10, "██████████"),
        (25, 10, 10, "██████████"),
        (1, 3, 10, "███░░░░░░░"),
        (3, 0, 10, "██████████"),
        (0, 0, 4, "████"),
        (1, 2, 4, "██░░"),
    ],
)
def test_progress_bar(value: int, target: int, width: int, bar: str) -> None:
    assert progress_bar(value, target, width) == bar


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=100))
def test_progress_bar_is_always_full_width(value: int, target: int) -> None:
    bar = progress_bar(value, target)
    assert len(bar) == 10
    assert set(bar) <= {"█", "░"}
    assert (bar == "█" * 10) == (round(10 * value / target) >= 10)
