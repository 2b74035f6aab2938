"""/calendar file, subscribe and revoke: the planned week in the member's own calendar app."""

from __future__ import annotations

from bot.calendar.feed import (
    PUBLIC_URL_ENV,
    feed_url,
    issue_token,
    member_calendar,
    public_url,
    revoke_tokens,
)
from bot.calendar.template import planned_week
from bot.context import Context
from bot.registry import CommandSet, Example
from bot.replies import File, Link, Reply, Text, t

commands = CommandSet()

IMPORT_HELP = (
    "Google Calendar: Settings → Import & export → Import, pick the file. "
    "Outlook: Add calendar → Upload from file. Apple Calendar: File → Import. "
    "Importing again updates the same events instead of adding copies."
)


@commands.command(
    "calendar file",
    "Your planned week, standup, retro and follow-ups as a calendar file (.ics) to import",
    examples=[Example("/calendar file", "calendar")],
    details=IMPORT_HELP,
    expensive=True,
)
async def calendar_file(ctx: Context) -> Reply:
    content = await member_calendar(ctx.repo, ctx.member, ctx.cohort, ctx.now)
    _, default = await planned_week(ctx.repo, ctx.member.id)
    plan = "the default 40-hour week" if default else "your planned week"
    return Reply.of(
        File("offerbound-calendar.ics", content, "text/calendar", "Your job-search calendar"),
        Text(
            f"📅 {plan.capitalize()} as weekly events in {ctx.member.timezone}"
            + (", with the standup and retro" if ctx.cohort else "")
            + f", plus your follow-ups.\n{IMPORT_HELP}"
        ),
    )


@commands.command(
    "calendar subscribe",
    "A private link your calendar app follows, so the plan stays up to date",
    examples=[Example("/calendar subscribe", "calendar")],
    details=(
        "Anyone with the link sees your plan and follow-ups: keep it private. A new link replaces "
        "the old one; /calendar revoke turns it off."
    ),
)
async def calendar_subscribe(ctx: Context) -> Reply:
    base = public_url(ctx.settings)
    if base is None:
        return Reply.of(
            t(
                "Calendar links need the bot's public web address, which is not set up here "
                "({env}). Use `/calendar file` and import the file instead.",
                env=PUBLIC_URL_ENV,
            )
        )
    token = await issue_token(ctx.repo, ctx.member.id, ctx.now)
    url = feed_url(base, token)
    webcal = "webcal://" + url.split("://", 1)[1]
    return Reply.of(
        t(
            "🔗 Your private calendar link (any earlier link stops working):\n"
            "{url}\n"
            "Google Calendar: Other calendars → + → From URL, paste it. "
            "Outlook: Add calendar → Subscribe from web. "
            "Apple Calendar: open {webcal}\n"
            "Keep it private; `/calendar revoke` turns it off.",
            url=Link(url),
            webcal=Link(webcal),
        )
    )


@commands.command(
    "calendar revoke",
    "Turn off your private calendar link",
    examples=[Example("/calendar revoke", "calendar link")],
)
async def calendar_revoke(ctx: Context) -> Reply:
    revoked = await revoke_tokens(ctx.repo, ctx.member.id, ctx.now)
    if not revoked:
        return Reply.of(t("You have no active calendar link. (`/calendar subscribe` makes one.)"))
    return Reply.of("🔒 Your calendar link is turned off; calendar apps can no longer read it.")
