"""/history: a member's own log for a date range: applications, contacts, practice, standups."""

from __future__ import annotations

from datetime import date, timedelta

from bot.commands.common import day
from bot.context import Context
from bot.entities import APPLICATION, CONTACT
from bot.errors import UsageError
from bot.params import Kind, MemberRef, Param
from bot.registry import CommandSet, Example
from bot.replies import Reply, Table, t
from bot.timeparse import Direction, format_minutes

commands = CommandSet()
MAX_DAYS = 366


@commands.command(
    "history",
    "Your log for a date range (default: the last 14 days)",
    params=[
        Param("from", Kind.DATE, "first day", direction=Direction.PAST, example="2026-11-01"),
        Param(
            "to", Kind.DATE, "last day (default today)", direction=Direction.PAST, example="today"
        ),
        Param("member", Kind.MEMBER, "(coaches) whose history to show"),
    ],
    examples=[
        Example("/history", "Applications"),
        Example('/history from="7 days ago"', "Practice"),
    ],
)
async def history(
    ctx: Context, *, from_: date | None, to: date | None, member: MemberRef | None
) -> Reply:
    whom = await ctx.member_or_self(member)
    until = to or ctx.today_of(whom)
    since = from_ or until - timedelta(days=13)
    if since > until:
        raise UsageError(
            t("`from=` is after `to=`."),
            hint="e.g. /history from=2026-11-01 to=today",
            param="from",
        )
    if (until - since).days > MAX_DAYS:
        raise UsageError("That range is longer than a year; pick a shorter one.", param="from")
    apps = await ctx.repo.applications(whom.id, since=since, until=until)
    changes = await ctx.repo.stage_history([a.id for a in apps])
    contacts = await ctx.repo.contacts(whom.id, since=since, until=until)
    practice = await ctx.repo.practice_logs(whom.id, since, until)
    standups = await ctx.repo.standups([whom.id], since, until)
    whose = "Your" if whom.id == ctx.member.id else f"{whom.display_name}'s"
    return Reply.of(
        t("*{whose} history, {since} – {until}*", whose=whose, since=day(since), until=day(until)),
        Table(
            "Applications",
            ("id", "applied", "company", "role", "stages"),
            tuple(
                (
                    APPLICATION.label(a),
                    day(a.applied_on),
                    a.company,
                    a.role,
                    " → ".join(f"{c.stage} ({c.day:%b} {c.day.day})" for c in changes[a.id]),
                )
                for a in reversed(apps)
            ),
            empty="No applications.",
        ),
        Table(
            "Contacts",
            ("id", "when", "name", "company", "how", "learned"),
            tuple(
                (
                    CONTACT.label(c),
                    day(c.contacted_on),
                    c.name,
                    c.company,
                    c.channel,
                    c.learned[:60],
                )
                for c in reversed(contacts)
            ),
            empty="No contacts.",
        ),
        Table(
            "Practice",
            ("day", "time", "what"),
            tuple(
                (day(p.day), format_minutes(p.minutes) if p.minutes else p.source, p.what[:60])
                for p in practice
            ),
            empty="No practice logged.",
        ),
        Table(
            "Standups",
            ("day", "today", "blockers"),
            tuple((day(s.day), s.today[:60], s.blockers[:40] or "none") for s in standups),
            empty="No standups.",
        ),
    )
