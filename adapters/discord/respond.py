"""Answering an interaction in time and in order, whatever state it has reached.

Discord wants a first answer within three seconds of the interaction's creation and allows
exactly one; a deferred answer is completed by editing the "thinking" message, and anything more
goes out as follow-ups. The three seconds run on Discord's clock: the interaction's id is a
snowflake holding the moment Discord created it, so an interaction picked up late (a busy loop, a
gateway hiccup, a replay) gets less time, or is deferred at once.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any

import discord

from adapters.discord.layout import Message
from adapters.discord.render import message_kwargs
from bot.replies import Form, Reply

log = logging.getLogger("offerbound.discord")

POSTED = "📣 Posted to the channel."


def deadline_for(interaction_id: int, defer_after: float, *, now: datetime | None = None) -> float:
    """When (on the event loop's clock) to defer: ``defer_after`` seconds after Discord created
    the interaction, as its snowflake says; in the past for one picked up too late. A clock
    behind Discord's never grants more than ``defer_after`` from now."""
    created = discord.utils.snowflake_time(interaction_id)
    age = ((now or datetime.now(UTC)) - created).total_seconds()
    return asyncio.get_running_loop().time() + defer_after - max(0.0, age)


async def in_time(
    interaction: discord.Interaction, work: Awaitable[Reply], deadline: float
) -> Reply:
    """The core's reply; if it is not ready by ``deadline`` the interaction is deferred first.

    When the deadline has already passed the interaction is deferred at once, before any work:
    if Discord no longer takes it (past its three seconds) the command does not run at all, so
    the member who sees "This interaction failed" and tries again does not do it twice.
    """
    remaining = deadline - asyncio.get_running_loop().time()
    if remaining <= 0 and not interaction.response.is_done():
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except BaseException:
            if inspect.iscoroutine(work):
                work.close()
            raise
        return await work
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=max(0.0, remaining))
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    return await task


async def send_messages(interaction: discord.Interaction, messages: list[Message]) -> None:
    """The first message answers (or completes a deferred answer); the rest follow up.

    A deferral is private, so a public reply after one posts as a follow-up and the private
    "thinking" message says where it went.
    """
    rest = messages
    if not interaction.response.is_done():
        first, *rest = messages
        await interaction.response.send_message(**message_kwargs(first), ephemeral=first.ephemeral)
    elif messages[0].ephemeral:
        first, *rest = messages
        await interaction.edit_original_response(**edit_kwargs(first))
    else:
        await interaction.edit_original_response(content=POSTED)
    for message in rest:
        await interaction.followup.send(**message_kwargs(message), ephemeral=message.ephemeral)


async def notify(interaction: discord.Interaction, notice: Message) -> None:
    """Tell the user something privately, however far the interaction has got."""
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            if not interaction.response.is_done():
                await interaction.response.autocomplete([])
        elif interaction.response.is_done():
            await interaction.followup.send(**message_kwargs(notice), ephemeral=True)
        else:
            await interaction.response.send_message(**message_kwargs(notice), ephemeral=True)
    except discord.HTTPException:
        log.warning("could not answer interaction %s", interaction.id)


def edit_kwargs(message: Message) -> dict[str, Any]:
    """``message_kwargs`` for an edit, where files are called attachments."""
    kwargs = message_kwargs(message)
    if "files" in kwargs:
        kwargs["attachments"] = kwargs.pop("files")
    return kwargs


def sole_form(reply: Reply) -> Form | None:
    """The form when it is all the reply holds (a modal cannot carry anything else)."""
    if len(reply.blocks) == 1 and isinstance(reply.blocks[0], Form):
        return reply.blocks[0]
    return None
