"""Typed, frozen reply objects: what the core answers, before any platform renders it.

A reply is blocks (text, fields, a table, a file, buttons, a form); text is a sequence of typed
spans (plain, strong, code, link, mention, channel, date). Each adapter writes every block and
span in its own markup, escaping plain text for its platform, so the core never writes markup
and never needs to know which platform asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import assert_never


class Visibility(StrEnum):
    """Who sees a reply: only the person who asked, or the whole channel."""

    PRIVATE = "private"
    CHANNEL = "channel"


# -- inline spans: text as typed pieces, written in each platform's own markup ------------------


@dataclass(frozen=True)
class Plain:
    """Text shown exactly as it is: user text always travels as this, escaped per platform."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Emphasised text (bold)."""

    text: str


@dataclass(frozen=True)
class Code:
    """A command, an id or a value to copy, shown in a monospace font."""

    text: str


@dataclass(frozen=True)
class Link:
    """A web address, optionally under a label the core chose (never a label a user typed)."""

    url: str
    label: str = ""


@dataclass(frozen=True)
class Mention:
    """A person, by their platform id. ``notify`` pings them where the platform can (only on
    purpose: a summary naming who has not checked in); otherwise they are shown by name."""

    user_id: str
    name: str
    notify: bool = False


@dataclass(frozen=True)
class ChannelRef:
    """A channel of the workspace or server, by its id (the name is shown where known)."""

    channel_id: str
    name: str = ""


@dataclass(frozen=True)
class DateRef:
    """A calendar day, shown as ``Fri Nov 27``."""

    day: date


Span = Plain | Strong | Code | Link | Mention | ChannelRef | DateRef
Inline = str | Span  # a bare string is plain text


def _spans(parts: Iterable[Inline | Text]) -> tuple[Span, ...]:
    out: list[Span] = []
    for part in parts:
        if isinstance(part, Text):
            out.extend(part.spans)
        elif isinstance(part, str):
            if part:
                out.append(Plain(part))
        else:
            out.append(part)
    return tuple(out)


class Text:
    """A paragraph: a sequence of spans. Strings are plain text, never parsed for markup;
    markup the core means comes from ``t`` templates or from span objects."""

    __slots__ = ("spans",)
    spans: tuple[Span, ...]

    def __init__(self, *parts: Inline | Text) -> None:
        object.__setattr__(self, "spans", _spans(parts))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Text is immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and other.spans == self.spans

    def __hash__(self) -> int:
        return hash(self.spans)

    def __repr__(self) -> str:
        return f"Text{self.spans!r}"

    def __str__(self) -> str:
        return self.marked()

    def __contains__(self, words: str) -> bool:
        return words in self.marked() or words in self.plain()

    def __add__(self, other: Inline | Text) -> Text:
        return Text(self, other)

    def __radd__(self, other: Inline | Text) -> Text:
        return Text(other, self)

    def plain(self) -> str:
        """The words a person reads, without any markup."""
        return "".join(span_text(s) for s in self.spans)

    def marked(self) -> str:
        """The text in the core's own notation (``*strong*``, ```code```), for logs and tests."""
        return "".join(
            f"*{s.text}*"
            if isinstance(s, Strong)
            else f"`{s.text}`"
            if isinstance(s, Code)
            else span_text(s)
            for s in self.spans
        )

    def __bool__(self) -> bool:
        return any(span_text(s).strip() for s in self.spans)


def span_text(span: Span) -> str:
    """A span as the plain words it shows."""
    match span:
        case Plain(text=text) | Strong(text=text) | Code(text=text):
            return text
        case Link(url=url, label=label):
            return f"{label} ({url})" if label else url
        case Mention(name=name):
            return f"@{name}"
        case ChannelRef(channel_id=channel_id, name=name):
            return f"#{name or channel_id}"
        case DateRef(day=day):
            return day_label(day)
    assert_never(span)


def day_label(d: date) -> str:
    """``2026-11-27`` -> ``Fri Nov 27``."""
    return f"{d:%a %b} {d.day}"


_MARKUP = re.compile(r"\*(?=\S)([^*\n]+?)(?<=\S)\*|`([^`\n]+)`")
_FIELD = re.compile(r"\{(\w+)\}")


def t(template: str, /, **values: Inline) -> Text:
    """Text the core writes, with ``*strong*`` and ```code``` marked in the template itself.

    ``{name}`` placeholders are filled from ``values``: a string stays plain text (inside a code
    mark it becomes part of the code), a span keeps its kind. Values are never parsed for
    markup, so user text passed here can't change the formatting around it.
    """
    out: list[Inline] = []
    position = 0
    for match in _MARKUP.finditer(template):
        out.extend(_fill(template[position : match.start()], values))
        strong, code = match.group(1), match.group(2)
        if strong is not None:
            out.append(Strong(_fill_text(strong, values)))
        else:
            out.append(Code(_fill_text(code, values)))
        position = match.end()
    out.extend(_fill(template[position:], values))
    return Text(*out)


def _fill(piece: str, values: dict[str, Inline]) -> list[Inline]:
    out: list[Inline] = []
    position = 0
    for match in _FIELD.finditer(piece):
        out.append(piece[position : match.start()])
        out.append(values[match.group(1)])
        position = match.end()
    out.append(piece[position:])
    return out


