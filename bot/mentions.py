"""Defusing of mass and user mentions in text a user typed, so the bot never pings on their behalf.

Chat platforms turn a few character sequences into notifications: a mass mention (``@here``) and
an angle-bracket reference (``<@...>``, ``<#...>``, ``<!...>``). A word joiner (U+2060) placed
inside them keeps the text readable but stops any platform from parsing it. This guards what is
stored; renderers escape plain text for their platform as well.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"

_MASS = re.compile(r"@(?=(?:here|channel|everyone|all)\b)", re.IGNORECASE)
_REFERENCE = re.compile(r"<(?=[!@#])")


def defuse_mentions(text: str) -> str:
    """Return ``text`` with every mention-like sequence broken by an invisible word joiner.

    Covers ``@here``, ``@channel``, ``@everyone``, ``@all`` and every angle-bracket reference
    (``<!channel>``, ``<@U123>``, ``<@123>``, ``<@&123>``, ``<#C123>``). Idempotent.
    """
    text = _MASS.sub("@" + WORD_JOINER, text)
    return _REFERENCE.sub("<" + WORD_JOINER, text)


def has_live_mention(text: str) -> bool:
    """True when ``text`` still contains a sequence a platform would turn into a ping."""
    return bool(
        re.search(r"@(?:here|channel|everyone|all)\b", text, re.IGNORECASE)
        or re.search(r"<[!@#]", text)
    )
