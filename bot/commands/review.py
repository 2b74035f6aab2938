"""/review: a one-page portfolio review of a member's plan and progress, for them and their coach.

The page is Markdown and HTML (the same sections, ``bot.planning.review``) so it can be pasted
into a doc, printed, or opened in a browser before the coaching session.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.commands.career import HORIZON_LABELS, HORIZONS
from bot.commands.common import day, plural
from bot.commands.goals import progress_text
from bot.commands.plan import Standing, funnel_line, plan_vs_actual, standing, week_blocks
from bot.commands.reflection import reflection_fields, reflection_of
from bot.context import Context
from bot.domain.calendar import week_label, week_start
from bot.domain.vocab import CATEGORY_LABELS
from bot.entities import GOAL
from bot.format import file_slug
from bot.params import Kind, MemberRef, Param
from bot.planning.backwards import monthly_breakdown
from bot.planning.review import Section, render_html, render_markdown
from bot.planning.week import minutes_by_category
from bot.progress import effective_status, member_streak, week_totals
from bot.registry import CommandSet, Example
from bot.replies import File, Reply
from bot.timeparse import format_minutes
from storage.models import Interview, Member

commands = CommandSet()


def _h(minutes: int) -> str:
    return format_minutes(minutes) if minutes > 0 else "0h"


def _plan_section(s: Standing) -> Section:
    p = s.plan
    if p is None:
        return Section("Backwards plan", empty="No offer date set yet (/plan offer-by DATE).")
    return Section(
        "Backwards plan",
        (
            f"Offer by {day(p.offer_by)} {p.offer_by.year} ({p.days_left} days left); "
            f"apply by {day(p.apply_by)}",
            f"{p.applications_needed} applications for one offer: {p.applications_sent} sent, "
            f"{p.applications_remaining} to go",
            f"Goals: {p.monthly_applications} applications and {p.monthly_outreach} outreach a "
            f"month; {p.weekly_applications} and {p.weekly_outreach} a week; "
            f"{p.daily_applications} and {p.daily_outreach} a working day",
            *s.pace_lines(),
            *([line] if (line := s.cut_off_line()) else []),
        ),
        columns=("month", "applications", "outreach"),
        rows=tuple(
            (f"{month:%b %Y}", str(apps), str(outreach))
            for month, apps, outreach in monthly_breakdown(s.today, p)
        ),
    )


async def _week_sections(ctx: Context, member: Member, s: Standing) -> list[Section]:
    targets = ctx.targets()
    w = s.week
    monday = week_start(s.today)
    targets_section = Section(
        f"This week ({week_label(monday)}) against the targets",
        columns=("", "done", "target"),
        rows=(
            ("Applications", str(w.applications), str(targets.applications)),
            ("Outreach", str(w.outreach), str(targets.outreach)),
            ("Practice days", str(w.practice_days), str(targets.practice_days)),
            ("Hours", _h(w.total_minutes), f"{targets.hours}h"),
        ),
    )
    blocks, saved = await week_blocks(ctx, member)
    comparison = await plan_vs_actual(ctx, member, monday) if saved else None
    if comparison is not None:
        total = sum(b.minutes for b in blocks)
        week = Section(
            f"Planned week ({_h(total)}) vs actual",
            columns=("category", "planned", "done", "to go"),
            rows=tuple(
                (
                    CATEGORY_LABELS[c.category],
                    _h(c.planned),
                    _h(c.actual),
                    _h(c.gap) if c.gap > 0 else "on plan",
                )
                for c in comparison
            ),
        )
    else:
        planned = minutes_by_category(blocks)
        week = Section(
            "Planned week",
            ("No week planned yet; the 40-hour template would be:",),
            columns=("category", "hours a week"),
            rows=tuple((CATEGORY_LABELS[c], _h(m)) for c, m in planned.items() if m),
        )
    trend = []
    for back in range(3, -1, -1):
        t = (await week_totals(ctx.repo, [member], ctx.now, weeks_back=back))[member.id]
        missed = targets.below(t)
        trend.append(
            (
                week_label(monday - timedelta(weeks=back)),
                str(t.applications),
                str(t.outreach),
                str(t.practice_days),
                _h(t.total_minutes),
                "this week" if back == 0 else (", ".join(missed) or "all met"),
            )
        )
    trend_section = Section(
        "Last four weeks",
        columns=("week", "apps", "outreach", "practice days", "hours", "targets missed"),
        rows=tuple(trend),
    )
    return [targets_section, week, trend_section]


async def review_sections(ctx: Context, member: Member) -> list[Section]:
    """Every section of the review, in reading order."""
    s = await standing(ctx, member)
    streak = await member_streak(ctx.repo, member, ctx.cohort, ctx.now)
    sections = [_plan_section(s), *await _week_sections(ctx, member, s)]
    sections.append(
        Section(
            "Practice streak",
            (
                f"Current {plural(streak.current, 'day')}, longest {streak.longest}; "
                f"{plural(streak.week_days, 'practice day')} this week",
            ),
        )
    )
    c = s.counts
    sections.append(
        Section(
            "Funnel",
            (funnel_line(s).removeprefix("Funnel: "),),
            columns=("stage reached", "applications"),
            rows=(
                ("sent", str(c.sent)),
                ("screen or later", str(c.screens)),
                ("interview or later", str(c.interviews)),
                ("offer", str(c.offers)),
            ),
        )
    )
    goals = await ctx.repo.goals(member.id)
    sections.append(
        Section(
            "SMART goals",
            columns=("id", "goal", "specific", "measurable", "due", "progress", "status"),
            rows=tuple(
                [
                    (
                        GOAL.label(g),
                        g.title,
                        g.specific,
                        g.measurable,
                        f"{g.timely:%Y-%m-%d}" if g.timely else "",
                        await progress_text(ctx, member, g) or "-",
                        g.status,
                    )
                    for g in goals
                ]
            ),
            empty="No goals set yet (/goal add).",
        )
    )
    reflection = reflection_fields(ctx, member, await reflection_of(ctx, member))
    if reflection is not None:
        sections.append(
            Section("Reflection", tuple(f"{label}: {value}" for label, value in reflection.fields))
        )
    career = {r.horizon: r for r in await ctx.repo.career_plan(member.id)}
    sections.append(
        Section(
            "Career plan",
            columns=("horizon", "goal", "skills needed", "resources", "next step", "timeline"),
            rows=tuple(
                (
                    HORIZON_LABELS[h],
                    career[h].goal,
                    career[h].skills,
                    career[h].resources,
                    career[h].next_step,
                    career[h].timeline,
                )
                for h in HORIZONS
                if h in career
            ),
            empty="No career plan yet (/career set 1y goal=...).",
        )
    )
    barriers = await ctx.repo.barriers(member.id)
    sections.append(
        Section(
            "Barriers",
            columns=("barrier", "how to overcome it"),
            rows=tuple((b.barrier, b.overcome) for b in barriers),
            empty="No barriers named yet (/barrier add).",
        )
    )
    interviews = await ctx.repo.scalars(
        select(Interview)
        .where(Interview.member_id == member.id)
        .order_by(Interview.day.desc(), Interview.id.desc())
        .limit(10)
    )
    sections.append(
        Section(
            "Interview practice (last 10)",
            columns=("date", "kind", "company", "with", "how it went", "to improve"),
            rows=tuple(
                (
                    day(i.day),
                    f"{i.kind} (mock)" if i.mock else i.kind,
                    i.company,
                    i.with_whom,
                    i.went,
                    i.improve,
                )
                for i in interviews
            ),
            empty="No interviews logged yet (/interview log).",
        )
    )
    retro = await ctx.repo.latest_retro(member.id)
    if retro is not None:
        sections.append(
            Section(
                f"Last weekly review ({week_label(retro.week_start)})",
                (
                    f"Worked: {retro.worked}",
                    f"Didn't: {retro.didnt}",
                    f"Adjust: {retro.adjust}",
                ),
            )
        )
    return sections


@commands.command(
    "review",
    "A one-page portfolio review (Markdown and HTML) of your plan and progress for your coach",
    params=[Param("member", Kind.MEMBER, "(coaches) whose review to prepare")],
    examples=[
        Example("/review", "Portfolio review"),
        Example("/review member=@alice", "alice", as_user="coach"),
    ],
    expensive=True,
)
async def review(ctx: Context, *, member: MemberRef | None) -> Reply:
    owner = await ctx.member_or_self(member)
    today = ctx.today_of(owner)
    sections = await review_sections(ctx, owner)
    title = f"Portfolio review: {owner.display_name}"
    cohort = ctx.cohort.name if ctx.cohort else "no cohort"
    status = effective_status(owner, today)
    subtitle = f"{cohort} · {status} · prepared {day(today)} {today.year}"
    stem = f"review-{file_slug(owner.display_name)}-{today:%Y-%m-%d}"
    markdown = render_markdown(title, subtitle, sections)
    page = render_html(title, subtitle, sections)
    whose = "your" if owner.id == ctx.member.id else f"{owner.display_name}'s"
    return Reply.of(
        f"📋 Portfolio review of {whose} plan and progress as of {day(today)}: "
        "one page in Markdown and HTML.",
        File(f"{stem}.md", markdown.encode(), "text/markdown", f"{title} (Markdown)"),
        File(f"{stem}.html", page.encode(), "text/html", f"{title} (HTML)"),
    )
