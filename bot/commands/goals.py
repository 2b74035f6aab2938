"""/goal: SMART goals (specific, measurable, actionable, resonant, timely) with tracked progress.

A measurable goal may name a metric the bot already tracks (applications, outreach, practice,
hours, interviews); its progress is counted from the goal's start day to its deadline.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from bot.commands.common import day
from bot.context import Context
from bot.domain.scoring import progress_bar
from bot.entities import GOAL, ref
from bot.errors import UsageError
from bot.params import Kind, MemberRef, Param
from bot.planning.backwards import MAX_HORIZON_DAYS
from bot.planning.funnel import INTERVIEW_STAGES
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, Table, t
from storage.models import Application, Goal, Member, StageChange

commands = CommandSet()

METRICS = ("applications", "outreach", "practice-days", "practice-hours", "hours", "interviews")
METRIC_LABELS = {
    "applications": "applications",
    "outreach": "people reached out to",
    "practice-days": "practice days",
    "practice-hours": "hours of practice",
    "hours": "job-search hours",
    "interviews": "interviews",
}
STATUSES = ("open", "done", "dropped")

SMART = (
    Param(
        "specific",
        Kind.TEXT,
        "what exactly you will achieve",
        max_length=500,
        example='"backend role at a fintech"',
    ),
    Param(
        "measurable",
        Kind.TEXT,
        "how you will know you got there",
        max_length=500,
        example='"20 applications"',
    ),
    Param(
        "actionable",
        Kind.TEXT,
        "the actions that get you there",
        max_length=500,
        example='"4 applications a day"',
    ),
    Param(
        "resonant",
        Kind.TEXT,
        "why it matters to you",
        max_length=500,
        example='"I love payments"',
    ),
    Param("timely", Kind.DATE, "the deadline", example='"in 4 weeks"'),
)
METRIC = Param(
    "metric",
    Kind.CHOICE,
    "a tracked metric that measures it",
    choices=METRICS,
    example="applications",
)
TARGET = Param("target", Kind.INTEGER, "the metric's target", minimum=1, maximum=10000)


async def metric_value(ctx: Context, member: Member, metric: str, since: date, until: date) -> int:
    """How much of ``metric`` the member did between two local days (inclusive)."""
    if until < since:
        return 0
    if metric == "interviews":
        count = await ctx.repo.scalar(
            select(func.count(func.distinct(StageChange.application_id)))
            .join(Application, Application.id == StageChange.application_id)
            .where(
                Application.member_id == member.id,
                StageChange.stage.in_(sorted(INTERVIEW_STAGES)),
                StageChange.day >= since,
                StageChange.day <= until,
            )
        )
        return int(count or 0)
    counts = await ctx.repo.daily_counts([member.id], since, until)

    def total(kind: str) -> int:
        return sum(counts[kind].get(member.id, {}).values())

    if metric == "applications":
        return total("applications")
    if metric == "outreach":
        return total("outreach")
    if metric == "practice-days":
        return sum(1 for v in counts["practice"].get(member.id, {}).values() if v > 0)
    if metric == "practice-hours":
        return total("practice") // 60
    return (total("hours") + total("practice")) // 60


async def progress_text(ctx: Context, member: Member, goal: Goal) -> str:
    """``12/20 applications ██████░░░░`` for a goal tied to a metric, else empty."""
    if not goal.metric or not goal.target:
        return ""
    today = ctx.today_of(member)
    until = min(today, goal.timely) if goal.timely else today
    done = await metric_value(ctx, member, goal.metric, goal.start_day, until)
    return f"{done}/{goal.target} {METRIC_LABELS[goal.metric]} {progress_bar(done, goal.target, 8)}"


def _check_deadline(ctx: Context, timely: date | None) -> None:
    if timely is None:
        return
    if timely < ctx.today:
        raise UsageError(
            f"The deadline {day(timely)} {timely.year} is in the past; a goal needs a future date.",
            param="timely",
        )
    if timely > ctx.today + timedelta(days=MAX_HORIZON_DAYS):
        raise UsageError(
            "Set a deadline within two years; split longer goals into steps.", param="timely"
        )


def _check_metric(metric: str | None, target: int | None) -> None:
    if (metric is None) != (target is None):
        raise UsageError(
            "A tracked goal needs both metric= and target=.",
            hint="e.g. metric=applications target=20",
            param="metric" if metric is None else "target",
        )


async def goal_fields(ctx: Context, member: Member, goal: Goal) -> Fields:
    rows = [
        ("Specific", goal.specific),
        ("Measurable", goal.measurable),
        ("Actionable", goal.actionable),
        ("Resonant", goal.resonant),
        ("Timely", f"{day(goal.timely)} {goal.timely.year}" if goal.timely else ""),
        ("Status", goal.status),
    ]
    progress = await progress_text(ctx, member, goal)
    if progress:
        rows.append(("Progress", progress))
    return Fields(f"{GOAL.label(goal)}: {goal.title}", tuple(rows))


ID = ref(GOAL, help="the goal's id")


@commands.command(
    "goal add",
    "Set a SMART goal: specific, measurable, actionable, resonant and timely",
    params=[
        Param(
            "title",
            Kind.TEXT,
            "the goal in a few words",
            required=True,
            positional=True,
            rest=True,
            blank=False,
            example='"20 applications this month"',
        ),
        *(
            Param(p.name, p.kind, p.help, required=True, max_length=p.max_length, example=p.example)
            for p in SMART
        ),
        METRIC,
        TARGET,
    ],
    examples=[
        Example(
            '/goal add "20 applications this month" specific="backend roles at fintechs" '
            'measurable="20 sent" actionable="4 a day after coding" resonant="I love payments" '
            'timely="in 4 weeks" metric=applications target=20',
            "Goal G",
        ),
    ],
    details="Metrics: " + ", ".join(METRICS) + ".",
)
async def goal_add(
    ctx: Context,
    *,
    title: str,
    specific: str,
    measurable: str,
    actionable: str,
    resonant: str,
    timely: date,
    metric: str | None,
    target: int | None,
) -> Reply:
    _check_deadline(ctx, timely)
    _check_metric(metric, target)
    for p, value in zip(SMART[:4], (specific, measurable, actionable, resonant), strict=True):
        if not value.strip():
            raise UsageError(
                t("`{name}` can't be empty: say {help}.", name=p.name, help=p.help), param=p.name
            )
    goal = await ctx.repo.add(
        Goal(
            member_id=ctx.member.id,
            title=title.strip(),
            specific=specific.strip(),
            measurable=measurable.strip(),
            actionable=actionable.strip(),
            resonant=resonant.strip(),
            timely=timely,
            metric=metric or "",
            target=target,
            start_day=ctx.today,
            status="open",
            created_at=ctx.now,
            updated_at=ctx.now,
        )
    )
    return Reply.of(
        t("🎯 Goal {id} set. Track it with `/goal list`.", id=GOAL.label(goal)),
        await goal_fields(ctx, ctx.member, goal),
    )


@commands.command(
    "goal list",
    "Your SMART goals with their deadlines and progress",
    params=[
        Param(
            "status",
            Kind.CHOICE,
            "which goals",
            choices=(*STATUSES, "all"),
            example="open",
        ),
        Param("member", Kind.MEMBER, "(coaches) whose goals to show"),
    ],
    examples=[Example("/goal list", "goals")],
)
async def goal_list(ctx: Context, *, status: str | None, member: MemberRef | None) -> Reply:
    owner = await ctx.member_or_self(member)
    goals = await ctx.repo.goals(owner.id, None if status in (None, "all") else status)
    rows = []
    for g in goals:
        rows.append(
            (
                GOAL.label(g),
                g.title,
                day(g.timely),
                await progress_text(ctx, owner, g) or "-",
                g.status,
            )
        )
    whose = "Your" if owner.id == ctx.member.id else f"{owner.display_name}'s"
    return Reply.of(
        Table(
            f"{whose} goals",
            ("id", "goal", "due", "progress", "status"),
            tuple(rows),
            empty="No goals yet. Set one with /goal add TITLE specific=... (see /help goal add).",
        )
    )


@commands.command(
    "goal show",
    "One goal with each SMART part and its progress",
    params=[ID],
    examples=[Example("/goal show G1", "Specific")],
)
async def goal_show(ctx: Context, *, id: Goal) -> Reply:
    return Reply.of(await goal_fields(ctx, ctx.member, id))


@commands.command(
    "goal update",
    "Change a goal's title, SMART parts, metric or status",
    params=[
        ID,
        Param("title", Kind.TEXT, "the goal in a few words", max_length=200),
        *SMART,
        METRIC,
        TARGET,
        Param(
            "status",
            Kind.CHOICE,
            "open, done or dropped",
            choices=STATUSES,
            example="dropped",
        ),
    ],
    examples=[Example('/goal update G1 target=25 timely="in 5 weeks"', "Updated timely, target")],
)
async def goal_update(
    ctx: Context,
    *,
    id: Goal,
    title: str | None,
    specific: str | None,
    measurable: str | None,
    actionable: str | None,
    resonant: str | None,
    timely: date | None,
    metric: str | None,
    target: int | None,
    status: str | None,
) -> Reply:
    goal = id
    changed: list[str] = []
    texts = {
        "title": title,
        "specific": specific,
        "measurable": measurable,
        "actionable": actionable,
        "resonant": resonant,
    }
    for key, value in texts.items():
        if value is not None:
            if not value.strip():
                raise UsageError(t("`{key}` can't be empty.", key=key), param=key)
            setattr(goal, key, value.strip())
            changed.append(key)
    if timely is not None:
        _check_deadline(ctx, timely)
        goal.timely = timely
        changed.append("timely")
    if metric is not None or target is not None:
        _check_metric(metric or goal.metric or None, target or goal.target)
        goal.metric = metric or goal.metric
        goal.target = target or goal.target
        changed += [k for k, v in (("metric", metric), ("target", target)) if v is not None]
    if status is not None:
        goal.status = status
        goal.completed_at = ctx.now if status == "done" else None
        changed.append("status")
    if not changed:
        raise UsageError("Say what to change, e.g. target=25 or timely=2026-12-23.")
    goal.updated_at = ctx.now
    return Reply.of(
        f"✅ Updated {', '.join(changed)} of {GOAL.label(goal)}.",
        await goal_fields(ctx, ctx.member, goal),
    )


@commands.command(
    "goal done",
    "Mark a goal as achieved",
    params=[ID],
    examples=[Example("/goal done G1", "Goal G1 done")],
)
async def goal_done(ctx: Context, *, id: Goal) -> Reply:
    goal = id
    if goal.status == "done":
        raise UsageError(f"{GOAL.label(goal)} is already done. 🎉")
    goal.status = "done"
    goal.completed_at = ctx.now
    goal.updated_at = ctx.now
    return Reply.of(f"🎉 Goal {GOAL.label(goal)} done: {goal.title}. Well earned!")
