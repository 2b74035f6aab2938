"""Core text in Discord's markdown: spans written in its syntax, user text escaped so it stays text.

Discord renders markdown in message content, embed descriptions and field values, including
masked links (``[label](https://...)``). Plain text gets a backslash before every character
markdown gives meaning to, so ``[free nitro](https://evil.example)`` typed by a member shows as
typed (the address as a bare, visible link) and ``**`` or ``||`` can't restyle a message. Bare web
addresses are left whole: Discord shows them as links, address visible.
"""

from __future__ import annotations

import re
from typing import assert_never

from bot.replies import (
    ChannelRef,
    Code,
    DateRef,
    Link,
    Mention,
    Plain,
    Rich,
    Span,
    Strong,
    Text,
    day_label,
)

_SPECIAL = re.compile(r"([\\*_~|`\[\]()<@])|^(\s*)([#>-])", re.MULTILINE)
_URL = re.compile(r"https?://[^\s<>()\[\]]+")


def escape(text: str) -> str:
    """``text`` with every markdown character escaped, web addresses kept whole."""
    out: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        out.append(_escape_piece(text[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_escape_piece(text[position:]))
    return "".join(out)


def _escape_piece(text: str) -> str:
    """Backslashes before markdown characters (headings, quotes and lists only at line starts)."""
    return _SPECIAL.sub(lambda m: f"\\{m[1]}" if m[1] is not None else f"{m[2]}\\{m[3]}", text)


def span_markdown(span: Span) -> str:
    """One span in Discord's markdown."""
    match span:
        case Plain(text=text):
            return escape(text)
        case Strong(text=text):
            return f"**{escape(text)}**"
        case Code(text=text):
            fence = "``" if "`" in text else "`"
            return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"
        case Link(url=url, label=label):
            return f"[{escape(label)}]({url})" if label else url
        case Mention(user_id=user_id, name=name, notify=notify):
            return f"<@{user_id}>" if notify else f"@{escape(name)}"
        case ChannelRef(channel_id=channel_id):
            return f"<#{channel_id}>"
        case DateRef(day=day):
            return day_label(day)
    assert_never(span)


def markdown(value: Rich) -> str:
    """A paragraph or field value in Discord's markdown (a plain string is escaped)."""
    if isinstance(value, Text):
        return "".join(span_markdown(s) for s in value.spans)
    return escape(value)


def notified(value: Rich) -> list[str]:
    """User ids this text mentions on purpose (``Mention(notify=True)``), in order, once each."""
    if not isinstance(value, Text):
        return []
    found = {s.user_id: None for s in value.spans if isinstance(s, Mention) and s.notify}
    return list(found)
