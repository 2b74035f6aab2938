"""/followups and /followup: what to chase today across applications and contacts."""

from __future__ import annotations

from datetime import timedelta

from bot.commands.common import day, due_phrase, item_id, label, numbered_item
from bot.context import Args, Context
from bot.errors import NotFound, UsageError
from bot.params import Kind, Param
from bot.registry import CommandSet, Example
from bot.replies import Button, Buttons, Reply, Table
from storage.models import Application, Contact

commands = CommandSet()

ITEM = Param(
    "id",
    Kind.TEXT,
    "an application (A12) or contact (C7) id",
    required=True,
    positional=True,
    max_length=20,
    example="A1",
)


async def _item(ctx: Context, raw: str) -> Application | Contact:
    text = raw.strip().upper()
    found: Application | Contact | None
    if text.startswith("C"):
        found = await numbered_item(ctx, Contact, "C", item_id(text, "C", "a contact"))
    elif text.startswith("A"):
        found = await numbered_item(ctx, Application, "A", item_id(text, "A", "an application"))
    else:
        raise UsageError(
            f"`{raw[:20]}` is not a follow-up id; use A12 for an application or C7 for a contact."
        )
    if found is None:
        raise NotFound(
            f"You have nothing to follow up with id {text[:20]}.",
            hint="See what is due with `/followups`.",
        )
    return found


def _describe(item: Application | Contact) -> tuple[str, str]:
    if isinstance(item, Application):
        return label("A", item.number), f"{item.role} at {item.company} ({item.stage})"
    at = f" at {item.company}" if item.company else ""
    return label("C", item.number), f"{item.name}{at}"


@commands.command(
    "followups",
    "What to follow up on today, and what is overdue",
    examples=[Example("/followups", "follow")],
)
async def due(ctx: Context, args: Args) -> Reply:
    apps, contacts = await ctx.repo.due_followups(ctx.member.id, ctx.today)
    items: list[Application | Contact] = sorted(
        [*apps, *contacts], key=lambda i: (i.follow_up, isinstance(i, Contact), i.id)
    )
    if not items:
        return Reply.of("🎯 Nothing to follow up on today. Nice and tidy!")
    rows = tuple(
        (_describe(i)[0], _describe(i)[1], i.next_step, due_phrase(i.follow_up, ctx.today))
        for i in items
    )
    first = _describe(items[0])[0]
    return Reply.of(
        Table(f"Follow-ups due ({len(items)})", ("id", "what", "next step", "when"), rows),
        Buttons(
            (
                Button(f"Done {first}", f"followup done {first}", "primary"),
                Button(f"Snooze {first}", f"followup snooze {first}"),
            )
        ),
    )


@commands.command(
    "followup done",
    "Mark a follow-up as done",
    params=[ITEM, Param("next", Kind.DATE, "schedule the next follow-up", example="in 7 days")],
    examples=[Example("/followup done A1", "Done")],
)
async def done(ctx: Context, args: Args) -> Reply:
    item = await _item(ctx, args.id)
    ref, what = _describe(item)
    if args.next is not None and args.next <= ctx.today:
        raise UsageError('The next follow-up has to be after today, e.g. next="in 7 days".')
    if item.follow_up is None and args.next is None:
        return Reply.of(f"{ref} has no follow-up scheduled.")
    item.follow_up = args.next
    item.updated_at = ctx.now
    later = f" Next one on {day(args.next)}." if args.next else ""
    return Reply.of(f"✅ Done: followed up on {ref} {what}.{later}")


@commands.command(
    "followup snooze",
    "Push a follow-up to a later day (default: 3 days)",
    params=[
        ITEM,
        Param("until", Kind.DATE, "the new follow-up day", positional=True, example="mon"),
    ],
    examples=[Example("/followup snooze A1 mon", "Snoozed A1")],
)
async def snooze(ctx: Context, args: Args) -> Reply:
    item = await _item(ctx, args.id)
    until = args.until or ctx.today + timedelta(days=3)
    if until <= ctx.today:
        raise UsageError('Snooze to a day after today, e.g. mon or "in 3 days".')
    item.follow_up = until
    item.updated_at = ctx.now
    ref, _ = _describe(item)
    return Reply.of(f"😴 Snoozed {ref} until {day(until)}.")
