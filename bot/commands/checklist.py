"""/checklist: the plan's housekeeping tasks, per member, from the cohort's template.

Members see and tick off their tasks (with a note of what changed and a link to show it);
coaches edit the cohort's template and see completion per member. The standup mentions a task
from two days before it is due until it is done.
"""

from __future__ import annotations

from datetime import date

from bot.context import Context
from bot.errors import UserError
from bot.format import day, due_phrase
from bot.params import Kind, Param
from bot.registry import CommandSet, Example, Role
from bot.replies import Reply, Table, t
from bot.services.checklist import (
    STATUSES,
    TaskView,
    cohort_checklists,
    member_checklist,
    task_for,
    template,
)
from bot.timeparse import DateParseError, Direction, parse_date
from storage.models import ChecklistItem

commands = CommandSet()

NUMBER = Param(
    "task",
    Kind.INTEGER,
    "the task's number in /checklist show",
    required=True,
    positional=True,
    minimum=1,
    maximum=50,
    example="2",
)
NOTE = Param(
    "note", Kind.TEXT, "what you did or changed", max_length=1000, example='"new headline"'
)
LINK = Param("link", Kind.TEXT, "a link to show it", max_length=500, example="https://...")
MAX_ITEMS = 25


def _status(view: TaskView, today: date) -> str:
    if view.status == "done":
        return "✅ done"
    if view.status == "skipped":
        return "skipped"
    marker = "🔧 doing" if view.status == "doing" else "⬜ to do"
    return f"{marker}, {due_phrase(view.due_on, today)}"


def _table(title: str, views: list[TaskView], today: date) -> Table:
    return Table(
        title,
        ("#", "task", "due", "status", "note"),
        tuple(
            (
                str(v.number),
                v.item.title,
                day(v.due_on),
                _status(v, today),
                " ".join(p for p in (v.note, v.link) if p),
            )
            for v in views
        ),
        empty="No tasks in this cohort's checklist.",
    )


def _pick(views: list[TaskView], number: int) -> TaskView:
    for view in views:
        if view.number == number:
            return view
    raise UserError(
        f"There is no task {number} in your checklist (1-{len(views)}).",
        hint=t("See the numbers with `/checklist show`."),
        param="task",
    )


@commands.command(
    "checklist show",
    "Your housekeeping tasks (portfolio, résumé, LinkedIn, cover letter, calendar), when due",
    examples=[Example("/checklist show", "LinkedIn")],
)
async def checklist_show(ctx: Context) -> Reply:
    cohort = ctx.require_cohort()
    views = await member_checklist(ctx.repo, cohort, ctx.member, ctx.now)
    done = sum(1 for v in views if v.status in ("done", "skipped"))
    return Reply.of(
        _table(f"Your checklist: {done} of {len(views)} done", views, ctx.today),
        t('Tick one off with `/checklist done 2 note="what changed" link=https://...`.'),
    )


async def _update(
    ctx: Context, number: int, status: str, note: str | None, link: str | None
) -> Reply:
    cohort = ctx.require_cohort()
    views = await member_checklist(ctx.repo, cohort, ctx.member, ctx.now)
    view = _pick(views, number)
    task = await task_for(ctx.repo, view, ctx.member)
    task.status = status
    task.done_on = ctx.today if status == "done" else None
    if note is not None:
        task.note = note.strip()
    if link is not None:
        task.link = link.strip()
    still_open = status in ("todo", "doing")
    left = sum(1 for v in views if v.open and v.number != number) + int(still_open)
    verb = {"done": "✅ Done", "doing": "🔧 Started", "todo": "⬜ Back to do", "skipped": "Skipped"}
    tail = "Everything on your checklist is done. 🎉" if left == 0 else f"{left} to go."
    return Reply.of(f"{verb[status]}: {view.item.title}. {tail}")


@commands.command(
    "checklist done",
    "Tick off a housekeeping task, with a note of what changed and a link",
    params=[NUMBER, NOTE, LINK],
    examples=[Example('/checklist done 3 note="headline and open to work"', "Done")],
)
async def checklist_done(ctx: Context, *, task: int, note: str | None, link: str | None) -> Reply:
    return await _update(ctx, task, "done", note, link)


