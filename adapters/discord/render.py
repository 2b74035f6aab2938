"""Turning laid-out messages and forms into discord.py objects (embeds, files, views, modals).

Views and modals are stopped before they are sent: discord.py then keeps no state for them, and
presses and submissions are routed by custom id in the adapter, so they survive a restart.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import discord

from adapters.discord.capabilities import (
    MAX_BUTTON_LABEL,
    MAX_BUTTONS,
    MAX_INPUT,
    MAX_LABEL,
    MAX_LABEL_DESCRIPTION,
    MAX_MODAL_ITEMS,
    MAX_MODAL_TITLE,
    MAX_PLACEHOLDER,
    MAX_ROW_BUTTONS,
)
from adapters.discord.layout import Message, attachment_name
from adapters.discord.markdown import escape
from bot.replies import Form, Question

_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
    "default": discord.ButtonStyle.secondary,
}
NO_MENTIONS = discord.AllowedMentions.none()


def message_kwargs(message: Message, *, with_view: bool = True) -> dict[str, Any]:
    """Keyword arguments for ``send``/``send_message``; never lets the text ping anyone."""
    kwargs: dict[str, Any] = {
        "content": message.content(),
        "embeds": [discord.Embed.from_dict(e) for e in message.embeds()],
        "allowed_mentions": allowed_mentions(message),
    }
    if message.files:
        kwargs["files"] = [
            discord.File(io.BytesIO(f.content), filename=attachment_name(f)) for f in message.files
        ]
    if with_view and message.buttons:
        kwargs["view"] = button_view(message)
    return kwargs


def allowed_mentions(message: Message) -> discord.AllowedMentions:
    """Nobody, or exactly the users the core mentioned on purpose; never everyone or a role."""
    if not message.mentions:
        return NO_MENTIONS
    users = [discord.Object(int(m)) for m in message.mentions]
    return discord.AllowedMentions(everyone=False, roles=False, users=users, replied_user=False)


def button_view(message: Message) -> discord.ui.View:
    """At most five rows of five buttons; a button whose custom id is already on the message is
    left out (Discord refuses two components sharing one)."""
    view = discord.ui.View(timeout=None)
    seen: set[str] = set()
    for button, custom_id in message.buttons:
        if custom_id in seen or len(seen) >= MAX_BUTTONS:
            continue
        view.add_item(
            discord.ui.Button(
                label=_clip(button.label, MAX_BUTTON_LABEL) or "…",
                custom_id=custom_id,
                style=_STYLES.get(button.style, discord.ButtonStyle.secondary),
                row=len(seen) // MAX_ROW_BUTTONS,
            )
        )
        seen.add(custom_id)
    view.stop()
    return view


def form_parts(questions: Sequence[Question]) -> list[tuple[Question, ...]]:
    """Questions in groups a modal can hold (five inputs each)."""
    return [
        tuple(questions[i : i + MAX_MODAL_ITEMS])
        for i in range(0, max(1, len(questions)), MAX_MODAL_ITEMS)
    ]


def build_modal(
    form: Form,
    questions: Sequence[Question],
    custom_id: str,
    *,
    part: tuple[int, int] = (1, 1),
    answers: Mapping[str, str] | None = None,
) -> discord.ui.Modal:
    """A modal for ``questions`` of ``form``, pre-filled from ``answers`` or the form's initials."""
    index, total = part
    suffix = f" ({index}/{total})" if total > 1 else ""
    title = _clip(form.title, MAX_MODAL_TITLE - len(suffix)) + suffix
    modal = discord.ui.Modal(title=title, custom_id=custom_id, timeout=None)
    intro = form.intro if index == 1 else ""
    if intro and len(questions) < MAX_MODAL_ITEMS:
        modal.add_item(discord.ui.TextDisplay(escape(intro)))
        intro = ""
    for question in questions:
        value = (answers or {}).get(question.key) or question.initial
        description = None
        if len(question.label) > MAX_LABEL:
            description = _clip(question.label, MAX_LABEL_DESCRIPTION)
        elif intro:
            description, intro = _clip(intro, MAX_LABEL_DESCRIPTION), ""
        modal.add_item(
            discord.ui.Label(
                text=_clip(question.label, MAX_LABEL),
                description=description,
                component=text_input(question, value),
            )
        )
    modal.stop()
    return modal


def text_input(question: Question, value: str) -> discord.ui.TextInput[discord.ui.Modal]:
    max_length = max(1, min(question.max_length, MAX_INPUT))
    placeholder = question.placeholder
    if not placeholder and question.kind == "integer" and question.maximum is not None:
        placeholder = f"a number from {question.minimum or 0} to {question.maximum}"
    if not placeholder and question.choices:
        placeholder = "one of: " + ", ".join(question.choices)
    if question.kind == "integer":
        max_length = min(max_length, 9)
    return discord.ui.TextInput(
        custom_id=question.key,
        style=discord.TextStyle.paragraph if question.kind == "long" else discord.TextStyle.short,
        required=question.required,
        max_length=max_length,
        placeholder=_clip(placeholder, MAX_PLACEHOLDER) or None,
        default=value[:max_length] or None,
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
