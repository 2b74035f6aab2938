"""Core replies as Block Kit: messages within Slack's limits, modals from forms, the App Home view.

Pure functions from typed replies to JSON-ready dicts, so every limit is unit-tested without Slack.
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
    FIELD_CHARS,
    FIELDS_PER_SECTION,
    MESSAGE_BLOCKS,
    SECTION_CHARS,
    VIEW_BLOCKS,
    VIEW_TITLE_CHARS,
)
from adapters.slack.mrkdwn import escape, mrkdwn, truncate
from adapters.split import split_text
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
    day_label,
)

FALLBACK_CHARS = 3000  # the notification text beside the blocks

RUN_ACTION = "ob_run"  # button action ids are ob_run_<n>; the value is the command line
FORM_CALLBACK = "ob_form"  # callback_id of every modal this adapter opens

Json = dict[str, Any]


@dataclass(frozen=True)
class Message:
    """One Slack message: blocks plus the notification text Slack shows where blocks can't go."""

    text: str
    blocks: list[Json] = field(default_factory=list)


def render_messages(reply: Reply, max_blocks: int = MESSAGE_BLOCKS) -> list[Message]:
    """The reply as one or more messages of at most ``max_blocks`` blocks (files are sent apart)."""
    blocks = render_blocks(reply.all_blocks)
    if not blocks:
        return []
    text = fallback_text(reply)
    chunks = [blocks[i : i + max_blocks] for i in range(0, len(blocks), max_blocks)]
    return [Message(text if i == 0 else "(continued)", chunk) for i, chunk in enumerate(chunks)]


def fallback_text(reply: Reply) -> str:
    """Escaped plain text for notifications and clients that cannot show blocks."""
    return truncate(mrkdwn(reply.plain_text()), FALLBACK_CHARS)


def render_blocks(blocks: Sequence[Block], counter: Iterator[int] | None = None) -> list[Json]:
    """Block Kit blocks for the reply's blocks, in order; files render as a short note.

    ``counter`` numbers button action ids, so they stay unique across a whole message or view.
    """
    counter = counter if counter is not None else itertools.count()
    out: list[Json] = []
    for block in blocks:
        out.extend(_render(block, counter))
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


def _render(block: Block, counter: Iterator[int]) -> list[Json]:
    match block:
        case Text():
            text = text_mrkdwn(block)
            if not text.strip():  # Slack refuses an empty section
                return []
            return [_section(chunk) for chunk in split_text(text, SECTION_CHARS)]
        case Fields():
            return _fields(block)
        case Table():
            return [_section(chunk) for chunk in split_text(table_text(block), SECTION_CHARS)]
        case File(filename=name, title=title):
            return [_context(f"📎 {mrkdwn(title or name)}")]
        case Buttons(buttons=buttons):
            return _actions(buttons, counter)
        case Form():
            intro = f"\n{mrkdwn(block.intro)}" if block.intro else ""
            text = truncate(f"📝 *{mrkdwn(block.title)}*{intro}", SECTION_CHARS)
            opener = Button(f"Open {block.title}", block.submit_command, "primary")
            return [_section(text), *_actions((opener,), counter)]
    assert_never(block)


def _section(text: str) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Json:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _fields(block: Fields) -> list[Json]:
    out: list[Json] = []
    if block.title:
        out.append(_section(truncate(f"*{mrkdwn(block.title)}*", SECTION_CHARS)))
    cells = [
        {"type": "mrkdwn", "text": truncate(f"*{mrkdwn(k)}*\n{text_mrkdwn(v) or '–'}", FIELD_CHARS)}
        for k, v in block.fields
    ]
    for i in range(0, len(cells), FIELDS_PER_SECTION):
        out.append({"type": "section", "fields": cells[i : i + FIELDS_PER_SECTION]})
    return out


def table_text(table: Table) -> str:
    """A table as an aligned code block under its bold title; widths use the unescaped text."""
    title = f"*{mrkdwn(table.title)}*\n" if table.title else ""
    if not table.rows:
        return f"{title}_{mrkdwn(table.empty)}_"
    widths = [len(c) for c in table.columns]
    for row in table.rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    lines = [line(table.columns), line(["-" * w for w in widths])]
    lines += [line(row) for row in table.rows]
    body = "\n".join(mrkdwn(text) for text in lines)
    return f"{title}```\n{body}\n```"


def _actions(buttons: Sequence[Button], counter: Iterator[int]) -> list[Json]:
    elements = [button_element(b, next(counter)) for b in buttons]
    return [
        {"type": "actions", "elements": elements[i : i + BUTTONS_PER_ACTIONS]}
        for i in range(0, len(elements), BUTTONS_PER_ACTIONS)
    ]


def button_element(button: Button, n: int) -> Json:
    """A button that runs ``button.command`` as whoever presses it."""
    element: Json = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(button.label, BUTTON_LABEL_CHARS)},
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
    top = [*_actions(actions, counter), {"type": "divider"}]
    body = render_blocks(reply.blocks, counter)
    room = VIEW_BLOCKS - len(top)
    if len(body) > room:
        body = [*body[: room - 1], _context("… more with `/dashboard`")]
    return {"type": "home", "blocks": top + body}
