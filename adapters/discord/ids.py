"""Component and modal custom ids: what a button press or modal submission must do, in 100 chars.

Most ids carry everything needed (``ob:run:followup done A1``), so buttons keep working across
restarts. What cannot fit (a long command line, a half-filled multi-part form) is kept in a small
in-memory ``Stash`` under a short token; such ids expire with the process.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

MAX_CUSTOM_ID = 100
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
    if prefix != PREFIX or action not in Action.__members__.values():
        return None
    return CustomId(Action(action), arg)


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
