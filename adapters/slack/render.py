"""Core replies as Block Kit: messages within Slack's limits, modals from forms, the App Home view.

Pure functions from typed replies to JSON-ready dicts, so every limit is unit-tested without Slack.
Every limit comes from the adapter's ``Capabilities`` (``capabilities.py``, with its sources): a
reply is split into messages by blocks per message *and* by all the text of one message
(``Budgets.message_chars``, counted by ``message_text_units``), a text too long for one block is
split at line breaks, a field too long for a field becomes a section, and nothing is cut but a
table cell (at ``TABLE_CELL_CHARS``, whose whole value another command shows).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, assert_never

from adapters.slack.capabilities import (
    BUTTON_LABEL_CHARS,
    BUTTONS_PER_ACTIONS,
    CAPABILITIES,
    SECTION_CHARS,
    TABLE_CELL_CHARS,
    VIEW_BLOCKS,
    VIEW_TITLE_CHARS,
)
from adapters.slack.mrkdwn import escape, mrkdwn, truncate
from adapters.split import split_text
from bot.platform import Budgets
from bot.replies import (
    Block,
    Button,
    Buttons,
    ChannelRef,
    Code,
    DateRef,
    Fields,
    File,
    Form,
    Link,
    Mention,
    Plain,
    Question,
    Reply,
    Rich,
    Span,
    Strong,
    Table,
    Text,
    block_text,
    day_label,
)

BUDGETS = CAPABILITIES.budgets
FALLBACK_CHARS = 3000  # the notification text beside the blocks
THREAD_FALLBACK_CHARS = 300  # a thread reply's notification: the start of its text
TEXT_OBJECT_TYPES = frozenset({"plain_text", "mrkdwn"})

RUN_ACTION = "ob_run"  # button action ids are ob_run_<n>; the value is the command line
FORM_CALLBACK = "ob_form"  # callback_id of every modal this adapter opens

Json = dict[str, Any]


@dataclass(frozen=True)
class Message:
    """One Slack message: blocks plus the notification text Slack shows where blocks can't go."""

    text: str
    blocks: list[Json] = field(default_factory=list)


def render_messages(reply: Reply, budgets: Budgets = BUDGETS) -> list[Message]:
    """A command's reply as messages within ``budgets`` (files are sent apart): its thread, if
    any, follows inline (``Reply.all_blocks``), as ephemeral messages have no thread."""
    return pack(render_blocks(reply.all_blocks, budgets=budgets), fallback_text(reply), budgets)


def render_post(reply: Reply, budgets: Budgets = BUDGETS) -> tuple[list[Message], list[Message]]:
    """A message the bot posts on its own: the message(s) for the channel, and the messages to
    post in the first one's thread (``Reply.thread``), all within ``budgets``."""
    counter = itertools.count()
    head = render_blocks(reply.blocks, counter, budgets)
    under = render_blocks(reply.thread, counter, budgets)
    if not head:  # nothing to hang a thread on: the thread is the message
        return pack(under, fallback_text(reply), budgets), []
    parent = pack(head, _fallback(reply.blocks), budgets)
    return parent, pack(under, None, budgets)


def pack(blocks: Sequence[Json], text: str | None, budgets: Budgets = BUDGETS) -> list[Message]:
    """``blocks`` in order, as messages of at most ``budgets.blocks_per_message`` blocks and
    ``budgets.message_chars`` of text (``message_text_units``); a block too big for a message on
    its own is split first (``fit``). The first message carries ``text`` as its notification
    text, the others "(continued)"; with no ``text`` each carries the start of its own."""
    chunks: list[list[Json]] = []
    units = 0
    for block in (part for b in blocks for part in fit(b, budgets)):
        size = message_text_units(block)
        if not chunks or (
            len(chunks[-1]) >= budgets.blocks_per_message or units + size > budgets.message_chars
        ):
            chunks.append([])
            units = 0
        chunks[-1].append(block)
        units += size
    if text is None:
        return [Message(_notification(chunk), chunk) for chunk in chunks]
    return [Message(text if i == 0 else "(continued)", c) for i, c in enumerate(chunks)]


