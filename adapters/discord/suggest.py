"""Autocomplete suggestions: a member's own applications and contacts, time zones, command names.

Ids come from the core's own list commands (``/apps``, ``/contacts``, ``/followups``) run as the
member, so autocomplete sees exactly what the member may see, through the same tenant scoping.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache
from zoneinfo import available_timezones

from adapters.discord.tree import Suggest
from bot.registry import Registry
from bot.replies import Reply, Table

MAX_SUGGESTIONS = 25
MAX_NAME = 100

RunCommand = Callable[[str], Awaitable[Reply]]

_LISTS = {
    Suggest.APPLICATIONS: ("apps",),
    Suggest.CONTACTS: ("contacts",),
    Suggest.FOLLOWUPS: ("followups", "apps", "contacts"),
}


async def suggestions(
    source: Suggest, typed: str, registry: Registry, run: RunCommand
) -> list[tuple[str, str]]:
    """Up to 25 ``(label, value)`` pairs matching what has been typed so far."""
    wanted = typed.strip().lower()
    if source is Suggest.TIMEZONES:
        pairs = [(z, z) for z in _zones() if wanted in z.lower()]
    elif source is Suggest.COMMANDS:
        pairs = [(f"{c.name} — {c.summary}", c.name) for c in registry if wanted in c.name]
    else:
        pairs = []
        seen: set[str] = set()
        for command in _LISTS[source]:
            for label, value in _rows(await run(command)):
                if value not in seen and wanted in label.lower():
                    seen.add(value)
                    pairs.append((label, value))
    return [(_clip(label), value[:MAX_NAME]) for label, value in pairs[:MAX_SUGGESTIONS]]


def _rows(reply: Reply) -> list[tuple[str, str]]:
    """``(label, id)`` for every row of every table with an ``id`` column."""
    pairs = []
    for block in reply.blocks:
        if isinstance(block, Table) and "id" in block.columns:
            index = block.columns.index("id")
            for row in block.rows:
                shown = " · ".join(cell for cell in row if cell)
                pairs.append((shown, row[index]))
    return pairs


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))


def _clip(text: str) -> str:
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1] + "…"
