"""/extension: the plan's optional extensions, with their fields and progress.

A side project (the idea and how it was chosen, the MVP, the day of working software, its
users), an open-source plan (the projects, why them, how to contribute) and community
involvement counted against the plan's three conferences, three meetups and three blog posts,
each researched, joined or attended, written or published.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from bot.context import Context
from bot.errors import UserError
from bot.format import day
from bot.params import Kind, MemberRef, Param
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, Table, t
from bot.timeparse import Direction
from storage.models import CommunityItem, ExtensionPlan, Member

commands = CommandSet()

COMMUNITY_KINDS = ("conference", "meetup", "post")
COMMUNITY_GOAL = 3  # of each kind, per the plan
STATUSES = ("researched", "joined", "done")
STATUS_WORDS = {
    "conference": {"researched": "researched", "joined": "registered", "done": "attended"},
    "meetup": {"researched": "researched", "joined": "joined", "done": "attended"},
    "post": {"researched": "idea", "joined": "drafting", "done": "published"},
}
# Per plan kind: (option, column, label)
PLAN_FIELDS = {
    "side-project": (
        ("idea", "what", "The idea"),
        ("chosen", "why", "How I chose it"),
        ("mvp", "how", "The MVP"),
        ("users", "users", "Its users"),
    ),
    "open-source": (
        ("projects", "what", "Projects"),
        ("why", "why", "Why these"),
        ("contribute", "how", "How I'll contribute"),
    ),
}
MEMBER = Param("member", Kind.MEMBER, "(coaches) whose extensions to show")


def _text(name: str, help: str, sample: str) -> Param:
    return Param(name, Kind.TEXT, help, max_length=1000, example=sample)


async def _plan(ctx: Context, member: Member, kind: str) -> ExtensionPlan | None:
    return await ctx.repo.scalar(
        select(ExtensionPlan).where(
            ExtensionPlan.member_id == member.id, ExtensionPlan.kind == kind
        )
    )


async def _save_plan(
    ctx: Context, kind: str, values: dict[str, str | None], *, more: bool = False
) -> ExtensionPlan:
    """Save the options given (``more``: the caller sets another field itself)."""
    if not more and all(v is None for v in values.values()):
        options = " ".join(f"{o}=..." for o, _, _ in PLAN_FIELDS[kind])
        raise UserError(
            f"Say what to record for your {kind.replace('-', ' ')} plan.",
            hint=t("e.g. `/extension {kind} {options}`", kind=kind, options=options),
        )
    plan = await _plan(ctx, ctx.member, kind)
    if plan is None:
        plan = await ctx.repo.add(
            ExtensionPlan(member_id=ctx.member.id, kind=kind, updated_at=ctx.now)
        )
    for option, column, _ in PLAN_FIELDS[kind]:
        if values.get(option) is not None:
            setattr(plan, column, (values[option] or "").strip())
    plan.updated_at = ctx.now
    return plan


def _plan_fields(kind: str, plan: ExtensionPlan) -> Fields:
    pairs = [(label, getattr(plan, column) or "—") for _, column, label in PLAN_FIELDS[kind]]
    if kind == "side-project":
        pairs.insert(3, ("Working software by", day(plan.by_day) if plan.by_day else "—"))
    title = "Side project" if kind == "side-project" else "Open source"
    return Fields(title, tuple(pairs))


@commands.command(
    "extension side-project",
    "Plan a side project: the idea, how you chose it, the MVP, when it works, its users",
    params=[
        _text("idea", "the idea", '"a study-group scheduler"'),
        _text("chosen", "how you chose it", '"a problem my cohort has"'),
        _text("mvp", "the minimum viable product", '"sign-up and one shared calendar"'),
        Param("working-by", Kind.DATE, "the day of working software", direction=Direction.FUTURE),
        _text("users", "who uses it", '"my cohort (20 people)"'),
    ],
    examples=[
        Example(
            '/extension side-project idea="a study-group scheduler" mvp="one shared calendar" '
            "working-by=2027-01-31",
            "Side project",
        )
    ],
)
async def side_project(
    ctx: Context,
    *,
    idea: str | None,
    chosen: str | None,
    mvp: str | None,
    working_by: date | None,
    users: str | None,
) -> Reply:
    if working_by is not None and working_by < ctx.today:
        raise UserError(
            f"{day(working_by)} {working_by.year} has passed; when will the software work?",
            hint="Pick a day ahead, e.g. working-by=2027-01-31.",
            param="working-by",
        )
    values = {"idea": idea, "chosen": chosen, "mvp": mvp, "users": users}
    plan = await _save_plan(ctx, "side-project", values, more=working_by is not None)
    if working_by is not None:
        plan.by_day = working_by
    return Reply.of("✅ Side project plan saved.", _plan_fields("side-project", plan))


@commands.command(
    "extension open-source",
    "Plan open-source work: the projects, why them, how you'll contribute",
    params=[
        _text("projects", "the projects", '"pandas, httpx"'),
        _text("why", "why these", '"I use them every day"'),
        _text("contribute", "how you'll contribute", '"docs first, then good-first-issues"'),
    ],
    examples=[
        Example(
            '/extension open-source projects="httpx" contribute="docs, then small fixes"',
            "Open source",
        )
    ],
)
async def open_source(
    ctx: Context, *, projects: str | None, why: str | None, contribute: str | None
) -> Reply:
    plan = await _save_plan(
        ctx, "open-source", {"projects": projects, "why": why, "contribute": contribute}
    )
    return Reply.of("✅ Open-source plan saved.", _plan_fields("open-source", plan))


@commands.command(
    "extension community",
    "Count community involvement: a conference, meetup or blog post and how far it is",
    params=[
        Param(
            "kind", Kind.CHOICE, "conference, meetup or post", required=True, positional=True,
            choices=COMMUNITY_KINDS, example="meetup",
        ),
        Param(
            "title", Kind.TEXT, "its name or working title", required=True, positional=True,
            rest=True, blank=False, max_length=200, example='"PyData Berlin"',
        ),
        Param(
            "status", Kind.CHOICE, "researched, joined (registered, drafting) or done "
            "(attended, published); default researched", choices=STATUSES,
        ),
        Param("link", Kind.TEXT, "a link to it", max_length=500, example="https://..."),
    ],
    examples=[Example('/extension community meetup "PyData Berlin" status=joined', "meetup")],
    details="The same title again updates its status and link. The plan asks for three "
    "conferences, three meetups and three blog posts.",
)  # fmt: skip
async def community(
    ctx: Context, *, kind: str, title: str, status: str | None, link: str | None
) -> Reply:
    items = await _community(ctx, ctx.member)
    found = next(
        (i for i in items if i.kind == kind and i.title.casefold() == title.strip().casefold()),
        None,
    )
    if found is None:
        found = await ctx.repo.add(
            CommunityItem(
                member_id=ctx.member.id,
                kind=kind,
                title=title.strip(),
                status=status or "researched",
                link=(link or "").strip(),
                updated_at=ctx.now,
            )
        )
        items = [*items, found]
    else:
        found.status = status or found.status
        found.link = (link or found.link).strip()
        found.updated_at = ctx.now
    word = STATUS_WORDS[kind][found.status]
    return Reply.of(f"✅ {kind.title()} {found.title}: {word}.", _progress(items))


async def _community(ctx: Context, member: Member) -> list[CommunityItem]:
    rows = await ctx.repo.scalars(
        select(CommunityItem)
        .where(CommunityItem.member_id == member.id)
        .order_by(CommunityItem.kind, CommunityItem.id)
    )
    return list(rows)


def _progress(items: Sequence[CommunityItem]) -> str:
    parts = []
    for kind in COMMUNITY_KINDS:
        done = sum(1 for i in items if i.kind == kind and i.status == "done")
        parts.append(f"{done}/{COMMUNITY_GOAL} {kind}s {STATUS_WORDS[kind]['done']}")
    return "Community: " + ", ".join(parts) + "."


@commands.command(
    "extension show",
    "Your side project, open-source and community plans with their progress",
    params=[MEMBER],
    examples=[Example("/extension show", "Community")],
)
async def extension_show(ctx: Context, *, member: MemberRef | None) -> Reply:
    owner = await ctx.member_or_self(member)
    blocks: list[Fields | Table | str] = []
    for kind in PLAN_FIELDS:
        plan = await _plan(ctx, owner, kind)
        if plan is not None:
            blocks.append(_plan_fields(kind, plan))
    items = await _community(ctx, owner)
    if items:
        blocks.append(
            Table(
                "Community",
                ("kind", "title", "status", "link"),
                tuple((i.kind, i.title, STATUS_WORDS[i.kind][i.status], i.link) for i in items),
            )
        )
    blocks.append(_progress(items))
    if len(blocks) == 1:
        blocks.insert(0, "No extension plans yet: they are optional, pick one if it helps.")
    return Reply.of(*blocks)
