"""Where a message the bot sends on its own goes, and what became of it.

A platform's ``send`` (``bot.platform.Platform``) answers with one of the outcome types, so the
delivery worker can decide between done, retry later (honouring a platform's Retry-After), stop
trying this member, or give up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """Where a message goes: a channel, or a user's direct messages when ``channel_id`` is empty.

    ``tenant_id`` is the platform's workspace or guild id (``local`` on the console).
    """

    tenant_id: str
    user_id: str = ""
    channel_id: str = ""


@dataclass(frozen=True)
class Delivered:
    """The platform accepted the message; ``ref`` identifies it there (a ts, a message id)."""

    ref: str = ""


@dataclass(frozen=True)
class RetryLater:
    """A passing failure (429, 5xx, a timeout); try again no sooner than ``after`` seconds."""

    after: float
    reason: str


@dataclass(frozen=True)
class Unreachable:
    """This person cannot be messaged (DMs closed, left the workspace): stop trying them."""

    reason: str


@dataclass(frozen=True)
class Failed:
    """A permanent failure for this message (bad request): do not retry it."""

    reason: str


Outcome = Delivered | RetryLater | Unreachable | Failed
