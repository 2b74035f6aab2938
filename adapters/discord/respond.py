"""Answering an interaction in time and in order, whatever state it has reached.

Discord wants a first answer within three seconds and allows exactly one; a deferred answer is
completed by editing the "thinking" message, and anything more goes out as follow-ups.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

import discord

from adapters.discord.layout import Message
from adapters.discord.render import message_kwargs
from bot.replies import Form, Reply

log = logging.getLogger("offerbound.discord")

POSTED = "📣 Posted to the channel."


async def in_time(
    interaction: discord.Interaction, work: Awaitable[Reply], deadline: float
) -> Reply:
    """The core's reply; if it is not ready by ``deadline`` the interaction is deferred first."""
    task = asyncio.ensure_future(work)
    remaining = deadline - asyncio.get_running_loop().time()
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
