"""/career and /barrier: the 1/2/3-5-year career plan, and the barriers the retro revisits."""

from __future__ import annotations

from collections.abc import Sequence

from bot.commands.reflection import reflection_fields, reflection_of
from bot.context import Context
from bot.entities import BARRIER, ref
from bot.errors import UsageError
from bot.params import Kind, MemberRef, Param
from bot.registry import CommandSet, Example
from bot.replies import Reply, Table, t
from storage.models import Barrier, CareerPlanRow, Member

commands = CommandSet()

HORIZONS = ("1y", "2y", "3-5y")
HORIZON_LABELS = {"1y": "1 year", "2y": "2 years", "3-5y": "3-5 years"}
CAREER_FIELDS = (
    ("goal", "goal", "the goal", '"mid-level backend engineer"'),
    ("skills", "skills", "skills or knowledge needed", '"Go, system design"'),
    ("resources", "resources", "resources needed", '"a mentor, a course"'),
    ("next", "next_step", "the next step", '"finish the Go tour"'),
    ("timeline", "timeline", "the timeline", '"by Dec 2027"'),
)
MAX_BARRIERS = 2
MEMBER = Param("member", Kind.MEMBER, "(coaches) whose plan to show")


async def career_table(ctx: Context, member: Member) -> Table:
    rows = {r.horizon: r for r in await ctx.repo.career_plan(member.id)}
    whose = "Your" if member.id == ctx.member.id else f"{member.display_name}'s"
    return Table(
        f"{whose} career plan",
        ("horizon", "goal", "skills needed", "resources", "next step", "timeline"),
        tuple(
            (
                HORIZON_LABELS[h],
                rows[h].goal,
                rows[h].skills,
                rows[h].resources,
                rows[h].next_step,
                rows[h].timeline,
            )
            for h in HORIZONS
            if h in rows
        ),
        empty='No career plan yet. Start with /career set 1y goal="..." next="...".',
    )


async def barrier_table(ctx: Context, member: Member) -> Table:
    whose = "Your" if member.id == ctx.member.id else f"{member.display_name}'s"
    return Table(
        f"{whose} barriers",
        ("id", "barrier", "how to overcome it"),
        tuple(
            (BARRIER.label(b), b.barrier, b.overcome) for b in await ctx.repo.barriers(member.id)
        ),
        empty='No barriers named yet. Name one with /barrier add "..." overcome="...".',
    )


def barriers_text(barriers: Sequence[Barrier]) -> str:
    """The barriers as the retro's pre-filled answer: one line each, with the plan to beat it."""
    return "\n".join(f"{b.barrier} → {b.overcome}" if b.overcome else b.barrier for b in barriers)


@commands.command(
    "career set",
    "Fill in a row of your career plan: 1 year, 2 years or 3-5 years out",
    params=[
        Param(
            "horizon",
            Kind.CHOICE,
            "1y, 2y or 3-5y",
            required=True,
            positional=True,
            choices=HORIZONS,
            example="1y",
        ),
        *(
            Param(name, Kind.TEXT, help, max_length=500, example=sample)
            for name, _, help, sample in CAREER_FIELDS
        ),
    ],
    examples=[
        Example(
            '/career set 1y goal="junior backend developer" skills="SQL, testing" '
            'resources="mock interviews" next="10 applications a week" timeline="by June"',
            "Career plan: 1 year",
        )
    ],
)
async def career_set(
    ctx: Context,
    *,
    horizon: str,
    goal: str | None,
    skills: str | None,
    resources: str | None,
    next: str | None,
    timeline: str | None,
) -> Reply:
    typed = {
        "goal": goal,
        "skills": skills,
        "resources": resources,
        "next": next,
        "timeline": timeline,
    }
    given = {
        column: value for name, column, *_ in CAREER_FIELDS if (value := typed[name]) is not None
    }
    if not given:
        raise UsageError(
            "Say what to write in that row: goal=, skills=, resources=, next= or timeline=.",
        )
    if timeline is not None and len(timeline) > 200:
        raise UsageError(t("`timeline` is limited to 200 characters."), param="timeline")
    rows = {r.horizon: r for r in await ctx.repo.career_plan(ctx.member.id)}
    row = rows.get(horizon)
    if row is None:
        row = await ctx.repo.add(
            CareerPlanRow(
                member_id=ctx.member.id,
                horizon=horizon,
                updated_at=ctx.now,
                **{k: v.strip() for k, v in given.items()},
            )
        )
    else:
        for key, value in given.items():
            setattr(row, key, value.strip())
        row.updated_at = ctx.now
    return Reply.of(
        f"🧭 Career plan: {HORIZON_LABELS[horizon]} row saved.",
        await career_table(ctx, ctx.member),
    )


@commands.command(
    "career show",
    "Your career plan: goal, skills, resources, next step and timeline per horizon",
    params=[MEMBER],
    examples=[Example("/career show", "career plan")],
)
async def career_show(ctx: Context, *, member: MemberRef | None) -> Reply:
    """The reflection the goals grow from, above the goals."""
    owner = await ctx.member_or_self(member)
    reflection = reflection_fields(ctx, owner, await reflection_of(ctx, owner))
    table = await career_table(ctx, owner)
    return Reply.of(reflection, table) if reflection else Reply.of(table)


@commands.command(
    "barrier add",
    "Name a barrier to your search and how you will overcome it (one or two)",
    params=[
        Param(
            "barrier",
            Kind.TEXT,
            "what gets in the way",
            required=True,
            positional=True,
            rest=True,
            blank=False,
            max_length=300,
            example='"imposter syndrome"',
        ),
        Param(
            "overcome",
            Kind.TEXT,
            "how you will overcome it",
            required=True,
            blank=False,
            max_length=500,
            example='"weekly mock interviews"',
        ),
    ],
    examples=[
        Example(
            '/barrier add "no CS degree" overcome="show projects and a strong GitHub"',
            "Barrier B",
        )
    ],
    details="Your weekly retro brings them back so you can say how it is going.",
)
async def barrier_add(ctx: Context, *, barrier: str, overcome: str) -> Reply:
    existing = await ctx.repo.barriers(ctx.member.id)
    if len(existing) >= MAX_BARRIERS:
        ids = ", ".join(BARRIER.label(b) for b in existing)
        raise UsageError(
            f"You already have {MAX_BARRIERS} barriers ({ids}); focus on those first.",
            hint=f"Remove one you have overcome: /barrier remove {BARRIER.label(existing[0])}",
        )
    row = await ctx.repo.add(
        Barrier(
            member_id=ctx.member.id,
            barrier=barrier.strip(),
            overcome=overcome.strip(),
            created_at=ctx.now,
        )
    )
    return Reply.of(
        f"🧱 Barrier {BARRIER.label(row)} noted; your weekly retro will revisit it.",
        await barrier_table(ctx, ctx.member),
    )


@commands.command(
    "barrier list",
    "Your barriers and how you will overcome them",
    params=[MEMBER],
    examples=[Example("/barrier list", "barriers")],
)
async def barrier_list(ctx: Context, *, member: MemberRef | None) -> Reply:
    return Reply.of(await barrier_table(ctx, await ctx.member_or_self(member)))


@commands.command(
    "barrier remove",
    "Remove a barrier (overcome, or no longer true)",
    params=[ref(BARRIER, help="the barrier's id")],
    examples=[Example("/barrier remove B1", "Removed barrier B1")],
)
async def barrier_remove(ctx: Context, *, id: Barrier) -> Reply:
    await ctx.repo.delete(id)
    return Reply.of(f"🧱 Removed barrier {BARRIER.label(id)}: {id.barrier}. Onwards!")