def fit(block: Json, budgets: Budgets = BUDGETS) -> list[Json]:
    """``block`` as blocks that each fit in one message: a section whose text is over budget is
    split at line breaks, one whose fields are, into one section per field (nothing is lost)."""
    budget = budgets.message_chars
    if message_text_units(block) <= budget or block.get("type") != "section":
        return [block]
    if "fields" in block:
        return [{"type": "section", "fields": [cell]} for cell in block["fields"]]
    text = str(block["text"]["text"])
    limit = min(len(text), budget)
    while True:
        chunks = split_text(text, limit)
        if limit <= 64 or all(units_of(c) <= budget for c in chunks):
            return [_section(chunk) for chunk in chunks]
        limit = limit * 4 // 5


def units_of(text: str) -> int:
    """Length in UTF-16 code units (JavaScript's ``String.length``: an emoji counts 2), the way
    both reports of ``msg_blocks_too_long`` measured (``capabilities.py``)."""
    return len(text.encode("utf-16-le")) // 2


def message_text_units(value: Any) -> int:
    """All the text of ``value`` (blocks, one block): every text object's text, in UTF-16 units."""
    return sum(units_of(text) for text in _texts(value))


def fallback_text(reply: Reply) -> str:
    """Escaped plain text for notifications and clients that cannot show blocks."""
    return truncate(mrkdwn(reply.plain_text()), FALLBACK_CHARS)


def _fallback(blocks: Sequence[Block]) -> str:
    return truncate(
        mrkdwn("\n".join(line for b in blocks for line in block_text(b))), FALLBACK_CHARS
    )


