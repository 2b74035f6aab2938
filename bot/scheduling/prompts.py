"""What each scheduled prompt says, rendered when it is sent (so it reflects the latest data).

A renderer may return None: the prompt is no longer needed (the member answered before the
reminder went out, nothing is due for follow-up), and the outbox row is closed as skipped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.domain.calendar import local_today, week_label, week_start
from bot.domain.prompt_rules import Kind, receives_prompts, working_days
from bot.domain.scoring import Targets, WeekTotals
from bot.format import due_phrase
from bot.leaderboard import leaderboard_blocks
from bot.progress import effective_status, week_totals
from bot.replies import (
    Block,
    Button,
    Buttons,
    DateRef,
    Fields,
    Inline,
    Mention,
    Reply,
    Table,
    Text,
    Visibility,
    day_label,
    t,
)
from bot.services.checklist import due_soon, member_checklist
from bot.services.figures import targets_of
from bot.services.followups import due_followups, followups_table
from bot.services.prompts import answered
from bot.timeparse import format_minutes
from storage.models import (
    Application,
    Cohort,
    JoinRequest,
    Member,
    RetroResponse,
    Skip,
    StageChange,
    StandupResponse,
)
from storage.repository import TenantRepository


@dataclass
class PromptContext:
    """Everything a renderer may read: one tenant's repository and the row's recipient."""

    repo: TenantRepository
    cohort: Cohort
    member: Member | None
    local_day: date
    now: datetime
    subject: Member | None = None


Renderer = Callable[[PromptContext], Awaitable[Reply | None]]


async def _answered(ctx: PromptContext) -> bool:
    assert ctx.member is not None
    return await answered(ctx.repo, ctx.member.id, ctx.local_day)


STANDUP_BUTTONS = Buttons(
    (Button("Open standup", "standup", "primary"), Button("Skip today", "skip"))
)


async def standup(ctx: PromptContext) -> Reply | None:
    assert ctx.member is not None
    if await _answered(ctx):
        return None
    greeting = t(
        "☀️ Good morning, {name}! Time for your check-in for {day}: what you did yesterday, "
        "what you'll do today, and anything in your way.",
        name=ctx.member.display_name,
        day=DateRef(ctx.local_day),
    )
    due = due_soon(
        await member_checklist(ctx.repo, ctx.cohort, ctx.member, ctx.now, seed=False),
        ctx.local_day,
    )
    if not due:
        return Reply.of(greeting, STANDUP_BUTTONS)
    tasks = "; ".join(
        f"{v.number}. {v.item.title} ({due_phrase(v.due_on, ctx.local_day)})" for v in due[:3]
    )
    return Reply.of(
        greeting,
        t("📋 From your checklist: {tasks}. Tick one off with `/checklist done N`.", tasks=tasks),
        STANDUP_BUTTONS,
    )


async def reminder(ctx: PromptContext) -> Reply | None:
    if await _answered(ctx):
        return None
    return Reply.of(
        t(
            "👋 A gentle nudge: your check-in for {day} is still open. "
            "Two minutes now keeps the habit going.",
            day=DateRef(ctx.local_day),
        ),
        STANDUP_BUTTONS,
    )


async def followups(ctx: PromptContext) -> Reply | None:
    assert ctx.member is not None
    items = await due_followups(ctx.repo, ctx.member.id, ctx.local_day)
    if not items:
        return None
    return Reply.of(
        followups_table(f"📬 Follow-ups due ({len(items)})", items, ctx.local_day),
        t("Mark one done with `/followup done A12`, or push it with `/followup snooze A12 mon`."),
    )


async def retro(ctx: PromptContext) -> Reply | None:
    assert ctx.member is not None
    monday = week_start(ctx.local_day)
    if await ctx.repo.retro(ctx.member.id, monday) is not None:
        return None
    done = (await week_totals(ctx.repo, [ctx.member], ctx.now, of_day=ctx.local_day))[ctx.member.id]
    goal = targets_of(ctx.cohort)
    hours = format_minutes(done.total_minutes) if done.total_minutes else "0h"
    blocks: list[Block | str] = [
        f"🔁 Time for your weekly retro, {ctx.member.display_name}. Your week first:",
        Fields(
            f"Week of {week_label(monday)}",
            (
                ("Applications", f"{done.applications}/{goal.applications}"),
                ("Outreach", f"{done.outreach}/{goal.outreach}"),
                ("Practice days", f"{done.practice_days}/{goal.practice_days}"),
                ("Hours", f"{hours}/{goal.hours}h"),
            ),
        ),
    ]
    named = list(await ctx.repo.barriers(ctx.member.id))
    last = await ctx.repo.latest_retro(ctx.member.id)
    if named:
        listed = "; ".join(b.barrier for b in named)
        blocks.append(f"Your barriers: {listed}. How did overcoming them go this week?")
    elif last and last.barriers:
        blocks.append(f"Last time you named these barriers: {last.barriers}. How did it go?")
    blocks.append("What worked with your schedule, what didn't, and what will you adjust?")
    blocks.append(Buttons((Button("Open retro", "retro", "primary"),)))
    return Reply.of(*blocks)


def _named(member: Member, ping: bool) -> Inline:
    """A member in a channel post: a mention that notifies them when the cohort wants it."""
    if ping:
        return Mention(member.platform_user_id, member.display_name, notify=True)
    return member.display_name


async def summary(ctx: PromptContext) -> Reply | None:
    cohort = ctx.cohort
    people = [m for m in await ctx.repo.cohort_members(cohort.id) if m.role == "member"]
    active = [m for m in people if receives_prompts(m, ctx.local_day)]
    if not active:
        return None
    answers = {
        s.member_id: s
        for s in await ctx.repo.standups([m.id for m in active], ctx.local_day, ctx.local_day)
    }
    skipped = set(
        await ctx.repo.scalars(
            select(Skip.member_id).where(
                Skip.day == ctx.local_day, Skip.member_id.in_([m.id for m in active])
            )
        )
    )
    blocks: list[Block | str] = [
        t(
            "☀️ *Standup summary, {day}*: {answered} of {active} checked in.",
            day=day_label(ctx.local_day),
            answered=str(len(answers)),
            active=str(len(active)),
        )
    ]
    cards: list[Block] = []
    for m in active:
        s = answers.get(m.id)
        if s is None:
            continue
        fields = [("Yesterday", s.yesterday), ("Today", s.today)]
        if s.blockers:
            fields.append(("Blockers", s.blockers))
        cards.append(Fields(m.display_name, tuple(fields)))
    later = [m for m in active if m.id not in answers and m.id not in skipped]
    if later:
        names: list[Inline] = []
        for i, m in enumerate(later):
            names += [", "] if i else []
            names.append(_named(m, cohort.mention_missing))
        blocks.append(
            Text("Still to check in today: ", *names, ". There's time — answers stay open.")
        )
    # The answers go under the summary: one short post in the channel, however big the cohort.
    return Reply.of(*blocks, visibility=Visibility.CHANNEL).in_thread(*cards)


async def retro_summary(ctx: PromptContext) -> Reply | None:
    monday = week_start(ctx.local_day)
    people = [
        m
        for m in await ctx.repo.cohort_members(ctx.cohort.id)
        if m.role == "member" and effective_status(m, ctx.local_day) == "searching"
    ]
    if not people:
        return None
    retros = await ctx.repo.scalars(
        select(RetroResponse).where(
            RetroResponse.week_start == monday,
            RetroResponse.member_id.in_([m.id for m in people]),
        )
    )
    names = {m.id: m.display_name for m in people}
    blocks: list[Block | str] = [
        t(
            "🔁 *Retro summary, week of {week}*: {done} of {people} reflected on their week.",
            week=week_label(monday),
            done=str(len(retros)),
            people=str(len(people)),
        )
    ]
    cards = [
        Fields(names[r.member_id], (("Worked", r.worked), ("Adjusting", r.adjust))) for r in retros
    ]
    return Reply.of(*blocks, visibility=Visibility.CHANNEL).in_thread(*cards)


LEADERBOARD_TOP = 10  # the channel post shows the top; the whole ranking goes in its thread


async def leaderboard(ctx: PromptContext) -> Reply | None:
    blocks = await leaderboard_blocks(ctx.repo, ctx.cohort, ctx.now, weeks_back=1)
    ranking = next((b for b in blocks if isinstance(b, Table)), None)
    if ranking is None or len(ranking.rows) <= LEADERBOARD_TOP:
        return Reply.of(t("🏆 *Last week's leaderboard*"), *blocks, visibility=Visibility.CHANNEL)
    top = replace(ranking, title=f"{ranking.title} (top {LEADERBOARD_TOP})")
    top = replace(top, rows=ranking.rows[:LEADERBOARD_TOP])
    parent = [
        top if b is ranking else b for b in blocks
    ]  # the rest (kudos, the score rule) stays with the top
    post = Reply.of(
        t("🏆 *Last week's leaderboard*"),
        *parent,
        f"The whole ranking ({len(ranking.rows)} members) is in the thread.",
        visibility=Visibility.CHANNEL,
    )
    return post.in_thread(ranking)


async def digest(ctx: PromptContext) -> Reply | None:
    """Monday's coach digest: who to talk to, who went quiet, what to celebrate."""
    cohort, today = ctx.cohort, ctx.local_day
    people = [m for m in await ctx.repo.cohort_members(cohort.id) if m.role == "member"]
    searching = [m for m in people if effective_status(m, today) == "searching"]
    goal = targets_of(cohort)
    last = await week_totals(ctx.repo, searching, ctx.now, of_day=today - timedelta(weeks=1))
    before = await week_totals(ctx.repo, searching, ctx.now, of_day=today - timedelta(weeks=2))
    two_weeks_ago = week_start(today - timedelta(weeks=2))
    last_monday = week_start(today - timedelta(weeks=1))
    # Only whole weeks in the cohort count: a member who joined mid-week is not "below target".
    seasoned = [m for m in searching if local_today(m.joined_at, m.timezone) <= two_weeks_ago]
    full_last_week = [m for m in searching if local_today(m.joined_at, m.timezone) <= last_monday]
    behind = [m for m in seasoned if goal.below(last[m.id]) and goal.below(before[m.id])]
    silent = await _silent(ctx, searching, days=3)
    wins = await _wins(ctx, people, since=today - timedelta(days=7))
    unreachable = [m for m in people if m.unreachable_since]
    blocks: list[Block | str] = [
        t("📋 *Coach digest for {cohort}*, {day}", cohort=cohort.name, day=DateRef(today))
    ]
    if seasoned:
        blocks.append(
            Table(
                "Below target two weeks running (worth a chat)",
                ("member", "last week", "the week before"),
                tuple(
                    (
                        m.display_name,
                        ", ".join(goal.below(last[m.id])),
                        ", ".join(goal.below(before[m.id])),
                    )
                    for m in behind
                ),
                empty=_nobody_behind(len(seasoned), len(searching) - len(seasoned)),
            )
        )
    else:
        blocks.append(_new_cohort_line(full_last_week, last, goal))
    blocks.append(
        "🔇 Quiet for three working days: "
        + (", ".join(m.display_name for m in silent) if silent else "nobody.")
    )
    blocks.append("🎉 To celebrate: " + ("; ".join(wins) if wins else "nothing new this week."))
    if unreachable:
        blocks.append(
            "📵 Can't be messaged (DMs closed or left): "
            + ", ".join(f"{m.display_name} ({m.unreachable_reason})" for m in unreachable)
        )
    return Reply.of(*blocks)


