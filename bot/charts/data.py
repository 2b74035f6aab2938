"""What each chart shows, read from the tracker with a few grouped queries (never one per day)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from bot.calendar.template import minutes_by_category, planned_week
from bot.charts.figures import CohortChart, FunnelChart, TrendChart, WeekChart
from bot.domain.calendar import week_label, week_start
from bot.domain.scoring import Targets
from bot.domain.vocab import CATEGORIES, CATEGORY_LABELS, STAGES
from bot.progress import effective_status, totals_by_week
from storage.models import Cohort, Member
from storage.repository import TenantRepository

WEEKS = 8


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


async def week_chart(
    repo: TenantRepository, member: Member, targets: Targets, anchor: date, whose: str
) -> WeekChart:
    start = week_start(anchor)
    end = start + timedelta(days=6)
    counts = await repo.daily_counts([member.id], start, end)
    practice = counts["practice"].get(member.id, {})
    by_category = await repo.hours_by_category(member.id, start, end)
    by_category["coding"] = by_category.get("coding", 0) + sum(practice.values())
    planned = minutes_by_category((await planned_week(repo, member.id))[0])
    return WeekChart(
        title=f"{whose} week, {week_label(start)}",
        counts=(
            (
                "Applications",
                sum(counts["applications"].get(member.id, {}).values()),
                targets.applications,
            ),
            ("Outreach", sum(counts["outreach"].get(member.id, {}).values()), targets.outreach),
            ("Practice days", sum(1 for v in practice.values() if v > 0), targets.practice_days),
        ),
        categories=tuple(CATEGORY_LABELS[c] for c in CATEGORIES),
        actual_hours=tuple(_hours(by_category.get(c, 0)) for c in CATEGORIES),
        planned_hours=tuple(_hours(planned.get(c, 0)) for c in CATEGORIES),
    )


def _mondays(anchor: date) -> list[date]:
    last = week_start(anchor)
    return [last - timedelta(weeks=i) for i in reversed(range(WEEKS))]


async def trend_chart(
    repo: TenantRepository, member: Member, targets: Targets, anchor: date, whose: str
) -> TrendChart:
    mondays = _mondays(anchor)
    since, until = mondays[0], mondays[-1] + timedelta(days=6)
    counts = await repo.daily_counts([member.id], since, until)
    minutes: dict[str, Counter[date]] = defaultdict(Counter)
    for log in await repo.hour_logs(member.id, since, until):
        minutes[log.category][week_start(log.day)] += log.minutes
    for day, value in counts["practice"].get(member.id, {}).items():
        minutes["coding"][week_start(day)] += value

    weeks = totals_by_week(counts, member.id, mondays)

    return TrendChart(
        title=f"{whose} last {WEEKS} weeks",
        weeks=tuple(f"{m:%b} {m.day}" for m in mondays),
        categories=tuple(CATEGORY_LABELS[c] for c in CATEGORIES),
        hours=tuple(tuple(_hours(minutes[c][m]) for m in mondays) for c in CATEGORIES),
        hours_target=float(targets.hours),
        applications=tuple(weeks[m].applications for m in mondays),
        outreach=tuple(weeks[m].outreach for m in mondays),
        applications_target=targets.applications,
        outreach_target=targets.outreach,
    )


async def cohort_chart(
    repo: TenantRepository, cohort: Cohort, targets: Targets, anchor: date
) -> CohortChart:
    """Totals only, never names (leaderboard opt-outs hold); targets count searching members."""
    members = [m for m in await repo.cohort_members(cohort.id) if m.role == "member"]
    mondays = _mondays(anchor)
    since, until = mondays[0], mondays[-1] + timedelta(days=6)
    counts = await repo.daily_counts([m.id for m in members], since, until)

    weeks = [totals_by_week(counts, m.id, mondays) for m in members]

    def per_week(figure: str) -> tuple[int, ...]:
        return tuple(sum(getattr(w[monday], figure) for w in weeks) for monday in mondays)

    n = sum(1 for m in members if effective_status(m, anchor) == "searching")
    return CohortChart(
        title=f"{cohort.name}: the cohort's weeks ({n} searching, targets are per searcher)",
        weeks=tuple(f"{m:%b} {m.day}" for m in mondays),
        series=(
            ("Applications", per_week("applications"), targets.applications * n),
            ("Outreach", per_week("outreach"), targets.outreach * n),
            ("Practice days", per_week("practice_days"), targets.practice_days * n),
        ),
    )


async def funnel_chart(repo: TenantRepository, member: Member, whose: str) -> FunnelChart:
    stages = Counter(a.stage for a in await repo.applications(member.id))
    return FunnelChart(
        title=f"{whose} applications by stage ({sum(stages.values())} in all)",
        stages=STAGES,
        counts=tuple(stages.get(s, 0) for s in STAGES),
    )
