"""Laying a core reply out as Discord messages: embeds, attachments and buttons within every limit.

Pure data (embed dicts in Discord's own JSON shape), so the limits are tested without a client;
``render`` turns the result into discord.py objects. Every number comes from ``capabilities``.

Guarantees, whatever the reply holds: no embed over its title, description, field and 6,000
character limits (a long value continues in more fields, many fields in more embeds, many embeds
in more messages); at most 10 embeds and 25 buttons a message, no two sharing a custom id; and
the users the core asks to notify split so that each message's content stays within 2,000
characters and 100 users, each message allowing exactly the users it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, assert_never

from adapters.discord.capabilities import (
    MAX_BUTTONS,
    MAX_CONTENT,
    MAX_DESCRIPTION,
    MAX_EMBED_TOTAL,
    MAX_EMBEDS,
    MAX_FIELD_NAME,
    MAX_FIELD_VALUE,
    MAX_FIELDS,
    MAX_FILES,
    MAX_MENTIONED_USERS,
    MAX_THREAD_NAME,
    MAX_TITLE,
)
from adapters.discord.ids import copy_of
from adapters.discord.markdown import escape, markdown, notified
from adapters.split import split_text
from bot.replies import (
    Block,
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
MAX_CELL = 32
INLINE_UP_TO = 30
BLANK = "\u200b"  # Discord refuses empty field names and values
OPEN_FORM_LABEL = "Open the form"
THREAD_FALLBACK_NAME = "Details"


@dataclass
class Card:
    """One embed: a title, a description and/or fields, maybe an attached image."""

    title: str = ""
    description: str = ""
    fields: list[tuple[str, str, bool]] = field(default_factory=list)
    image: str = ""

    def size(self) -> int:
        """The characters Discord counts against a message's 6,000."""
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
        return mention_content(self.mentions) or None


@dataclass
class Post:
    """A channel post the bot makes on its own: its messages (the first one carries the outbox
    key), and what goes in a thread started from the first one, under ``thread_name``."""

    messages: list[Message]
    thread: list[Message] = field(default_factory=list)
    thread_name: str = ""


CustomIdFor = Callable[[Button], str]


def layout(reply: Reply, custom_id_for: CustomIdFor, *, notify: bool = False) -> list[Message]:
    """The reply, its thread inline after it, as messages within Discord's limits; forms become
    an "Open the form" button.

    With ``notify`` (scheduled posts only, never answers to a command) the users the core
    mentioned on purpose are notified; otherwise nobody is.
    """
    messages = _messages(reply.all_blocks, reply, custom_id_for)
    if notify:
        _notify(messages, live_mentions(reply.all_blocks))
    return messages


def layout_post(reply: Reply, custom_id_for: CustomIdFor) -> Post:
    """A scheduled channel post: the reply's blocks as the post (notifying whom the core names,
    its thread's included), the thread's blocks as messages for a thread under it."""
    if not reply.thread:
        return Post(layout(reply, custom_id_for, notify=True))
    messages = _messages(reply.blocks, reply, custom_id_for)
    _notify(messages, live_mentions(reply.all_blocks))
    thread = _messages(reply.thread, reply, custom_id_for)
    return Post(messages, thread, thread_name(reply))


def thread_name(reply: Reply) -> str:
    """A thread's name: the post's first words, on one line, within Discord's 100 characters."""
    for block in reply.blocks:
        match block:
            case Text():
                words = block.plain()
            case Fields(title=title) | Table(title=title) | Form(title=title):
                words = title
            case File(title=title, filename=filename):
                words = title or filename
            case Buttons():
                words = ""
            case _:
                assert_never(block)
        name = " ".join(words.split())
        if name:
            return _clip(name, MAX_THREAD_NAME)
    return THREAD_FALLBACK_NAME


def _messages(blocks: Sequence[Block], reply: Reply, custom_id_for: CustomIdFor) -> list[Message]:
    cards: list[tuple[Card, File | None]] = []
    buttons: list[Button] = []
    texts: list[str] = []

    def flush() -> None:
        if texts:
            text = "\n\n".join(texts)
            cards.extend((Card(description=c), None) for c in _chunks(text, MAX_DESCRIPTION))
            texts.clear()

    for block in blocks:
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
                cards.extend((c, None) for c in form_cards(block))
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
    messages[-1].buttons = _buttons(buttons, custom_id_for)
    return messages


def _buttons(buttons: list[Button], custom_id_for: CustomIdFor) -> list[tuple[Button, str]]:
    """Up to 25 buttons with distinct custom ids (Discord refuses two components sharing one):
    a second button for the same command gets a copy of the id, or is left out."""
    out: dict[str, Button] = {}
    for button in buttons[:MAX_BUTTONS]:
        custom_id: str | None = custom_id_for(button)
        n = 1
        while custom_id is not None and custom_id in out:
            n += 1
            custom_id = copy_of(custom_id_for(button), n)
        if custom_id is not None:
            out[custom_id] = button
    return [(b, custom_id) for custom_id, b in out.items()]


