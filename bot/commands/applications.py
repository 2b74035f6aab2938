"""/apply, /apps and /app: log job applications and move them through their stages."""

from __future__ import annotations

from bot.commands.common import (
    DATE_PAST,
    FOLLOW_UP,
    NEXT_STEP,
    apply_changes,
    day,
    item_id,
    label,
    numbered_item,
)
from bot.context import Args, Context
from bot.domain.calendar import week_start
from bot.domain.vocab import STAGES
from bot.errors import NotFound, UsageError, UserError
from bot.params import Kind, Param
from bot.progress import week_totals
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, Table
from bot.timeparse import Direction
from storage.models import Application, StageChange

commands = CommandSet()
PREFIX = "A"

COMPANY = Param("company", Kind.TEXT, "the company", max_length=120, blank=False, example="Stripe")
ROLE = Param(
    "role", Kind.TEXT, "the job title", max_length=120, blank=False, example='"Backend Engineer"'
)
URL = Param("url", Kind.URL, "the job posting")
CONTACT = Param("contact", Kind.TEXT, "who you talked to", max_length=120, example='"Jane Doe"')
NOTES = Param("notes", Kind.TEXT, "anything worth remembering", max_length=2000)
APP_ID = Param(
    "id",
    Kind.TEXT,
    "the application id",
    required=True,
    positional=True,
    max_length=20,
    example="A1",
)
STAGE = Param("stage", Kind.CHOICE, "where it stands", choices=STAGES, example="applied")


async def _owned(ctx: Context, raw: str) -> Application:
    number = item_id(raw, PREFIX, "an application")
    found = await numbered_item(ctx, Application, PREFIX, number)
    if found is None:
        raise NotFound(
            f"You have no application {label(PREFIX, number)}.",
            hint="See your applications with `/apps`.",
        )
    return found


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
    ],
    examples=[
        Example('/apply Stripe "Backend Engineer"', "Logged application A"),
        Example(
            '/apply Acme "Junior Developer" url=https://acme.example/jobs/1 follow-up=fri',
            "follow up",
        ),
    ],
)
async def apply(ctx: Context, args: Args) -> Reply:
    company, role = args.company.strip(), args.role.strip()
    if not company or not role:
        raise UsageError("Give both the company and the job title.")
    applied_on = args.date or ctx.today
    if applied_on > ctx.today:
        raise UsageError(
            "The application date is in the future.",
            hint="Log applications on or after the day you send them.",
        )
    stage = args.stage or "applied"
    application = await ctx.repo.add(
        Application(
            member_id=ctx.member.id,
            company=company,
            role=role,
            url=args.url or "",
            stage=stage,
            contact=args.contact or "",
            notes=args.notes or "",
            next_step=args.next or "",
            follow_up=args.follow_up,
            applied_on=applied_on,
            created_at=ctx.now,
            updated_at=ctx.now,
        )
    )
    await ctx.repo.add(
        StageChange(application_id=application.id, stage=stage, day=applied_on, created_at=ctx.now)
    )
    lines = [
        f"✅ Logged application {label(PREFIX, application.number)}: {role} at {company} ({stage})."
    ]
    if args.follow_up:
        lines.append(f"I'll remind you to follow up on {day(args.follow_up)}.")
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
async def list_apps(ctx: Context, args: Args) -> Reply:
    rows = await ctx.repo.applications(
        ctx.member.id, stage=args.stage, company=args.company, since=args.since, limit=100
    )
    table = Table(
        f"Your applications ({len(rows)}{'+' if len(rows) == 100 else ''})",
        ("id", "company", "role", "stage", "applied", "follow-up"),
        tuple(
            (
                label(PREFIX, a.number),
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
async def show(ctx: Context, args: Args) -> Reply:
    a = await _owned(ctx, args.id)
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
        Fields(f"Application {label(PREFIX, a.number)}", tuple(fields)),
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
async def stage(ctx: Context, args: Args) -> Reply:
    a = await _owned(ctx, args.id)
    when = args.date or ctx.today
    if when > ctx.today:
        raise UsageError("That date is in the future; log a stage once it has happened.")
    if when < a.applied_on:
        raise UsageError(f"That is before you applied ({day(a.applied_on)}).")
    if a.stage == args.stage:
        raise UserError(f"{label(PREFIX, a.number)} is already at {a.stage}.")
    a.stage = args.stage
    a.updated_at = ctx.now
    if args.follow_up is not None:
        a.follow_up = args.follow_up
    await ctx.repo.add(
        StageChange(
            application_id=a.id,
            stage=args.stage,
            day=when,
            note=args.note or "",
            created_at=ctx.now,
        )
    )
    cheer = {
        "offer": " 🎉 Congratulations!",
        "accepted": " 🥳 Huge congratulations!",
        "interview": " Good luck!",
        "rejected": " Onwards — every no is one step closer.",
    }
    return Reply.of(
        f"📌 {label(PREFIX, a.number)} ({a.role} at {a.company}) is now at "
        f"{args.stage}.{cheer.get(args.stage, '')}"
    )


@commands.command(
    "app update",
    "Change an application's details",
    params=[APP_ID, COMPANY, ROLE, URL, CONTACT, NOTES, NEXT_STEP, FOLLOW_UP],
    examples=[Example('/app update A1 next="email the recruiter" follow-up=mon', "Updated A1")],
)
async def update(ctx: Context, args: Args) -> Reply:
    a = await _owned(ctx, args.id)
    changed = apply_changes(
        a,
        args,
        {
            "company": "company",
            "role": "role",
            "url": "url",
            "contact": "contact",
            "notes": "notes",
            "next": "next_step",
            "follow_up": "follow_up",
        },
    )
    a.updated_at = ctx.now
    names = ", ".join(changed)
    return Reply.of(f"✏️ Updated {label(PREFIX, a.number)}: {names}.")