def _fill_text(piece: str, values: dict[str, Inline]) -> str:
    return _FIELD.sub(lambda m: _as_text(values[m.group(1)]), piece)


def _as_text(value: Inline) -> str:
    return value if isinstance(value, str) else span_text(value)


Rich = str | Text  # a field value or a whole paragraph: plain string, or spans


@dataclass(frozen=True)
class Fields:
    """Labelled values, e.g. a profile or one application's details."""

    title: str
    fields: tuple[tuple[str, Rich], ...]


@dataclass(frozen=True)
class Table:
    """Rows under column headings; adapters choose code blocks, fields or real tables."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = "Nothing to show yet."


@dataclass(frozen=True)
class File:
    """A file to hand to the user: a chart (image/png), a calendar, an export."""

    filename: str
    content: bytes
    mime_type: str
    title: str = ""


@dataclass(frozen=True)
class Button:
    """A button that runs a command (with its arguments) as the person who presses it."""

    label: str
    command: str
    style: str = "default"  # "default" | "primary" | "danger"


@dataclass(frozen=True)
class Buttons:
    """A row of buttons."""

    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Question:
    """One question of a form, with the limits every platform enforces the same way."""

    key: str
    label: str
    kind: str = "short"  # "short" | "long" | "integer" | "choice"
    required: bool = True
    max_length: int = 500
    placeholder: str = ""
    initial: str = ""
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Form:
    """A form as data: Slack and Discord show a modal, the console asks question by question.

    Submitting a form runs ``submit_command`` with each answer as a ``key=value`` option, so a form
    goes through exactly the same validation as a typed command.
    """

    form_id: str
    title: str
    submit_command: str
    questions: tuple[Question, ...]
    intro: str = ""


Block = Text | Fields | Table | File | Buttons | Form


@dataclass(frozen=True)
class Reply:
    """Everything one command answers: ordered blocks and who may see them.

    ``thread`` holds what belongs under the message rather than in it (each member's answers
    under a standup summary): platforms with threads post it there, so a big cohort's summary is
    one short message in the channel; elsewhere it follows the message.
    """

    blocks: tuple[Block, ...] = ()
    visibility: Visibility = Visibility.PRIVATE
    ok: bool = True
    field: str | None = None  # the parameter a refusal is about (a form shows it there)
    thread: tuple[Block, ...] = ()

    @classmethod
    def of(cls, *blocks: Block | str, visibility: Visibility = Visibility.PRIVATE) -> Reply:
        """Build a reply, turning bare strings into (plain) text blocks."""
        return cls(
            blocks=tuple(Text(b) if isinstance(b, str) else b for b in blocks),
            visibility=visibility,
        )

    @classmethod
    def error(cls, *lines: Rich, field: str | None = None) -> Reply:
        """A private reply that says something went wrong and how to do it right."""
        parts: list[Inline | Text] = []
        for i, line in enumerate(lines):
            parts += ["\n", line] if i else [line]
        return cls(blocks=(Text(*parts),), visibility=Visibility.PRIVATE, ok=False, field=field)

    def in_thread(self, *blocks: Block | str) -> Reply:
        """This reply with ``blocks`` to go under it, in its thread."""
        extra = tuple(Text(b) if isinstance(b, str) else b for b in blocks)
        return replace(self, thread=(*self.thread, *extra))

    @property
    def all_blocks(self) -> tuple[Block, ...]:
        """The message and its thread, in reading order (for platforms without threads)."""
        return (*self.blocks, *self.thread)

    def plain_text(self) -> str:
        """The reply's text content (its thread included), for logs, tests and notifications."""
        parts: list[str] = []
        for block in self.all_blocks:
            parts.extend(block_text(block))
        return "\n".join(parts)

    def forms(self) -> Sequence[Form]:
        return [b for b in self.blocks if isinstance(b, Form)]


def rich_text(value: Rich) -> str:
    """A field value or paragraph as plain words."""
    return value.plain() if isinstance(value, Text) else value


def rich_marked(value: Rich) -> str:
    """A field value or paragraph in the core's notation (``*strong*``, ```code```)."""
    return value.marked() if isinstance(value, Text) else value


def block_text(block: Block) -> list[str]:
    """A block as lines in the core's notation (previews, notification fallbacks, tests)."""
    match block:
        case Text():
            return [block.marked()]
        case Fields(title=title, fields=fields):
            return [title, *(f"{k}: {rich_marked(v)}" for k, v in fields)]
        case Table(title=title, columns=columns, rows=rows, empty=empty):
            if not rows:
                return [title, empty]
            return [title, " | ".join(columns), *(" | ".join(r) for r in rows)]
        case File(filename=name, title=title):
            return [f"{title or name} ({name})"]
        case Buttons(buttons=buttons):
            return [" ".join(f"[{b.label}]" for b in buttons)]
        case Form(title=title, questions=questions):
            return [title, *(q.label for q in questions)]
    assert_never(block)


__all__ = [
    "Block",
    "Button",
    "Buttons",
    "ChannelRef",
    "Code",
    "DateRef",
    "Fields",
    "File",
    "Form",
    "Inline",
    "Link",
    "Mention",
    "Plain",
    "Question",
    "Reply",
    "Rich",
    "Span",
    "Strong",
    "Table",
    "Text",
    "Visibility",
    "block_text",
    "day_label",
    "rich_marked",
    "rich_text",
    "span_text",
    "t",
]