def live_mentions(blocks: Sequence[Block]) -> list[str]:
    """User ids the core mentions on purpose (a summary naming who has not checked in): only
    ``Mention`` spans marked ``notify``; user text is plain and can never qualify."""
    found: dict[str, None] = {}
    for block in blocks:
        if isinstance(block, Text):
            found.update(dict.fromkeys(notified(block)))
        elif isinstance(block, Fields):
            for _, value in block.fields:
                found.update(dict.fromkeys(notified(value)))
    return list(found)


def mention_content(user_ids: Sequence[str]) -> str:
    return " ".join(f"<@{u}>" for u in user_ids)


def mention_groups(user_ids: Sequence[str]) -> list[list[str]]:
    """Users to notify in groups one message can carry: at most 100 in ``allowed_mentions`` and
    their mentions within the 2,000 characters of content."""
    groups: list[list[str]] = []
    size = 0
    for user_id in user_ids:
        piece = len(f"<@{user_id}>")
        if not groups or len(groups[-1]) >= MAX_MENTIONED_USERS or size + 1 + piece > MAX_CONTENT:
            groups.append([])
            size = -1  # no space before the first mention
        groups[-1].append(user_id)
        size += 1 + piece
    return groups


def _notify(messages: list[Message], user_ids: Sequence[str]) -> None:
    """Spread the users to notify over the messages in order, adding mention-only messages
    after them when there are more groups than messages."""
    for i, group in enumerate(mention_groups(user_ids)):
        if i < len(messages):
            messages[i].mentions = group
        else:
            template = messages[0]
            messages.append(
                Message(ephemeral=template.ephemeral, colour=template.colour, mentions=group)
            )


def _pack(cards: list[tuple[Card, File | None]]) -> list[Message]:
    """Cards into messages: at most 10 embeds, 6,000 characters and 10 files each."""
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


def _chunks(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, none of them blank (Discord trims
    whitespace, and a blank field is refused)."""
    return [chunk for chunk in split_text(text, limit) if chunk.strip()]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_cards(block: Fields) -> list[Card]:
    """Labelled values as embed fields; short ones side by side, long ones continued.

    A card holds at most 25 fields and, with its title, at most 6,000 characters, so however
    long the labels and values it fits a message on its own.
    """
    fields: list[tuple[str, str, bool]] = []
    for name, value in block.fields:
        shown = rich_text(value)
        chunks = _chunks(markdown(value), MAX_FIELD_VALUE) or ["—"]
        inline = len(shown) <= INLINE_UP_TO and "\n" not in shown
        label = _clip(escape(name), MAX_FIELD_NAME) if name.strip() else BLANK
        for i, chunk in enumerate(chunks):
            fields.append((label if i == 0 else BLANK, chunk, inline))
    cards = [Card(title=_clip(block.title, MAX_TITLE))]
    size = cards[0].size()
    for item in fields:
        grows = len(item[0]) + len(item[1])
        if len(cards[-1].fields) >= MAX_FIELDS or size + grows > MAX_EMBED_TOTAL:
            cards.append(Card(title=_continued(block.title)))
            size = cards[-1].size()
        cards[-1].fields.append(item)
        size += grows
    return cards


def _continued(title: str) -> str:
    return _clip(f"{title} (cont.)", MAX_TITLE) if title.strip() else ""


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
        return [Card(title=title, description=_clip(escape(block.empty), MAX_DESCRIPTION))]
    chunks = _chunks(table_text(block), MAX_DESCRIPTION)
    return [
        Card(title=title if i == 0 else _continued(block.title), description=c)
        for i, c in enumerate(chunks)
    ]


def attachment_name(file: File) -> str:
    """A file name Discord accepts in ``attachment://`` references."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", file.filename) or "file"


def file_card(block: File) -> Card:
    if block.mime_type.startswith("image/"):
        return Card(title=_clip(block.title, MAX_TITLE), image=attachment_name(block))
    return Card(description=_clip(f"📎 {escape(block.title or block.filename)}", MAX_DESCRIPTION))


def form_cards(form: Form) -> list[Card]:
    """A form shown in a message: its intro and questions (continued when very long)."""
    lines = [escape(form.intro)] if form.intro else []
    for i, q in enumerate(form.questions, 1):
        lines.append(f"{i}. {escape(q.label)}{'' if q.required else ' (optional)'}")
    lines.append(f"Press **{OPEN_FORM_LABEL}** to answer.")
    chunks = _chunks("\n".join(lines), MAX_DESCRIPTION)
    return [
        Card(
            title=_clip(form.title, MAX_TITLE) if i == 0 else _continued(form.title), description=c
        )
        for i, c in enumerate(chunks)
    ]
