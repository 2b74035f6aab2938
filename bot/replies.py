"""Typed, frozen reply objects: what the core answers, before any platform renders it.

Adapters map each block type to their own rendering (Block Kit, Discord embeds, terminal text),
so the core never needs to know which platform asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Visibility(StrEnum):
    """Who sees a reply: only the person who asked, or the whole channel."""

    PRIVATE = "private"
    CHANNEL = "channel"


@dataclass(frozen=True)
class Text:
    """A paragraph of text. Lines may use *bold* markers the adapters translate."""

    text: str


@dataclass(frozen=True)
class Fields:
    """Labelled values, e.g. a profile or one application's details."""

    title: str
    fields: tuple[tuple[str, str], ...]


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
    """Everything one command answers: ordered blocks and who may see them."""

    blocks: tuple[Block, ...] = ()
    visibility: Visibility = Visibility.PRIVATE
    ok: bool = True

    @classmethod
    def of(cls, *blocks: Block | str, visibility: Visibility = Visibility.PRIVATE) -> Reply:
        """Build a reply, turning bare strings into text blocks."""
        return cls(
            blocks=tuple(Text(b) if isinstance(b, str) else b for b in blocks),
            visibility=visibility,
        )

    @classmethod
    def error(cls, *lines: str) -> Reply:
        """A private reply that says something went wrong and how to do it right."""
        return cls(blocks=(Text("\n".join(lines)),), visibility=Visibility.PRIVATE, ok=False)

    def plain_text(self) -> str:
        """The reply's text content, for logs, tests and notifications."""
        parts: list[str] = []
        for block in self.blocks:
            parts.extend(block_text(block))
        return "\n".join(parts)

    def forms(self) -> Sequence[Form]:
        return [b for b in self.blocks if isinstance(b, Form)]


def block_text(block: Block) -> list[str]:
    """A block as plain lines (used for previews and notification fallbacks)."""
    match block:
        case Text(text=text):
            return [text]
        case Fields(title=title, fields=fields):
            return [title, *(f"{k}: {v}" for k, v in fields)]
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
    return []


__all__ = [
    "Block",
    "Button",
    "Buttons",
    "Fields",
    "File",
    "Form",
    "Question",
    "Reply",
    "Table",
    "Text",
    "Visibility",
    "block_text",
]
