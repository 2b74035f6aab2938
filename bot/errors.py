"""Errors a user can fix: each carries a friendly message and is rendered with usage and example."""

from __future__ import annotations


class UserError(Exception):
    """Something the user asked for cannot be done as asked; the message says why and how."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(UserError):
    """The command's arguments were wrong: the reply adds the usage line and an example."""


class NotFound(UserError):
    """An id the user gave does not name anything they may see (in their own tenant)."""


class PermissionDenied(UserError):
    """The user's role does not allow this command."""


class NeedsCohort(UserError):
    """The command only makes sense inside a cohort the user has not joined yet."""

    def __init__(self) -> None:
        super().__init__(
            "You are not in a cohort yet.",
            hint="Join one with `/cohort join NAME` (ask your coach for the name).",
        )
