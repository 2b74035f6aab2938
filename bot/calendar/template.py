"""The planned week for calendars and charts: the member's own blocks, or the 40-hour template."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from bot.planning.week import Block, template
from storage.models import WeekPlanBlock
from storage.repository import TenantRepository

# One template for the whole app: the planning commands own it (bot/planning/week.py).
PlannedBlock = Block
DEFAULT_WEEK: tuple[PlannedBlock, ...] = tuple(template())


async def planned_week(repo: TenantRepository, member_id: int) -> tuple[list[PlannedBlock], bool]:
    """The member's planned blocks, and whether they are the default template."""
    rows = await repo.scalars(
        select(WeekPlanBlock)
        .where(WeekPlanBlock.member_id == member_id, WeekPlanBlock.minutes > 0)
        .order_by(WeekPlanBlock.weekday, WeekPlanBlock.start, WeekPlanBlock.id)
    )
    if not rows:
        return list(DEFAULT_WEEK), True
    return [PlannedBlock(r.weekday, r.category, r.start, r.minutes) for r in rows], False


def minutes_by_category(blocks: list[PlannedBlock]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for block in blocks:
        totals[block.category] += block.minutes
    return dict(totals)