def _nobody_behind(seasoned: int, newer: int) -> str:
    """The empty "below target two weeks running" table, saying whom it looked at."""
    who = "the one member" if seasoned == 1 else f"all {seasoned} members"
    line = f"Nobody: {who} with two full weeks here met their targets in at least one of them."
    if newer:
        line += f" ({newer} newer {'member is' if newer == 1 else 'members are'} not counted yet.)"
    return line


def _new_cohort_line(
    full_last_week: list[Member], last: dict[int, WeekTotals], goal: Targets
) -> str:
    """No member has two full weeks yet: say so, and who missed a target last week."""
    head = "📈 Nobody has two full weeks in the cohort yet"
    if not full_last_week:
        return head + ", nor a full week: targets are compared from the first whole week."
    missed = [(m, goal.below(last[m.id])) for m in full_last_week]
    below = "; ".join(f"{m.display_name} ({', '.join(what)})" for m, what in missed if what)
    return f"{head}; below target last week: {below or 'nobody, everyone hit them'}."


async def _silent(ctx: PromptContext, members: list[Member], days: int) -> list[Member]:
    window = working_days(ctx.cohort, ctx.local_day - timedelta(days=1), days)
    if not window or not members:
        return []
    first, last_day = min(window), max(window)
    standups = {
        s.member_id for s in await ctx.repo.standups([m.id for m in members], first, last_day)
    }
    counts = await ctx.repo.daily_counts([m.id for m in members], first, last_day)
    active = standups | {mid for kind in counts.values() for mid, days in kind.items() if days}
    return [
        m for m in members if m.id not in active and local_today(m.joined_at, m.timezone) < first
    ]


