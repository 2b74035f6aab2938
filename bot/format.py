"""How dates, counts and due dates read in replies: shared by commands, prompts and exports."""

from __future__ import annotations

import re
from datetime import date

from bot.replies import day_label


def day(d: date | None) -> str:
    """``2026-11-27`` -> ``Fri Nov 27``; empty for none."""
    return day_label(d) if d else ""


def due_phrase(d: date, today: date) -> str:
    """``due today``, ``2 days overdue``, ``due in 3 days``."""
    delta = (d - today).days
    if delta == 0:
        return "due today"
    if delta < 0:
        return f"{-delta} day{'s' if delta != -1 else ''} overdue"
    return f"due in {delta} day{'s' if delta != 1 else ''}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def file_slug(name: str) -> str:
    """A member's name as part of a file name (``Ana María`` -> ``ana-mar-a``): files of two
    members, or two kinds, saved side by side never overwrite each other."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "member"
