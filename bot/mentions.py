"""User text hygiene: mentions defused so the bot never pings on anyone's behalf, control
characters removed so every backend stores the same text.

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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """User text as it may be stored and shown: control characters (NUL above all, which
    PostgreSQL refuses and SQLite keeps) removed the same way on every backend, mentions
    defused. Line breaks and tabs stay."""
    return defuse_mentions(_CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def has_live_mention(text: str) -> bool:
    """True when ``text`` still contains a sequence a platform would turn into a ping."""
    return bool(
        re.search(r"@(?:here|channel|everyone|all)\b", text, re.IGNORECASE)
        or re.search(r"<[!@#]", text)
    )