async def _wins(ctx: PromptContext, people: list[Member], since: date) -> list[str]:
    names = {m.id: m.display_name for m in people}
    rows = (
        await ctx.repo.execute(
            select(StageChange.stage, Application.company, Application.member_id)
            .join(Application, Application.id == StageChange.application_id)
            .where(
                Application.member_id.in_(list(names)),
                StageChange.stage.in_(["offer", "accepted"]),
                StageChange.day >= since,
            )
        )
    ).all()
    wins = [
        f"{names[mid]} got an offer from {company}"
        if stage == "offer"
        else f"{names[mid]} accepted {company}"
        for stage, company, mid in rows
    ]
    wins += [f"{m.display_name} is hired" for m in people if m.status == "hired"]
    return wins


async def blocker(ctx: PromptContext) -> Reply | None:
    """A coach alert: a member reported a blocker three working days running."""
    who = ctx.subject
    if who is None:
        return None
    rows = await ctx.repo.scalars(
        select(StandupResponse)
        .where(StandupResponse.member_id == who.id, StandupResponse.day <= ctx.local_day)
        .order_by(StandupResponse.day.desc())
        .limit(3)
    )
    lines: list[Inline] = []
    for i, answer in enumerate(s for s in reversed(rows) if s.blockers):
        lines += ["\n" if i else "", "• ", DateRef(answer.day), ": ", answer.blockers]
    return Reply.of(
        Text(
            t(
                "🚧 {who} has reported a blocker three working days running:\n",
                who=who.display_name,
            ),
            *lines,
        ),
        t("Reach out when you can (see `/history member=@{who}`).", who=who.display_name),
    )


