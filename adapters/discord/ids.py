"""Component and modal custom ids: what a button press or modal submission must do, in 100 chars.

Most ids carry everything needed (``ob:run:followup done A1``), so buttons keep working across
restarts. What cannot fit (a long command line, a half-filled multi-part form) is kept in a small
in-memory ``Stash`` under a short token; such ids expire with the process. ``RecentIds`` remembers
the interactions already taken, so one delivered twice runs once.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from adapters.discord.capabilities import MAX_CUSTOM_ID

PREFIX = "ob"


class Action(StrEnum):
    """What a custom id asks for."""

    RUN = "run"  # button: run a command line as the presser
    REF = "ref"  # button: run a stashed command line too long for an id
    FORM = "form"  # modal: submit the form's command with the answers
    PART = "part"  # modal: one part of a form longer than a modal allows
    NEXT = "next"  # button: open the next part of a multi-part form
    RETRY = "retry"  # button: reopen a rejected form with the answers filled in


@dataclass(frozen=True)
class CustomId:
    """A decoded custom id: the action and its argument."""

    action: Action
    arg: str

    def encode(self) -> str:
        text = f"{PREFIX}:{self.action}:{self.arg}"
        if len(text) > MAX_CUSTOM_ID:
            raise ValueError(f"custom id longer than {MAX_CUSTOM_ID} characters: {text[:40]}...")
        return text


def decode(custom_id: str) -> CustomId | None:
    """The action a custom id names, or None for ids this adapter did not make."""
    prefix, _, rest = custom_id.partition(":")
    action, _, arg = rest.partition(":")
    copy = prefix.removeprefix(PREFIX)
    if not prefix.startswith(PREFIX) or not (copy == "" or copy.isdigit()):
        return None
    if action not in Action.__members__.values():
        return None
    return CustomId(Action(action), arg)


def copy_of(custom_id: str, n: int) -> str | None:
    """The ``n``-th copy of one of this adapter's ids (``ob2:run:standup``), read by ``decode``
    exactly as the original: two buttons doing the same thing on one message need distinct ids
    (Discord refuses a custom id twice on a message). None when it would not fit or is not ours.
    """
    prefix, sep, rest = custom_id.partition(":")
    if prefix != PREFIX or not sep:
        return None
    copy = f"{PREFIX}{n}:{rest}"
    return copy if len(copy) <= MAX_CUSTOM_ID else None


def fits(action: Action, arg: str) -> bool:
    return len(f"{PREFIX}:{action}:{arg}") <= MAX_CUSTOM_ID


T = TypeVar("T")


class Stash(Generic[T]):
    """A bounded, expiring map from short random tokens to values (oldest dropped first)."""

    def __init__(self, *, size: int = 2048, ttl: float = 3600.0) -> None:
        self._items: OrderedDict[str, tuple[float, T]] = OrderedDict()
        self._size = size
        self._ttl = ttl

    def put(self, value: T) -> str:
        token = secrets.token_urlsafe(9)
        self._items[token] = (time.monotonic() + self._ttl, value)
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        return token

    def get(self, token: str) -> T | None:
        item = self._items.get(token)
        if item is None or item[0] < time.monotonic():
            self._items.pop(token, None)
            return None
        return item[1]

    def replace(self, token: str, value: T) -> None:
        if token in self._items:
            self._items[token] = (time.monotonic() + self._ttl, value)

    def pop(self, token: str) -> T | None:
        value = self.get(token)
        self._items.pop(token, None)
        return value

    def __len__(self) -> int:
        return len(self._items)


class RecentIds:
    """Ids seen lately, each remembered for ``ttl`` seconds and at most ``size`` of them (the
    oldest forgotten first), so memory stays bounded however many arrive."""

    def __init__(
        self,
        *,
        size: int = 10_000,
        ttl: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._seen: OrderedDict[int, float] = OrderedDict()  # id -> when it is forgotten
        self._size = size
        self._ttl = ttl
        self._clock = clock

    def first(self, item: int) -> bool:
        """True the first time ``item`` is seen (within its lifetime), False for a repeat."""
        now = self._clock()
        while self._seen and next(iter(self._seen.values())) <= now:
            self._seen.popitem(last=False)
        if item in self._seen:
            return False
        self._seen[item] = now + self._ttl
        while len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._seen)
