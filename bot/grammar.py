"""The text grammar all text platforms share: double-quoted phrases plus ``key=value`` options.

``/apply Stripe "Backend Engineer" url=https://... follow-up=fri`` splits into the words that pick
the command, positional arguments and options. Typing quirks are forgiven (smart quotes from
phones, a leading ``/``, the ``/ob`` prefix Slack needs).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from bot.errors import UsageError

_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
_OPTION = re.compile(r"([A-Za-z][A-Za-z0-9_-]{0,30})=(.*)", re.DOTALL)
PREFIXES = ("ob",)


@dataclass
class Tokens:
    """A command line split into words, before the command is known."""

    words: list[str]
    options: dict[str, str] = field(default_factory=dict)


def tokenize(text: str) -> list[str]:
    """Split ``text`` like a shell would, with a friendly error for an unclosed quote."""
    cleaned = text.translate(_SMART_QUOTES).strip()
    if cleaned.startswith("/"):
        cleaned = cleaned[1:]
    lexer = shlex.shlex(cleaned, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    lexer.escape = ""
    lexer.quotes = '"'  # apostrophes (don't, you're) are ordinary letters in chat
    try:
        words = list(lexer)
    except ValueError as exc:
        raise UsageError(
            "A quote is not closed.",
            hint='Put text with spaces in matching quotes, e.g. "Backend Engineer".',
        ) from exc
    if words and words[0].lower() in PREFIXES:
        words = words[1:]
    return words


def split_options(words: list[str]) -> tuple[list[str], dict[str, str]]:
    """Separate ``key=value`` words from positional ones. Keys are normalised to ``a-b`` form."""
    positional: list[str] = []
    options: dict[str, str] = {}
    for word in words:
        m = _OPTION.fullmatch(word)
        if m and "://" not in m[1]:
            key = m[1].lower().replace("_", "-")
            if key in options:
                raise UsageError(f"`{key}=` is given twice.", hint="Give each option once.")
            options[key] = m[2]
        else:
            positional.append(word)
    return positional, options


def quote(value: str) -> str:
    """Quote a value so ``tokenize`` reads it back as one word."""
    if value and re.fullmatch(r"[\w@:/.,+#-]+", value):
        return value
    return '"' + value.translate(_SMART_QUOTES).replace('"', "'") + '"'
