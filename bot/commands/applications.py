"""/apply, /apps and /app: log job applications and move them through their stages."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.commands.common import (
    DATE_PAST,
    FOLLOW_UP,
    FORCE,
    NEXT_STEP,
    apply_changes,
    check_follow_up,
    check_log_date,
    day,
    delete_with_reply,
    duplicate,
    recent_window,
)
from bot.context import Context
from bot.domain.calendar import week_start
from bot.domain.vocab import STAGES
from bot.entities import APPLICATION, ref
from bot.errors import UsageError, UserError
from bot.params import Kind, Param
from bot.progress import week_totals
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, Table
from bot.services.applications import log_applications
from bot.services.changes import record, snapshot
from bot.timeparse import Direction
from storage.models import Application, StageChange

commands = CommandSet()

COMPANY = Param("company", Kind.TEXT, "the company", max_length=120, blank=False, example="Stripe")
ROLE = Param(
    "role", Kind.TEXT, "the job title", max_length=120, blank=False, example='"Backend Engineer"'
)
URL = Param("url", Kind.URL, "the job posting")
CONTACT = Param("contact", Kind.TEXT, "who you talked to", max_length=120, example='"Jane Doe"')
NOTES = Param("notes", Kind.TEXT, "anything worth remembering", max_length=2000)
APP_ID = ref(APPLICATION)
STAGE = Param("stage", Kind.CHOICE, "where it stands", choices=STAGES, example="applied")


@commands.command(
    "apply",
    "Log a job application",
    params=[
        Param(
            "company",
            Kind.TEXT,
            "the company",
            required=True,
            positional=True,
            max_length=120,
            example="Stripe",
        ),
        Param(
            "role",
            Kind.TEXT,
            "the job title",
            required=True,
            positional=True,
            max_length=120,
            example='"Backend Engineer"',
        ),
        URL,
        STAGE,
        CONTACT,
        NOTES,
        NEXT_STEP,
        FOLLOW_UP,
        DATE_PAST,
        FORCE,
    ],
    examples=[
        Example('/apply Stripe "Platform Engineer"', "Logged application A"),
        Example(
            '/apply Acme "Junior Developer" url=https://acme.example/jobs/1 follow-up=fri',
            "follow up",
        ),
    ],
)
async def apply(
    ctx: Context,
    *,
    company: str,
    role: str,
    url: str | None,
    stage: str | None,
    contact: str | None,
    notes: str | None,
    next: str | None,
    follow_up: date | None,
    date: date | None,
    force: str | None,
) -> Reply:
    company, role = company.strip(), role.strip()
    if not company or not role:
        raise UsageError("Give both the company and the job title.")
    applied_on = check_log_date(ctx, date, force, "an application")
    check_follow_up(ctx, follow_up, force)
    if force != "yes":
        first, last = recent_window(applied_on)
        same = await ctx.repo.scalar(
            select(Application)
            .where(
                Application.member_id == ctx.member.id,
                func.lower(Application.company) == company.lower(),
                func.lower(Application.role) == role.lower(),
                Application.applied_on.between(first, last),
            )
            .order_by(Application.applied_on.desc(), Application.id.desc())
            .limit(1)
        )
        if same is not None:
            raise duplicate(
                "an application",
                f"{APPLICATION.label(same)}, {same.role} at {same.company}",
                same.applied_on,
                "company",
            )
    application = Application(
        member_id=ctx.member.id,
        company=company,
        role=role,
        url=url or "",
        stage=stage or "applied",
        contact=contact or "",
        notes=notes or "",
        next_step=next or "",
        follow_up=follow_up,
        applied_on=applied_on,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    await log_applications(ctx.repo, [application], ctx.now)
    await record(ctx.repo, ctx.member.id, ctx.now, "added", application)
    lines = [
        f"✅ Logged application {APPLICATION.label(application)}: {role} at {company} "
        f"({application.stage})."
    ]
    if follow_up:
        lines.append(f"I'll remind you to follow up on {day(follow_up)}.")
    if week_start(applied_on) == week_start(ctx.today):
        totals = (await week_totals(ctx.repo, [ctx.member], ctx.now))[ctx.member.id]
        lines.append(f"This week: {totals.applications}/{ctx.targets().applications} applications.")
    return Reply.of("\n".join(lines))


@commands.command(
    "apps",
    "List your applications, optionally filtered",
    params=[
        Param("stage", Kind.CHOICE, "only this stage", choices=STAGES),
        Param("company", Kind.TEXT, "company name contains", max_length=120),
        Param("since", Kind.DATE, "applied on or after", direction=Direction.PAST),
    ],
    examples=[Example("/apps", "Stripe"), Example("/apps stage=applied", "Backend Engineer")],
)
async def list_apps(
    ctx: Context, *, stage: str | None, company: str | None, since: date | None
) -> Reply:
    rows = await ctx.repo.applications(
        ctx.member.id, stage=stage, company=company, since=since, limit=100
    )
    table = Table(
        f"Your applications ({len(rows)}{'+' if len(rows) == 100 else ''})",
        ("id", "company", "role", "stage", "applied", "follow-up"),
        tuple(
            (
                APPLICATION.label(a),
                a.company,
                a.role,
                a.stage,
                day(a.applied_on),
                day(a.follow_up),
            )
            for a in rows
        ),
        empty='No applications match. Log one with /apply Stripe "Backend Engineer".',
    )
    return Reply.of(table)


@commands.command(
    "app show",
    "Show one application with its stage history",
    params=[APP_ID],
    examples=[Example("/app show A1", "Stage history")],
)
async def show(ctx: Context, *, id: Application) -> Reply:
    a = id
    history = (await ctx.repo.stage_history([a.id]))[a.id]
    fields = [
        ("Company", a.company),
        ("Role", a.role),
        ("Stage", a.stage),
        ("Applied", day(a.applied_on)),
    ]
    for name, value in (
        ("Link", a.url),
        ("Contact", a.contact),
        ("Next step", a.next_step),
        ("Follow up", day(a.follow_up)),
        ("Notes", a.notes),
    ):
        if value:
            fields.append((name, value))
    return Reply.of(
        Fields(f"Application {APPLICATION.label(a)}", tuple(fields)),
        Table(
            "Stage history",
            ("date", "stage", "note"),
            tuple((day(c.day), c.stage, c.note) for c in history),
        ),
    )


@commands.command(
    "app stage",
    "Move an application to a new stage (interview, offer, rejected...)",
    params=[
        APP_ID,
        Param(
            "stage",
            Kind.CHOICE,
            "the new stage",
            required=True,
            positional=True,
            choices=STAGES,
            example="interview",
        ),
        Param("date", Kind.DATE, "when it happened (default today)", direction=Direction.PAST),
        Param("note", Kind.TEXT, "a note for the history", max_length=300),
        FOLLOW_UP,
    ],
    examples=[Example('/app stage A1 interview note="onsite on Tuesday"', "now at interview")],
)
async def stage(
    ctx: Context,
    *,
    id: Application,
    stage: str,
    date: date | None,
    note: str | None,
    follow_up: date | None,
) -> Reply:
    a = id
    when = date or ctx.today
    if when > ctx.today:
        raise UsageError(
            "That date is in the future; log a stage once it has happened.", param="date"
        )
    if when < a.applied_on:
        raise UsageError(f"That is before you applied ({day(a.applied_on)}).", param="date")
    if a.stage == stage:
        raise UserError(f"{APPLICATION.label(a)} is already at {a.stage}.")
    a.stage = stage
    a.updated_at = ctx.now
    if follow_up is not None:
        a.follow_up = follow_up
    await ctx.repo.add(
        StageChange(application_id=a.id, stage=stage, day=when, note=note or "", created_at=ctx.now)
    )
    cheer = {
        "offer": " 🎉 Congratulations!",
        "accepted": " 🥳 Huge congratulations!",
        "interview": " Good luck!",
        "rejected": " Onwards — every no is one step closer.",
    }
    return Reply.of(
        f"📌 {APPLICATION.label(a)} ({a.role} at {a.company}) is now at "
        f"{stage}.{cheer.get(stage, '')}"
    )


@commands.command(
    "app update",
    "Change an application's details",
    params=[
        APP_ID,
        COMPANY,
        ROLE,
        URL,
        CONTACT,
        NOTES,
        NEXT_STEP,
        FOLLOW_UP,
        Param("date", Kind.DATE, "the day you applied", direction=Direction.PAST),
        FORCE,
    ],
    examples=[
        Example('/app update A1 next="email the recruiter" follow-up=mon', "Updated A1"),
        Example("/app update A1 date=today", "Updated A1: date"),
    ],
)
async def update(
    ctx: Context,
    *,
    id: Application,
    company: str | None,
    role: str | None,
    url: str | None,
    contact: str | None,
    notes: str | None,
    next: str | None,
    follow_up: date | None,
    date: date | None,
    force: str | None,
) -> Reply:
    check_log_date(ctx, date, force, "an application")
    check_follow_up(ctx, follow_up, force)
    before = snapshot(id)
    changed = apply_changes(
        id,
        {
            "company": company,
            "role": role,
            "url": url,
            "contact": contact,
            "notes": notes,
            "next": next,
            "follow-up": follow_up,
            "date": date,
        },
        columns={"next": "next_step", "date": "applied_on"},
    )
    id.updated_at = ctx.now
    await record(ctx.repo, ctx.member.id, ctx.now, "edited", id, before)
    return Reply.of(f"✏️ Updated {APPLICATION.label(id)}: {', '.join(changed)}.")


@commands.command(
    "app delete",
    "Delete one of your applications (with its stage history); /undo brings it back",
    params=[APP_ID],
    examples=[Example("/app delete A1", "Deleted A1")],
)
async def delete(ctx: Context, *, id: Application) -> Reply:
    return await delete_with_reply(ctx, id)
