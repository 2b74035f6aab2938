"""/kudos: thank or cheer a cohort mate; hired members stay around to help the others."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.params import Kind, MemberRef, Param
from bot.registry import CommandSet, Example
from bot.replies import Reply, Visibility
from storage.models import Kudos

commands = CommandSet()


@commands.command(
    "kudos",
    "Thank or cheer a cohort mate (posted to the channel)",
    params=[
        Param("member", Kind.MEMBER, "who to thank", required=True, positional=True),
        Param(
            "message",
            Kind.TEXT,
            "what for",
            required=True,
            positional=True,
            rest=True,
            max_length=300,
            example='"thanks for the mock interview!"',
        ),
    ],
    examples=[Example("/kudos @bob thanks for the mock interview!", "kudos to bob")],
)
async def kudos(ctx: Context, *, member: MemberRef, message: str) -> Reply:
    cohort = ctx.require_cohort()
    other = await ctx.find_member(member)
    if other.id == ctx.member.id:
        raise UserError("Kudos are for cohort mates — but well done you! 🙌", param="member")
    message = message.strip()
    await ctx.repo.add(
        Kudos(
            cohort_id=cohort.id,
            from_member_id=ctx.member.id,
            to_member_id=other.id,
            message=message,
            day=ctx.today,
            created_at=ctx.now,
        )
    )
    return Reply.of(
        f"💛 {ctx.member.display_name} sends kudos to {other.display_name}: {message}",
        visibility=Visibility.CHANNEL,
    )
