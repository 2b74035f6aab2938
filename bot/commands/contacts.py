"""/outreach, /contacts and /contact: networking contacts, what you learned and the next step."""

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
)
from bot.context import Context
from bot.domain.calendar import week_start
from bot.domain.vocab import CONTACT_CHANNELS
from bot.entities import CONTACT, ref
from bot.errors import UsageError
from bot.params import Kind, Param
from bot.progress import week_totals
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, Table
from bot.services.changes import record, snapshot
from bot.timeparse import Direction
from storage.models import Contact

commands = CommandSet()

COMPANY = Param("company", Kind.TEXT, "their company", max_length=120, example="Stripe")
ROLE = Param("role", Kind.TEXT, "their role", max_length=120, example='"Engineering Manager"')
HOW = Param("how", Kind.CHOICE, "how you reached out", choices=CONTACT_CHANNELS, example="linkedin")
LEARNED = Param("learned", Kind.TEXT, "what you learned", max_length=2000)
CONTACT_ID = ref(CONTACT)


@commands.command(
    "outreach",
    "Log a networking or outreach contact",
    params=[
        Param(
            "name",
            Kind.TEXT,
            "who you reached out to",
            required=True,
            positional=True,
            max_length=120,
            example='"Jane Doe"',
        ),
        COMPANY,
        ROLE,
        HOW,
        LEARNED,
        NEXT_STEP,
        FOLLOW_UP,
        DATE_PAST,
        FORCE,
    ],
    examples=[
        Example('/outreach "Ana Silva" company=Stripe how=coffee', "Logged contact C"),
        Example(
            '/outreach Sam how=linkedin learned="hiring in spring" follow-up="in 7 days"',
            "follow up",
        ),
    ],
)
async def outreach(
    ctx: Context,
    *,
    name: str,
    company: str | None,
    role: str | None,
    how: str | None,
    learned: str | None,
    next: str | None,
    follow_up: date | None,
    date: date | None,
    force: str | None,
) -> Reply:
    name = name.strip()
    if not name:
        raise UsageError("Give the person's name.", param="name")
    when = check_log_date(ctx, date, force, "a contact")
    check_follow_up(ctx, follow_up, force)
    if force != "yes":
        same = await ctx.repo.scalar(
            select(Contact)
            .where(Contact.member_id == ctx.member.id, func.lower(Contact.name) == name.lower())
            .order_by(Contact.contacted_on.desc(), Contact.id.desc())
            .limit(1)
        )
        if same is not None:
            at = f" at {same.company}" if same.company else ""
            raise duplicate(
                "a contact", f"{CONTACT.label(same)}, {same.name}{at}", same.contacted_on, "name"
            )
    contact = await ctx.repo.add(
        Contact(
            member_id=ctx.member.id,
            name=name,
            company=company or "",
            role=role or "",
            channel=how or "other",
            learned=learned or "",
            next_step=next or "",
            follow_up=follow_up,
            contacted_on=when,
            created_at=ctx.now,
            updated_at=ctx.now,
        )
    )
    await record(ctx.repo, ctx.member.id, ctx.now, "added", contact)
    at = f" at {contact.company}" if contact.company else ""
    lines = [f"🤝 Logged contact {CONTACT.label(contact)}: {name}{at} ({contact.channel})."]
    if follow_up:
        lines.append(f"I'll remind you to follow up on {day(follow_up)}.")
    if week_start(when) == week_start(ctx.today):
        totals = (await week_totals(ctx.repo, [ctx.member], ctx.now))[ctx.member.id]
        lines.append(f"This week: {totals.outreach}/{ctx.targets().outreach} outreach.")
    return Reply.of("\n".join(lines))


@commands.command(
    "contacts",
    "List your contacts, optionally filtered",
    params=[
        Param("how", Kind.CHOICE, "only this channel", choices=CONTACT_CHANNELS),
        Param("company", Kind.TEXT, "company name contains", max_length=120),
        Param("since", Kind.DATE, "contacted on or after", direction=Direction.PAST),
    ],
    examples=[Example("/contacts", "Jane Doe")],
)
async def list_contacts(
    ctx: Context, *, how: str | None, company: str | None, since: date | None
) -> Reply:
    rows = await ctx.repo.contacts(
        ctx.member.id, channel=how, company=company, since=since, limit=100
    )
    return Reply.of(
        Table(
            f"Your contacts ({len(rows)}{'+' if len(rows) == 100 else ''})",
            ("id", "name", "company", "how", "when", "follow-up"),
            tuple(
                (
                    CONTACT.label(c),
                    c.name,
                    c.company,
                    c.channel,
                    day(c.contacted_on),
                    day(c.follow_up),
                )
                for c in rows
            ),
            empty='No contacts match. Log one with /outreach "Jane Doe" company=Stripe.',
        )
    )


@commands.command(
    "contact show",
    "Show one contact",
    params=[CONTACT_ID],
    examples=[Example("/contact show C1", "Jane Doe")],
)
async def show(ctx: Context, *, id: Contact) -> Reply:
    c = id
    fields = [("Name", c.name), ("How", c.channel), ("When", day(c.contacted_on))]
    for name, value in (
        ("Company", c.company),
        ("Role", c.role),
        ("Learned", c.learned),
        ("Next step", c.next_step),
        ("Follow up", day(c.follow_up)),
    ):
        if value:
            fields.append((name, value))
    return Reply.of(Fields(f"Contact {CONTACT.label(c)}", tuple(fields)))


@commands.command(
    "contact update",
    "Change a contact: what you learned, the next step, the follow-up",
    params=[
        CONTACT_ID,
        Param("name", Kind.TEXT, "their name", max_length=120, blank=False),
        COMPANY,
        ROLE,
        HOW,
        LEARNED,
        NEXT_STEP,
        FOLLOW_UP,
        Param("date", Kind.DATE, "the day you reached out", direction=Direction.PAST),
        FORCE,
    ],
    examples=[Example('/contact update C1 learned="team uses Go" follow-up=fri', "Updated C1")],
)
async def update(
    ctx: Context,
    *,
    id: Contact,
    name: str | None,
    company: str | None,
    role: str | None,
    how: str | None,
    learned: str | None,
    next: str | None,
    follow_up: date | None,
    date: date | None,
    force: str | None,
) -> Reply:
    check_log_date(ctx, date, force, "a contact")
    check_follow_up(ctx, follow_up, force)
    before = snapshot(id)
    changed = apply_changes(
        id,
        {
            "name": name,
            "company": company,
            "role": role,
            "how": how,
            "learned": learned,
            "next": next,
            "follow-up": follow_up,
            "date": date,
        },
        columns={"how": "channel", "next": "next_step", "date": "contacted_on"},
    )
    id.updated_at = ctx.now
    await record(ctx.repo, ctx.member.id, ctx.now, "edited", id, before)
    return Reply.of(f"✏️ Updated {CONTACT.label(id)}: {', '.join(changed)}.")


@commands.command(
    "contact delete",
    "Delete one of your contacts; /undo brings it back",
    params=[CONTACT_ID],
    examples=[Example("/contact delete C1", "Deleted C1")],
)
async def delete(ctx: Context, *, id: Contact) -> Reply:
    return await delete_with_reply(ctx, id)