def _notification(blocks: Sequence[Json]) -> str:
    """A thread reply's notification text: the start of its first text (already mrkdwn)."""
    for block in blocks:
        for text in _texts(block):
            if text.strip():
                return truncate(text, THREAD_FALLBACK_CHARS)
    return "…"


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = value.get("text")
        found = [own] if value.get("type") in TEXT_OBJECT_TYPES and isinstance(own, str) else []
        return found + [t for v in value.values() if not isinstance(v, str) for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def render_blocks(
    blocks: Sequence[Block], counter: Iterator[int] | None = None, budgets: Budgets = BUDGETS
) -> list[Json]:
    """Block Kit blocks for the reply's blocks, in order; files render as a short note.

    ``counter`` numbers button action ids, so they stay unique across a whole message or view.
    """
    counter = counter if counter is not None else itertools.count()
    out: list[Json] = []
    for block in blocks:
        out.extend(_render(block, counter, budgets))
    return out


def span_mrkdwn(span: Span) -> str:
    """One span in Slack's mrkdwn; plain text is escaped so it can never ping or link."""
    match span:
        case Plain(text=text):
            return mrkdwn(text)
        case Strong(text=text):
            return f"*{mrkdwn(text)}*"
        case Code(text=text):
            return f"`{mrkdwn(text.replace('`', 'ˋ'))}`"
        case Link(url=url, label=label):
            safe = url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
            return f"<{safe}|{escape(label)}>" if label else f"<{safe}>"
        case Mention(user_id=user_id, name=name, notify=notify):
            return f"<@{user_id}>" if notify else f"@{escape(name)}"
        case ChannelRef(channel_id=channel_id):
            return f"<#{channel_id}>"
        case DateRef(day=day):
            return day_label(day)
    assert_never(span)


def text_mrkdwn(value: Rich) -> str:
    """A paragraph or field value in mrkdwn (a plain string is escaped like a plain span)."""
    if isinstance(value, Text):
        return "".join(span_mrkdwn(s) for s in value.spans)
    return mrkdwn(value)


def _render(block: Block, counter: Iterator[int], budgets: Budgets) -> list[Json]:
    limit = budgets.text_chars
    match block:
        case Text():
            text = text_mrkdwn(block)
            if not text.strip():  # Slack refuses an empty section
                return []
            return [_section(chunk) for chunk in split_text(text, limit)]
        case Fields():
            return _fields(block, budgets)
        case Table():
            return [_section(chunk) for chunk in split_text(table_text(block), limit)]
        case File(filename=name, title=title):
            return [_context(f"📎 {mrkdwn(title or name)}")]
        case Buttons(buttons=buttons):
            return _actions(buttons, counter, budgets)
        case Form():
            intro = f"\n{mrkdwn(block.intro)}" if block.intro else ""
            text = truncate(f"📝 *{mrkdwn(block.title)}*{intro}", limit)
            opener = Button(f"Open {block.title}", block.submit_command, "primary")
            return [_section(text), *_actions((opener,), counter, budgets)]
    assert_never(block)


def _section(text: str) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Json:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _fields(block: Fields, budgets: Budgets) -> list[Json]:
    """Labelled values as section fields; a value too long for a field (an application's notes)
    gets a section of its own, split at line breaks, so nothing is cut."""
    out: list[Json] = []
    if block.title:
        out.append(_section(truncate(f"*{mrkdwn(block.title)}*", budgets.text_chars)))
    cells: list[Json] = []
    for label, value in block.fields:
        text = f"*{mrkdwn(label)}*\n{text_mrkdwn(value) or '–'}"
        if len(text) <= budgets.field_chars:
            cells.append({"type": "mrkdwn", "text": text})
            continue
        out += _field_sections(cells, budgets)
        cells = []
        out += [_section(chunk) for chunk in split_text(text, budgets.text_chars)]
    return out + _field_sections(cells, budgets)


def _field_sections(cells: Sequence[Json], budgets: Budgets) -> list[Json]:
    """Cells as sections of at most ``fields_per_block`` fields and one message's text."""
    sections: list[list[Json]] = []
    units = 0
    for cell in cells:
        size = units_of(cell["text"])
        if (
            not sections
            or len(sections[-1]) >= budgets.fields_per_block
            or units + size > budgets.message_chars
        ):
            sections.append([])
            units = 0
        sections[-1].append(cell)
        units += size
    return [{"type": "section", "fields": fields} for fields in sections]


def table_text(table: Table, cell_chars: int = TABLE_CELL_CHARS) -> str:
    """A table as an aligned code block under its bold title; widths use the unescaped text.

    A cell longer than ``cell_chars`` is cut with an ellipsis, so no row is padded to one long
    value's width (the whole value is a command away: ``/app show A3``).
    """
    title = f"*{mrkdwn(table.title)}*\n" if table.title else ""
    if not table.rows:
        return f"{title}_{mrkdwn(table.empty)}_"
    columns = [truncate(c, cell_chars) for c in table.columns]
    rows = [[truncate(c, cell_chars) for c in row] for row in table.rows]
    widths = [len(c) for c in columns]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    lines = [line(columns), line(["-" * w for w in widths])]
    lines += [line(row) for row in rows]
    body = "\n".join(mrkdwn(text) for text in lines)
    return f"{title}```\n{body}\n```"


def _actions(buttons: Sequence[Button], counter: Iterator[int], budgets: Budgets) -> list[Json]:
    elements = [button_element(b, next(counter), budgets) for b in buttons]
    per_block = min(budgets.buttons_per_message, BUTTONS_PER_ACTIONS)
    return [
        {"type": "actions", "elements": elements[i : i + per_block]}
        for i in range(0, len(elements), per_block)
    ]


def button_element(button: Button, n: int, budgets: Budgets = BUDGETS) -> Json:
    """A button that runs ``button.command`` as whoever presses it."""
    label = min(budgets.button_label_chars, BUTTON_LABEL_CHARS)
    element: Json = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(button.label, label)},
        "action_id": f"{RUN_ACTION}_{n}",
        "value": button.command[:2000],
    }
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    return element


# -- modals -------------------------------------------------------------------------------


