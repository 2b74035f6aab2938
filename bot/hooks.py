"""Post-commit hooks: how a command tells long-running services that something changed.

Commands never call the scheduler directly; they note what changed, and the unit of work runs
the hooks only after the transaction committed (a rolled-back change notifies nobody).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger("offerbound.hooks")

Hook = Callable[[], Awaitable[None] | None]


@dataclass
class Hooks:
    """Callbacks the scheduling service registers; empty when nothing is listening."""

    schedule_changed: list[Hook] = field(default_factory=list)
    outbox_written: list[Hook] = field(default_factory=list)


async def run_hooks(hooks: list[Hook]) -> None:
    """Run each hook once; a failing hook is logged and never undoes the committed command."""
    for hook in dict.fromkeys(hooks):
        try:
            result = hook()
            if inspect.isawaitable(result):
                await result
        except Exception:
            log.exception("post-commit hook failed")
