"""Errors a user can fix: each carries a friendly message and is rendered with usage and example.

Messages are plain strings or ``Text`` (from ``bot.replies.t`` templates when they show a command
in code marks); a usage error may name the parameter it is about, so a form can show the message
on that very field.
"""

from __future__ import annotations

from bot.replies import Rich, rich_marked


class UserError(Exception):
    """Something the user asked for cannot be done as asked; the message says why and how."""

    def __init__(self, message: Rich, *, hint: Rich = "", param: str | None = None) -> None:
        super().__init__(rich_marked(message))
        self.message = message
        self.hint = hint
        self.param = param


class UsageError(UserError):
    """The command's arguments were wrong: the reply adds the usage line and an example."""


class NotFound(UserError):
    """An id the user gave does not name anything they may see (in their own tenant)."""


class PermissionDenied(UserError):
    """The user's role does not allow this command."""


class NeedsCohort(UserError):
    """The command only makes sense inside a cohort the user has not joined yet."""

    def __init__(self) -> None:
        from bot.replies import t

        super().__init__(
            "You are not in a cohort yet.",
            hint=t("Join one with `/cohort join NAME` (ask your coach for the name)."),
        )
