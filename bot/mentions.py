"""Defusing of mass and user mentions in text a user typed, so the bot never pings on their behalf.

Slack and Discord both turn certain character sequences into notifications. A word joiner
(U+2060) placed inside them keeps the text readable but stops every platform from parsing it.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"

_MASS = re.compile(r"@(?=(?:here|channel|everyone|all)\b)", re.IGNORECASE)
_SLACK_SPECIAL = re.compile(r"<(?=[!@#])")
_DISCORD_MENTION = re.compile(r"<(?=@[!&]?\d+>|#\d+>)")


def defuse_mentions(text: str) -> str:
    """Return ``text`` with every mention-like sequence broken by an invisible word joiner.

    Covers ``@here``, ``@channel``, ``@everyone``, ``@all``, Slack's ``<!channel>``, ``<@U123>`` and
    ``<#C123>``, and Discord's ``<@123>``, ``<@&123>`` and ``<#123>``. Idempotent.
    """
    text = _MASS.sub("@" + WORD_JOINER, text)
    text = _SLACK_SPECIAL.sub("<" + WORD_JOINER, text)
    return _DISCORD_MENTION.sub("<" + WORD_JOINER, text)


def has_live_mention(text: str) -> bool:
    """True when ``text`` still contains a sequence a platform would turn into a ping."""
    return bool(
        re.search(r"@(?:here|channel|everyone|all)\b", text, re.IGNORECASE)
        or re.search(r"<[!@#]", text)
    )
