"""/cohort join and how a cohort lets people in: by name, by invite code, or by coach approval.

A cohort's name is visible to the whole workspace, so "open" cohorts let anyone there read
their summaries and leaderboard. A coach who wants only their own graduates picks ``join=code``
(the name plus a code they hand out) or ``join=approval`` (each request waits for a coach, who
is told by DM). Coaches choose with ``/cohort settings join=...``.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.context import Context
from bot.domain.invites import describe_mode, how_to_join, matches, new_code
from bot.domain.prompt_rules import Kind as PromptKind
from bot.domain.prompt_rules import Planned
from bot.errors import UserError
from bot.params import Kind, MemberRef, Param
from bot.registry import CommandSet, Example, Role
from bot.replies import Reply, Table, Text, t
from bot.services.prompts import alert_coaches, queue
from storage.models import Cohort, JoinRequest, Member

commands = CommandSet()

ANSWER_WITHIN = timedelta(days=7)
# The examples' state: a cohort whose coaches approve members, and dana asking to join it.
ASKED = (
    ("coach", "/cohort settings join=approval"),
    ("dana", '/cohort join "Fall 2026"'),
)  # a coach alert about a join request is worth sending this long


def enter(ctx: Context, member: Member, cohort: Cohort) -> None:
    """Put ``member`` in ``cohort`` (the caller, or someone a coach approved)."""
    if member.timezone == ctx.settings.default_timezone:
        member.timezone = cohort.timezone
    member.cohort_id = cohort.id
    member.joined_at = ctx.now  # prompts start on the next working day
    if member.role == "coach":
        member.role = "member"
    ctx.schedule_changed()


def welcome(cohort: Cohort, member: Member) -> Reply:
    return Reply.of(
        t(
            "👋 You're in {cohort}! Your time zone is {zone} "
            "(change it with `/me timezone=Europe/Berlin`).",
            cohort=cohort.name,
            zone=member.timezone,
        ),
        f"Weekly targets: {cohort.target_applications} applications, "
        f"{cohort.target_outreach} outreach contacts, {cohort.target_practice_days} practice days.",
    )


@commands.command(
    "cohort join",
    "Join a cohort by name (and its invite code, if it has one)",
    params=[
        Param(
            "name",
            Kind.TEXT,
            "the cohort's name",
            required=True,
            positional=True,
            rest=True,
            max_length=80,
            example='"Fall 2026"',
        ),
        Param("code", Kind.TEXT, "the invite code your coach gave you", max_length=20),
    ],
    examples=[Example('/cohort join "Fall 2026"', "You're in Fall 2026", as_user="dana")],
    details=(
        "A cohort is open (its name is enough), needs the invite code its coaches hand out "
        "(`code=ABCD-2345`), or lets a coach approve each request."
    ),
)
async def join(ctx: Context, *, name: str, code: str | None) -> Reply:
    cohort = await ctx.repo.cohort_by_name(name)
    if cohort is None:
        names = ", ".join(c.name for c in await ctx.repo.cohorts()) or "none yet"
        raise UserError(
            f"There is no cohort called {name[:80]}.",
            hint=f"Cohorts here: {names}.",
            param="name",
        )
    if ctx.member.cohort_id == cohort.id:
        return Reply.of(f"You are already in {cohort.name}.")
    if cohort.join_mode == "code":
        if not code:
            raise UserError(
                f"{cohort.name} is joined with an invite code.",
                hint=t(
                    'Ask your coach for it, then `/cohort join "{name}" code=ABCD-2345`.',
                    name=cohort.name,
                ),
                param="code",
            )
        if not matches(code, cohort.invite_code):
            raise UserError(
                f"That isn't {cohort.name}'s invite code.",
                hint="Check it with your coach: codes look like ABCD-2345.",
                param="code",
            )
    elif cohort.join_mode == "approval":
        return await _ask(ctx, cohort)
    enter(ctx, ctx.member, cohort)
    await _forget_requests(ctx, ctx.member)
    return welcome(cohort, ctx.member)


async def _ask(ctx: Context, cohort: Cohort) -> Reply:
    """File a request (once) and tell every coach of the cohort by DM."""
    waiting = await ctx.repo.scalar(
        select(JoinRequest).where(
            JoinRequest.cohort_id == cohort.id, JoinRequest.member_id == ctx.member.id
        )
    )
    if waiting is not None:
        return Reply.of(
            f"You asked to join {cohort.name} already; a coach will answer soon.",
        )
    await ctx.repo.add(
        JoinRequest(cohort_id=cohort.id, member_id=ctx.member.id, requested_at=ctx.now)
    )
    told = await alert_coaches(
        ctx.repo,
        cohort.id,
        PromptKind.JOIN_REQUEST,
        about=ctx.member.id,
        today=ctx.today,
        now=ctx.now,
        expires_at=ctx.now + ANSWER_WITHIN,
        key_suffix=f":from-m{ctx.member.id}",
    )
    if told:
        ctx.outbox_written()
    return Reply.of(
        t(
            "📨 Asked the coaches of {cohort} to let you in; you'll get a message when one does.",
            cohort=cohort.name,
        ),
    )


async def _forget_requests(ctx: Context, member: Member) -> None:
    """A member now in a cohort has no requests left waiting anywhere."""
    await ctx.repo.delete_where(JoinRequest, JoinRequest.member_id == member.id)


async def _requests(ctx: Context, cohort: Cohort) -> list[tuple[JoinRequest, Member]]:
    rows = await ctx.repo.execute(
        select(JoinRequest, Member)
        .join(Member, Member.id == JoinRequest.member_id)
        .where(JoinRequest.cohort_id == cohort.id)
        .order_by(JoinRequest.requested_at, JoinRequest.id)
    )
    return [(request, member) for request, member in rows.tuples()]


async def _requester(ctx: Context, cohort: Cohort, ref: MemberRef) -> tuple[JoinRequest, Member]:
    """The waiting request of the member ``ref`` names."""
    waiting = await _requests(ctx, cohort)
    if ref.platform_id:
        found = [p for p in waiting if p[1].platform_user_id == ref.platform_id]
    else:
        wanted = (ref.name or ref.raw).lstrip("@").casefold()
        found = [p for p in waiting if p[1].display_name.casefold() == wanted]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise UserError(
            f"More than one person called {ref.name} is waiting; mention them instead.",
            param="member",
        )
    shown = ref.name or ref.raw
    raise UserError(
        f"{shown} hasn't asked to join {cohort.name}.",
        hint=t("`/cohort requests` lists everyone waiting."),
        param="member",
    )


@commands.command(
    "cohort requests",
    "Who is waiting to join your cohort",
    role=Role.COACH,
    examples=[
        Example("/cohort requests", "Waiting to join Fall 2026", as_user="coach", before=ASKED)
    ],
)
async def requests(ctx: Context) -> Reply:
    cohort = ctx.require_cohort()
    waiting = await _requests(ctx, cohort)
    if not waiting:
        return Reply.of(
            f"Nobody is waiting to join {cohort.name}. Joining: {describe_mode(cohort)}."
        )
    rows = tuple(
        (m.display_name, r.requested_at.strftime("%a %b %d %H:%M UTC")) for r, m in waiting
    )
    return Reply.of(
        Table(f"Waiting to join {cohort.name}", ("name", "asked"), rows),
        t("Answer with `/cohort approve @name` or `/cohort deny @name`."),
    )


APPROVE_PARAMS = [
    Param("member", Kind.MEMBER, "who asked to join", required=True, positional=True),
]


@commands.command(
    "cohort approve",
    "Let in someone who asked to join your cohort",
    params=APPROVE_PARAMS,
    role=Role.COACH,
    examples=[
        Example("/cohort approve @dana", "dana is in Fall 2026", as_user="coach", before=ASKED)
    ],
)
async def approve(ctx: Context, *, member: MemberRef) -> Reply:
    cohort = ctx.require_cohort()
    request, person = await _requester(ctx, cohort, member)
    enter(ctx, person, cohort)
    await _forget_requests(ctx, person)
    planned = Planned(
        PromptKind.JOIN_APPROVED, cohort.id, person.id, ctx.today, ctx.now, ctx.now + ANSWER_WITHIN
    )
    await queue(ctx.repo, [planned], ctx.now, key_suffix=f":r{request.id}")
    ctx.outbox_written()
    return Reply.of(f"✅ {person.display_name} is in {cohort.name}; I've let them know.")


@commands.command(
    "cohort deny",
    "Turn down a request to join your cohort",
    params=APPROVE_PARAMS,
    role=Role.COACH,
    examples=[
        Example("/cohort deny @dana", "Turned down dana's request", as_user="coach", before=ASKED)
    ],
)
async def deny(ctx: Context, *, member: MemberRef) -> Reply:
    cohort = ctx.require_cohort()
    request, person = await _requester(ctx, cohort, member)
    await ctx.repo.delete(request)
    return Reply.of(
        f"Turned down {person.display_name}'s request to join {cohort.name}. "
        "They can ask again; tell them why if it helps."
    )


@commands.command(
    "cohort invite",
    "How members join your cohort; new=yes replaces the invite code",
    params=[
        Param(
            "new",
            Kind.CHOICE,
            "replace the invite code (the old one stops working)",
            choices=("yes", "no"),
            example="no",
        )
    ],
    role=Role.COACH,
    examples=[Example("/cohort invite", "Members join with", as_user="coach")],
)
async def invite(ctx: Context, *, new: str | None) -> Reply:
    cohort = ctx.require_cohort()
    if new == "yes":
        if cohort.join_mode != "code":
            raise UserError(
                f"{cohort.name} doesn't use invite codes (joining: {describe_mode(cohort)}).",
                hint=t("Switch with `/cohort settings join=code`."),
                param="new",
            )
        cohort.invite_code = new_code()
    lines: list[Text | str] = [
        t("Members join with `{line}`.", line=how_to_join(cohort)),
        t(
            "Joining: {mode}. Change it with `/cohort settings join=open|code|approval`.",
            mode=describe_mode(cohort),
        ),
    ]
    if new == "yes":
        lines.insert(0, "🔑 New invite code: the old one no longer works.")
    return Reply.of(*lines)
