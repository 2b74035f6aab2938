"""/followups and /followup: what to chase today across applications and contacts."""

from __future__ import annotations

from datetime import date, timedelta

from bot.commands.common import day
from bot.context import Context
from bot.entities import APPLICATION, CONTACT, ref
from bot.errors import UsageError
from bot.params import Kind, Param
from bot.registry import CommandSet, Example
from bot.replies import Button, Buttons, Reply
from bot.services.followups import due_followups, followups_table
from storage.models import Application, Contact

commands = CommandSet()

ITEM = ref(
    APPLICATION,
    CONTACT,
    help="an application (A12) or contact (C7) id",
    what="a follow-up",
    missing="You have nothing to follow up with id {id}.",
    hint="See what is due with `/followups`.",
)


def _describe(item: Application | Contact) -> tuple[str, str]:
    if isinstance(item, Application):
        return APPLICATION.label(item), APPLICATION.describe(item)
    return CONTACT.label(item), CONTACT.describe(item)


@commands.command(
    "followups",
    "What to follow up on today, and what is overdue",
    examples=[Example("/followups", "follow")],
)
async def due(ctx: Context) -> Reply:
    items = await due_followups(ctx.repo, ctx.member.id, ctx.today)
    if not items:
        return Reply.of("🎯 Nothing to follow up on today. Nice and tidy!")
    first = items[0].ref
    return Reply.of(
        followups_table(f"Follow-ups due ({len(items)})", items, ctx.today),
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
async def done(ctx: Context, *, id: Application | Contact, next: date | None) -> Reply:
    label, what = _describe(id)
    if next is not None and next <= ctx.today:
        raise UsageError(
            'The next follow-up has to be after today, e.g. next="in 7 days".', param="next"
        )
    if id.follow_up is None and next is None:
        return Reply.of(f"{label} has no follow-up scheduled.")
    id.follow_up = next
    id.updated_at = ctx.now
    later = f" Next one on {day(next)}." if next else ""
    return Reply.of(f"✅ Done: followed up on {label} {what}.{later}")


@commands.command(
    "followup snooze",
    "Push a follow-up to a later day (default: 3 days)",
    params=[
        ITEM,
        Param("until", Kind.DATE, "the new follow-up day", positional=True, example="mon"),
    ],
    examples=[Example("/followup snooze A1 mon", "Snoozed A1")],
)
async def snooze(ctx: Context, *, id: Application | Contact, until: date | None) -> Reply:
    day_after = until or ctx.today + timedelta(days=3)
    if day_after <= ctx.today:
        raise UsageError('Snooze to a day after today, e.g. mon or "in 3 days".', param="until")
    id.follow_up = day_after
    id.updated_at = ctx.now
    label, _ = _describe(id)
    return Reply.of(f"😴 Snoozed {label} until {day(day_after)}.")