def render_modal(form: Form, metadata: dict[str, str]) -> Json:
    """A modal for ``form``; ``metadata`` (the command to run, where to answer) rides along."""
    blocks: list[Json] = []
    if form.intro:
        blocks.append(_section(truncate(mrkdwn(form.intro), SECTION_CHARS)))
    blocks += [input_block(q) for q in form.questions][: VIEW_BLOCKS - len(blocks)]
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "private_metadata": json.dumps(metadata, separators=(",", ":"))[:3000],
        "title": {"type": "plain_text", "text": truncate(form.title, VIEW_TITLE_CHARS)},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def notice_modal(text: str) -> Json:
    """A modal that only says ``text`` (no inputs, no submit button): the answer to a submission
    that cannot be read, when there is no field of it to put an error on."""
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": {"type": "plain_text", "text": "Offerbound"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [_section(truncate(escape(text), SECTION_CHARS))],
    }


def input_block(question: Question) -> Json:
    """One question as an input block: block id is the option key, the action id ``value``."""
    block: Json = {
        "type": "input",
        "block_id": question.key,
        "optional": not question.required,
        "label": {"type": "plain_text", "text": truncate(question.label, 2000)},
        "element": {"action_id": "value", **_element(question)},
    }
    return block


def _element(q: Question) -> Json:
    placeholder = (
        {"placeholder": {"type": "plain_text", "text": truncate(q.placeholder, 150)}}
        if q.placeholder
        else {}
    )
    match q.kind:
        case "integer":
            element: Json = {"type": "number_input", "is_decimal_allowed": False, **placeholder}
            if q.minimum is not None:
                element["min_value"] = str(q.minimum)
            if q.maximum is not None:
                element["max_value"] = str(q.maximum)
            if q.initial.strip().lstrip("-").isdigit():
                element["initial_value"] = q.initial.strip()
            return element
        case "choice" if q.choices:
            options = [_option(c) for c in q.choices[:100]]
            element = {"type": "static_select", "options": options, **placeholder}
            if q.initial in q.choices:
                element["initial_option"] = _option(q.initial)
            return element
        case "date":
            element = {"type": "datepicker", **placeholder}
            if _is_iso_date(q.initial):
                element["initial_date"] = q.initial
            return element
        case "time":
            element = {"type": "timepicker", **placeholder}
            if re.fullmatch(r"\d{2}:\d{2}", q.initial):
                element["initial_time"] = q.initial
            return element
        case "user":
            return {"type": "users_select", **placeholder}
        case "lookup":  # options come from the app as the person types (block_suggestion)
            return {"type": "external_select", "min_query_length": 0, **placeholder}
        case "url":
            return {"type": "url_text_input", **placeholder}
    element = {
        "type": "plain_text_input",
        "multiline": q.kind == "long",
        "max_length": max(1, min(q.max_length, 3000)),
        **placeholder,
    }
    if q.initial:
        element["initial_value"] = q.initial[: element["max_length"]]
    return element


def _option(choice: str) -> Json:
    return {"text": {"type": "plain_text", "text": truncate(choice, 75)}, "value": choice[:150]}


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# -- App Home -----------------------------------------------------------------------------

HOME_ACTIONS = (
    Button("Log an application", "apply", "primary"),
    Button("Log outreach", "outreach"),
    Button("Log practice", "practice"),
    Button("Standup", "standup"),
    Button("Follow-ups", "followups"),
)


def render_home(reply: Reply, actions: Sequence[Button] = HOME_ACTIONS) -> Json:
    """The App Home tab: quick actions above the member's dashboard."""
    counter = itertools.count()
    top = [*_actions(actions, counter, BUDGETS), {"type": "divider"}]
    body = render_blocks(reply.blocks, counter)
    room = VIEW_BLOCKS - len(top)
    if len(body) > room:
        body = [*body[: room - 1], _context("… more with `/dashboard`")]
    return {"type": "home", "blocks": top + body}
