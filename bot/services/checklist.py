"""The housekeeping checklist: the cohort's template of one-off tasks, and each member's copy.

The plan's housekeeping (a portfolio with three projects, LinkedIn "open to work", a master
résumé and cover letter, a calendar with the week blocked out) is done once, early, and is easy
to leave for later. A cohort's template lists the tasks with when each is due (days after a
member joins, or a fixed day such as the portfolio review); a member's copy records status, a
note and a link. Copies are written only when a member changes one, so a template change
reaches everyone at once and reading never writes (the standup reminder reads the same view).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.domain.calendar import local_today
from storage.models import ChecklistItem, ChecklistTask, Cohort, Member
from storage.repository import TenantRepository

STATUSES = ("todo", "doing", "done", "skipped")
OPEN = frozenset({"todo", "doing"})
REMIND_AHEAD = timedelta(days=2)  # a task shows with the standup from two days before it is due

#: The plan's housekeeping, with when each is due (days after joining). Résumé and portfolio come
#: before the portfolio review (two weeks in by default); the rest in the first weeks.
DEFAULT_ITEMS: tuple[tuple[str, int], ...] = (
    ("A shareable calendar with your job-search week blocked out", 3),
    ("A master résumé to customise for each employer", 7),
    ('LinkedIn up to date and showing "open to work" (note what you changed)', 7),
    ("Portfolio: at least three projects displayed, and your desired locations listed", 14),
    ("A master cover letter with your key talking points", 14),
)


@dataclass(frozen=True)
class TaskView:
    """One line of a member's checklist: the template item and the member's copy, if any."""

    number: int  # the item's position, as members refer to it
    item: ChecklistItem
    due_on: date
    status: str
    note: str
    link: str
    task: ChecklistTask | None

    @property
    def open(self) -> bool:
        return self.status in OPEN


def default_items(cohort_id: int, now: datetime) -> list[ChecklistItem]:
    return [
        ChecklistItem(cohort_id=cohort_id, position=i, title=title, due_days=days, created_at=now)
        for i, (title, days) in enumerate(DEFAULT_ITEMS, 1)
    ]


async def template(
    repo: TenantRepository, cohort: Cohort, now: datetime, *, seed: bool = True
) -> list[ChecklistItem]:
    """The cohort's items in order; a cohort without any gets the plan's defaults (saved when
    ``seed``; a read-only caller gets them unsaved, which is the same list)."""
    items = list(
        await repo.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.cohort_id == cohort.id)
            .order_by(ChecklistItem.position, ChecklistItem.id)
        )
    )
    if items:
        return items
    items = default_items(cohort.id, now)
    if seed:
        await repo.add_all(items)
        await repo.flush()
    return items


def due_day(item: ChecklistItem, member: Member) -> date:
    if item.due_on is not None:
        return item.due_on
    joined = local_today(member.joined_at, member.timezone)
    return joined + timedelta(days=item.due_days or 0)


async def member_checklist(
    repo: TenantRepository, cohort: Cohort, member: Member, now: datetime, *, seed: bool = True
) -> list[TaskView]:
    return (await cohort_checklists(repo, cohort, [member], now, seed=seed))[member.id]


async def cohort_checklists(
    repo: TenantRepository,
    cohort: Cohort,
    members: Sequence[Member],
    now: datetime,
    *,
    seed: bool = True,
) -> dict[int, list[TaskView]]:
    """Each member's checklist, from one read of the template and one of everyone's copies."""
    items = await template(repo, cohort, now, seed=seed)
    saved = [i.id for i in items if i.id is not None]
    tasks: dict[tuple[int, int], ChecklistTask] = {}
    if saved and members:
        rows = await repo.scalars(
            select(ChecklistTask).where(
                ChecklistTask.member_id.in_([m.id for m in members]),
                ChecklistTask.item_id.in_(saved),
            )
        )
        tasks = {(t.member_id, t.item_id): t for t in rows}
    return {m.id: _views(items, m, tasks) for m in members}


def _views(
    items: list[ChecklistItem], member: Member, tasks: dict[tuple[int, int], ChecklistTask]
) -> list[TaskView]:
    views = []
    for number, item in enumerate(items, 1):
        task = tasks.get((member.id, item.id)) if item.id is not None else None
        views.append(
            TaskView(
                number=number,
                item=item,
                due_on=task.due_on if task else due_day(item, member),
                status=task.status if task else "todo",
                note=task.note if task else "",
                link=task.link if task else "",
                task=task,
            )
        )
    return views


async def task_for(repo: TenantRepository, view: TaskView, member: Member) -> ChecklistTask:
    """The member's copy of ``view``'s item, written on first change."""
    if view.task is not None:
        return view.task
    return await repo.add(
        ChecklistTask(
            member_id=member.id,
            item_id=view.item.id,
            due_on=view.due_on,
            status="todo",
            note="",
            link="",
        )
    )


def due_soon(views: list[TaskView], day: date) -> list[TaskView]:
    """Open tasks due within ``REMIND_AHEAD`` of ``day``, or overdue: the standup's reminder."""
    return [v for v in views if v.open and v.due_on <= day + REMIND_AHEAD]
