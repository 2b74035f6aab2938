"""Weekly totals against targets, the leaderboard score and tie-aware ranking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.vocab import SCORE_WEIGHTS


@dataclass(frozen=True)
class WeekTotals:
    applications: int = 0
    outreach: int = 0
    practice_days: int = 0
    practice_minutes: int = 0
    hour_minutes: int = 0

    @property
    def total_minutes(self) -> int:
        """Job-search time: logged hours plus practice (practice counts as coding time)."""
        return self.hour_minutes + self.practice_minutes

    @property
    def score(self) -> int:
        return (
            SCORE_WEIGHTS["applications"] * self.applications
            + SCORE_WEIGHTS["outreach"] * self.outreach
            + SCORE_WEIGHTS["practice_days"] * self.practice_days
        )


@dataclass(frozen=True)
class Targets:
    applications: int = 10
    outreach: int = 10
    practice_days: int = 5
    hours: int = 40

    def below(self, totals: WeekTotals) -> list[str]:
        """Which targets ``totals`` misses, by name."""
        missed = []
        if totals.applications < self.applications:
            missed.append("applications")
        if totals.outreach < self.outreach:
            missed.append("outreach")
        if totals.practice_days < self.practice_days:
            missed.append("practice")
        if totals.total_minutes < self.hours * 60:
            missed.append("hours")
        return missed


def competition_ranks(scores: Sequence[int]) -> list[int]:
    """Standard competition ranking ("1224"): equal scores share a rank, the next one skips.

    ``scores`` must be sorted from best to worst.
    """
    ranks: list[int] = []
    for i, score in enumerate(scores):
        ranks.append(ranks[-1] if i and score == scores[i - 1] else i + 1)
    return ranks


def progress_bar(value: int, target: int, width: int = 10) -> str:
    """A text bar such as ``███████░░░`` for value/target (capped at full)."""
    if target <= 0:
        return "█" * width
    filled = max(0, min(width, round(width * value / target)))
    return "█" * filled + "░" * (width - filled)