@commands.command(
    "checklist set",
    "Change a task's status (todo, doing, done, skipped), note or link",
    params=[
        NUMBER,
        Param("status", Kind.CHOICE, "the task's status", choices=STATUSES, example="doing"),
        NOTE,
        LINK,
    ],
    examples=[Example("/checklist set 2 status=doing", "Started")],
)
async def checklist_set(
    ctx: Context, *, task: int, status: str | None, note: str | None, link: str | None
) -> Reply:
    if status is None and note is None and link is None:
        raise UserError(
            "Say what to change: status, note or link.",
            hint=t('e.g. `/checklist set {n} status=doing note="first draft"`.', n=str(task)),
            param="status",
        )
    if status is None:
        views = await member_checklist(ctx.repo, ctx.require_cohort(), ctx.member, ctx.now)
        status = _pick(views, task).status
    return await _update(ctx, task, status, note, link)


def _due(raw: str, today: date) -> tuple[int | None, date | None]:
    """``14`` (days after joining) or a date."""
    text = raw.strip()
    if text.isdigit():
        days = int(text)
        if days > 365:
            raise UserError("Make it due within a year of joining.", param="due")
        return days, None
    try:
        return None, parse_date(text, today, Direction.FUTURE)
    except DateParseError as exc:
        raise UserError(
            t(
                "`due`: {problem}. Use days after joining (14) or a date (2026-12-15).",
                problem=str(exc),
            ),
            param="due",
        ) from exc


@commands.command(
    "checklist template",
    "The cohort's checklist: add a task (due days after joining, or a date) or remove one",
    params=[
        Param("add", Kind.TEXT, "a task to add", max_length=200, example='"GitHub profile README"'),
        Param(
            "due",
            Kind.TEXT,
            "when it is due: days after joining, or a date",
            max_length=40,
            example="14",
        ),
        Param("remove", Kind.INTEGER, "the number of a task to remove", minimum=1, maximum=50),
    ],
    role=Role.COACH,
    examples=[
        Example('/checklist template add="GitHub profile README" due=10', "GitHub", as_user="coach")
    ],
    details="New cohorts start with the plan's housekeeping list. Removing a task removes it "
    "from everyone's checklist.",
)
async def checklist_template(
    ctx: Context, *, add: str | None, due: str | None, remove: int | None
) -> Reply:
    cohort = ctx.require_cohort()
    items = await template(ctx.repo, cohort, ctx.now)
    lines: list[str] = []
    if remove is not None:
        if remove > len(items):
            raise UserError(f"There is no task {remove} (1-{len(items)}).", param="remove")
        gone = items.pop(remove - 1)
        await ctx.repo.delete(gone)
        for position, item in enumerate(items, 1):
            item.position = position
        lines.append(f"Removed: {gone.title}.")
    if add is not None:
        if not add.strip():
            raise UserError("A task needs a title.", param="add")
        if len(items) >= MAX_ITEMS:
            raise UserError(f"A checklist holds at most {MAX_ITEMS} tasks.", param="add")
        days, on = _due(due, ctx.today) if due else (7, None)
        item = ChecklistItem(
            cohort_id=cohort.id,
            position=len(items) + 1,
            title=add.strip(),
            due_days=days,
            due_on=on,
            created_at=ctx.now,
        )
        await ctx.repo.add(item)
        items.append(item)
        lines.append(f"Added: {item.title}.")
    elif due is not None:
        raise UserError("`due` goes with `add`.", param="due")
    rows = tuple(
        (
            str(n),
            i.title,
            day(i.due_on) if i.due_on else f"{i.due_days or 0} days after joining",
        )
        for n, i in enumerate(items, 1)
    )
    return Reply.of(*lines, Table(f"{cohort.name} checklist", ("#", "task", "due"), rows))


@commands.command(
    "checklist cohort",
    "How far each member is with the checklist",
    role=Role.COACH,
    examples=[Example("/checklist cohort", "alice", as_user="coach")],
)
async def checklist_cohort(ctx: Context) -> Reply:
    cohort = ctx.require_cohort()
    people = [m for m in await ctx.repo.cohort_members(cohort.id) if m.role == "member"]
    rows = []
    done_all = total_all = 0
    checklists = await cohort_checklists(ctx.repo, cohort, people, ctx.now)
    for member in people:
        views = checklists[member.id]
        done = sum(1 for v in views if v.status in ("done", "skipped"))
        overdue = sum(1 for v in views if v.open and v.due_on < ctx.today_of(member))
        done_all, total_all = done_all + done, total_all + len(views)
        rows.append((member.display_name, f"{done}/{len(views)}", str(overdue) if overdue else ""))
    share = round(100 * done_all / total_all) if total_all else 0
    return Reply.of(
        Table(
            f"{cohort.name} checklist",
            ("member", "done", "overdue"),
            tuple(rows),
            empty="No members yet.",
        ),
        f"Cohort: {done_all} of {total_all} tasks done ({share}%).",
    )