async def join_request(ctx: PromptContext) -> Reply | None:
    """A coach alert: a member asks to join a cohort whose coaches approve each member."""
    who = ctx.subject
    if who is None or who.cohort_id == ctx.cohort.id:
        return None
    pending = await ctx.repo.scalar(
        select(JoinRequest.id).where(
            JoinRequest.cohort_id == ctx.cohort.id, JoinRequest.member_id == who.id
        )
    )
    if pending is None:
        return None  # another coach answered it already
    return Reply.of(
        t("🙋 {who} asks to join {cohort}.", who=who.display_name, cohort=ctx.cohort.name),
        t(
            "Let them in with `/cohort approve @{who}`, or `/cohort deny @{who}`; "
            "`/cohort requests` lists everyone waiting.",
            who=who.display_name,
        ),
    )


async def join_approved(ctx: PromptContext) -> Reply | None:
    """To the member: a coach let them in (only while they still are)."""
    if ctx.member is None or ctx.member.cohort_id != ctx.cohort.id:
        return None
    return Reply.of(
        t("✅ You're in {cohort}: a coach approved your request.", cohort=ctx.cohort.name),
        "Your first standup comes on the next working day; `/help` shows what you can log.",
    )


RENDERERS: dict[Kind, Renderer] = {
    Kind.STANDUP: standup,
    Kind.REMINDER: reminder,
    Kind.FOLLOWUPS: followups,
    Kind.RETRO: retro,
    Kind.SUMMARY: summary,
    Kind.RETRO_SUMMARY: retro_summary,
    Kind.LEADERBOARD: leaderboard,
    Kind.DIGEST: digest,
    Kind.BLOCKER: blocker,
    Kind.JOIN_REQUEST: join_request,
    Kind.JOIN_APPROVED: join_approved,
}
