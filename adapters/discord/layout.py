"""Laying a core reply out as Discord messages: embeds, attachments and buttons within every limit.

Pure data (embed dicts in Discord's own JSON shape), so the limits are tested without a client;
``render`` turns the result into discord.py objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, assert_never

from adapters.discord.capabilities import (
    MAX_BUTTONS,
    MAX_DESCRIPTION,
    MAX_EMBED_TOTAL,
    MAX_EMBEDS,
    MAX_FIELD_NAME,
    MAX_FIELD_VALUE,
    MAX_FIELDS,
    MAX_TITLE,
)
from adapters.discord.markdown import escape, markdown, notified
from adapters.split import split_text
from bot.replies import (
    Button,
    Buttons,
    Fields,
    File,
    Form,
    Reply,
    Table,
    Text,
    Visibility,
    rich_text,
)

BRAND_COLOUR = 0x5865F2
ERROR_COLOUR = 0xED4245
MAX_FILES = 10
MAX_CELL = 32
INLINE_UP_TO = 30
BLANK = "\u200b"  # Discord refuses empty field names and values
OPEN_FORM_LABEL = "Open the form"


@dataclass
class Card:
    """One embed: a title, a description and/or fields, maybe an attached image."""

    title: str = ""
    description: str = ""
    fields: list[tuple[str, str, bool]] = field(default_factory=list)
    image: str = ""

    def size(self) -> int:
        return (
            len(self.title)
            + len(self.description)
            + sum(len(n) + len(v) for n, v, _ in self.fields)
        )

    def to_dict(self, colour: int) -> dict[str, Any]:
        embed: dict[str, Any] = {"type": "rich", "color": colour}
        if self.title:
            embed["title"] = self.title
        if self.description:
            embed["description"] = self.description
        if self.fields:
            embed["fields"] = [{"name": n, "value": v, "inline": i} for n, v, i in self.fields]
        if self.image:
            embed["image"] = {"url": f"attachment://{self.image}"}
        return embed


@dataclass
class Message:
    """One Discord message of a reply."""

    cards: list[Card] = field(default_factory=list)
    files: list[File] = field(default_factory=list)
    buttons: list[tuple[Button, str]] = field(default_factory=list)  # (button, custom id)
    ephemeral: bool = True
    colour: int = BRAND_COLOUR
    mentions: list[str] = field(default_factory=list)  # user ids the core chose to notify

    def embeds(self) -> list[dict[str, Any]]:
        return [card.to_dict(self.colour) for card in self.cards]

    def text(self) -> str:
        """Everything a person reads in this message (for tests and logs)."""
        parts: list[str] = []
        for card in self.cards:
            parts += [card.title, card.description]
            parts += [f"{n} {v}" for n, v, _ in card.fields]
        parts += [b.label for b, _ in self.buttons]
        return "\n".join(p for p in parts if p)

    def content(self) -> str | None:
        """Message text outside the embeds: only the mentions meant to notify (embeds never do)."""
        return " ".join(f"<@{m}>" for m in self.mentions) or None


CustomIdFor = Callable[[Button], str]


def layout(reply: Reply, custom_id_for: CustomIdFor, *, notify: bool = False) -> list[Message]:
    """The reply as messages within Discord's limits; forms become an "Open the form" button.

    With ``notify`` (scheduled posts only, never answers to a command) the users the core
    mentioned on purpose are notified; otherwise nobody is.
    """
    cards: list[tuple[Card, File | None]] = []
    buttons: list[Button] = []
    texts: list[str] = []

    def flush() -> None:
        if texts:
            text = "\n\n".join(texts)
            cards.extend((Card(description=c), None) for c in split_text(text, MAX_DESCRIPTION))
            texts.clear()

    for block in reply.all_blocks:
        if isinstance(block, Text):
            texts.append(markdown(block))
            continue
        flush()
        match block:
            case Fields():
                cards.extend((c, None) for c in field_cards(block))
            case Table():
                cards.extend((c, None) for c in table_cards(block))
            case File():
                cards.append((file_card(block), block))
            case Buttons():
                buttons.extend(block.buttons)
            case Form():
                cards.append((form_card(block), None))
                buttons.append(Button(OPEN_FORM_LABEL, block.submit_command, "primary"))
            case _:
                assert_never(block)
    flush()
    if not cards:
        cards.append((Card(description="✅ Done."), None))
    messages = _pack(cards)
    colour = BRAND_COLOUR if reply.ok else ERROR_COLOUR
    for message in messages:
        message.ephemeral = reply.visibility is Visibility.PRIVATE
        message.colour = colour
    messages[-1].buttons = [(b, custom_id_for(b)) for b in buttons[:MAX_BUTTONS]]
    if notify:
        messages[0].mentions = live_mentions(reply)
    return messages


def live_mentions(reply: Reply) -> list[str]:
    """User ids the core mentions on purpose (a summary naming who has not checked in): only
    ``Mention`` spans marked ``notify``; user text is plain and can never qualify."""
    found: dict[str, None] = {}
    for block in reply.all_blocks:
        if isinstance(block, Text):
            found.update(dict.fromkeys(notified(block)))
        elif isinstance(block, Fields):
            for _, value in block.fields:
                found.update(dict.fromkeys(notified(value)))
    return list(found)


def _pack(cards: list[tuple[Card, File | None]]) -> list[Message]:
    messages = [Message()]
    size = 0
    for card, file in cards:
        current = messages[-1]
        full = (
            len(current.cards) >= MAX_EMBEDS
            or size + card.size() > MAX_EMBED_TOTAL
            or (file is not None and len(current.files) >= MAX_FILES)
        )
        if full and current.cards:
            messages.append(Message())
            current, size = messages[-1], 0
        current.cards.append(card)
        size += card.size()
        if file is not None:
            current.files.append(file)
    return messages


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_cards(block: Fields) -> list[Card]:
    """Labelled values as embed fields; short ones side by side, long ones continued."""
    fields: list[tuple[str, str, bool]] = []
    for name, value in block.fields:
        shown = rich_text(value)
        text = markdown(value)
        chunks = split_text(text, MAX_FIELD_VALUE) if shown.strip() else ["—"]
        inline = len(shown) <= INLINE_UP_TO and "\n" not in shown
        label = _clip(escape(name), MAX_FIELD_NAME)
        for i, chunk in enumerate(chunks):
            fields.append((label if i == 0 else BLANK, chunk, inline))
    title = _clip(block.title, MAX_TITLE)
    cards = [
        Card(title=title if i == 0 else _clip(f"{block.title} (cont.)", MAX_TITLE))
        for i in range(max(1, -(-len(fields) // MAX_FIELDS)))
    ]
    for i, f in enumerate(fields):
        cards[i // MAX_FIELDS].fields.append(f)
    return cards


def table_text(table: Table) -> str:
    """Rows under headings, aligned in a code block (cells clipped so rows stay one line)."""
    rows = [tuple(_cell(c) for c in row) for row in table.rows]
    widths = [len(c) for c in table.columns]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    lines = [line(tuple(table.columns)), line(tuple("-" * w for w in widths))]
    lines += [line(row) for row in rows]
    return "```\n" + "\n".join(lines) + "\n```"


def _cell(text: str) -> str:
    return _clip(" ".join(text.replace("`", "'").split()), MAX_CELL)


def table_cards(block: Table) -> list[Card]:
    title = _clip(block.title, MAX_TITLE)
    if not block.rows:
        return [Card(title=title, description=escape(block.empty))]
    chunks = split_text(table_text(block), MAX_DESCRIPTION)
    return [
        Card(title=title if i == 0 else _clip(f"{block.title} (cont.)", MAX_TITLE), description=c)
        for i, c in enumerate(chunks)
    ]


def attachment_name(file: File) -> str:
    """A file name Discord accepts in ``attachment://`` references."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", file.filename) or "file"


def file_card(block: File) -> Card:
    if block.mime_type.startswith("image/"):
        return Card(title=_clip(block.title, MAX_TITLE), image=attachment_name(block))
    return Card(description=f"📎 {escape(block.title or block.filename)}")


def form_card(form: Form) -> Card:
    lines = [escape(form.intro)] if form.intro else []
    for i, q in enumerate(form.questions, 1):
        lines.append(f"{i}. {escape(q.label)}{'' if q.required else ' (optional)'}")
    lines.append(f"Press **{OPEN_FORM_LABEL}** to answer.")
    return Card(title=_clip(form.title, MAX_TITLE), description="\n".join(lines))
