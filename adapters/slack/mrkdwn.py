"""Slack's text format both ways: escaping what we post, unwrapping what Slack sends us.

Outgoing, user text is escaped so it can never become a mention or a link. Incoming, Slack has
escaped ``&``, ``<`` and ``>`` and wrapped links and channels (``<https://...>``, ``<#C1|x>``);
the core wants the text as typed.
"""

from __future__ import annotations

import re

from bot.mentions import WORD_JOINER

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# A Slack user mention the core already defused (``<\u2060@U123|bob>``), after escaping.
_DEFUSED_USER = re.compile(rf"&lt;{WORD_JOINER}@([UW][A-Z0-9]+)(?:\|((?:(?!&gt;).){{1,80}}))?&gt;")


_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|[^>]*)?>")
_CHANNEL_OPTION = re.compile(r"(?<==)<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")


def from_slack(text: str) -> str:
    """Command text as the person typed it: links and channels unwrapped, escapes undone.

    A link keeps its real address, never its label. A channel given as an option value
    (``channel=#cohort``) becomes its id, elsewhere ``#name``. User mentions (``<@U1|bob>``) stay,
    so members resolve by id; ``<!here>`` and friends stay for the core to defuse.
    """
    text = _CHANNEL_OPTION.sub(r"\1", text)
    text = _CHANNEL.sub(lambda m: f"#{m[2]}" if m[2] else m[1], text)
    text = _LINK.sub(lambda m: m[1].removeprefix("mailto:"), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Escape the three characters Slack gives meaning to: ``&``, ``<`` and ``>``."""
    return text.translate(_ESCAPES)


def mrkdwn(text: str) -> str:
    """User-facing text for a mrkdwn field: escaped, with defused user mentions shown as @name.

    ``@name`` in posted text is inert on Slack (only ``<@U123>`` pings), so this stays safe.
    """
    return _DEFUSED_USER.sub(lambda m: "@" + (m[2] or m[1]), escape(text))


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for Slack's per-field limits."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
