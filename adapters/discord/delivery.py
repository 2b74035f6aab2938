"""What a refused scheduled send means for the outbox, and the nonce that makes sends idempotent.

The delivery worker (bot/scheduling) decides from the outcome whether to retry, stop trying a
member or give up; Discord's enforced nonce drops a repeat of the same key sent within minutes.
"""

from __future__ import annotations

import hashlib

import discord

from adapters.discord.capabilities import MAX_NONCE
from bot.delivery import Failed, Outcome, RetryLater, Unreachable

# Discord's JSON error codes (discord.com/developers/docs/topics/opcodes-and-status-codes).
CANNOT_DM = 50007
UNKNOWN_USER = 10013
UNKNOWN_CHANNEL = 10003
MISSING_ACCESS = 50001
_UNREACHABLE = frozenset({CANNOT_DM, UNKNOWN_USER, UNKNOWN_CHANNEL, MISSING_ACCESS})


def nonce_for(key: str) -> str:
    """An outbox key as a Discord nonce (at most 25 characters)."""
    return hashlib.sha256(key.encode()).hexdigest()[:MAX_NONCE]


def outcome_of(exc: discord.HTTPException, *, dm: bool) -> Outcome:
    """Retry later on 429 and 5xx; a DM Discord refuses makes the member unreachable."""
    reason = f"HTTP {exc.status} (code {exc.code}): {exc.text}"[:300]
    if exc.status == 429:
        return RetryLater(after=5.0, reason=reason)
    if exc.status >= 500:
        return RetryLater(after=30.0, reason=reason)
    if dm and exc.code in _UNREACHABLE:
        return Unreachable(reason)
    return Failed(reason)
