"""The adapter contract every platform implements, and the capabilities it declares.

An adapter turns platform events into ``Invocation``s, awaits the core's ``Reply`` and renders it.
Composition, not inheritance: an adapter holds an ``App``; it does not subclass the bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.delivery import Target
from bot.replies import Form, Reply

__all__ = ["Adapter", "Capabilities", "Target"]


@dataclass(frozen=True)
class Capabilities:
    """What a platform can show; shared helpers use it to split and degrade replies."""

    max_message_chars: int
    modals: bool
    buttons: bool
    files: bool
    max_form_questions: int | None = None


class Adapter(Protocol):
    """What the core and the scheduler may ask of any platform adapter."""

    capabilities: Capabilities

    async def start(self) -> None:
        """Connect and begin feeding invocations to the core; returns once running."""

    async def stop(self) -> None:
        """Disconnect cleanly; pending replies are delivered or dropped, never half-sent."""

    async def deliver(self, target: Target, reply: Reply) -> None:
        """Send ``reply`` to ``target`` outside of any command (scheduled prompts, summaries)."""

    async def open_form(self, target: Target, form: Form) -> None:
        """Ask ``target`` to fill in ``form`` (a modal, a DM button, or console prompts)."""
