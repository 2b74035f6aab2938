"""/outreach, /contacts and /contact: networking contacts, what you learned and the next step."""

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
from bot.domain.vocab import CONTACT_CHANNELS
from bot.errors import NotFound, UsageError
from bot.params import Kind, Param
from bot.progress import week_totals
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, Table
from bot.timeparse import Direction
from storage.models import Contact

commands = CommandSet()
PREFIX = "C"

COMPANY = Param("company", Kind.TEXT, "their company", max_length=120, example="Stripe")
ROLE = Param("role", Kind.TEXT, "their role", max_length=120, example='"Engineering Manager"')
HOW = Param("how", Kind.CHOICE, "how you reached out", choices=CONTACT_CHANNELS, example="linkedin")
LEARNED = Param("learned", Kind.TEXT, "what you learned", max_length=2000)
CONTACT_ID = Param(
    "id", Kind.TEXT, "the contact id", required=True, positional=True, max_length=20, example="C1"
)


async def _owned(ctx: Context, raw: str) -> Contact:
    number = item_id(raw, PREFIX, "a contact")
    found = await numbered_item(ctx, Contact, PREFIX, number)
    if found is None:
        raise NotFound(
            f"You have no contact {label(PREFIX, number)}.",
            hint="See your contacts with `/contacts`.",
        )
    return found


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
    ],
    examples=[
        Example('/outreach "Jane Doe" company=Stripe how=coffee', "Logged contact C"),
        Example(
            '/outreach Sam how=linkedin learned="hiring in spring" follow-up="in 7 days"',
            "follow up",
        ),
    ],
)
async def outreach(ctx: Context, args: Args) -> Reply:
    name = args.name.strip()
    if not name:
        raise UsageError("Give the person's name.")
    when = args.date or ctx.today
    if when > ctx.today:
        raise UsageError("That date is in the future; log a contact once it happened.")
    contact = await ctx.repo.add(
        Contact(
            member_id=ctx.member.id,
            name=name,
            company=args.company or "",
            role=args.role or "",
            channel=args.how or "other",
            learned=args.learned or "",
            next_step=args.next or "",
            follow_up=args.follow_up,
            contacted_on=when,
            created_at=ctx.now,
            updated_at=ctx.now,
        )
    )
    at = f" at {contact.company}" if contact.company else ""
    lines = [f"🤝 Logged contact {label(PREFIX, contact.number)}: {name}{at} ({contact.channel})."]
    if args.follow_up:
        lines.append(f"I'll remind you to follow up on {day(args.follow_up)}.")
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
async def list_contacts(ctx: Context, args: Args) -> Reply:
    rows = await ctx.repo.contacts(
        ctx.member.id, channel=args.how, company=args.company, since=args.since, limit=100
    )
    return Reply.of(
        Table(
            f"Your contacts ({len(rows)}{'+' if len(rows) == 100 else ''})",
            ("id", "name", "company", "how", "when", "follow-up"),
            tuple(
                (
                    label(PREFIX, c.number),
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
async def show(ctx: Context, args: Args) -> Reply:
    c = await _owned(ctx, args.id)
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
    return Reply.of(Fields(f"Contact {label(PREFIX, c.number)}", tuple(fields)))


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
    ],
    examples=[Example('/contact update C1 learned="team uses Go" follow-up=fri', "Updated C1")],
)
async def update(ctx: Context, args: Args) -> Reply:
    c = await _owned(ctx, args.id)
    changed = apply_changes(
        c,
        args,
        {
            "name": "name",
            "company": "company",
            "role": "role",
            "how": "channel",
            "learned": "learned",
            "next": "next_step",
            "follow_up": "follow_up",
        },
    )
    c.updated_at = ctx.now
    return Reply.of(f"✏️ Updated {label(PREFIX, c.number)}: {', '.join(changed)}.")
