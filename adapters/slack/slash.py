"""Slash command names: one top-level command (``/ob apply ...``) plus short aliases.

Slack has no sub-commands, so everything goes through one command; a few aliases (``/apply``)
save typing for the most used ones. Both are configurable so they never clash with other apps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.registry import Command, Registry

_NAME = re.compile(r"/[a-z0-9][a-z0-9_-]{0,30}")


class SlashConfigError(ValueError):
    """The configured slash command names are not usable; the message says which and why."""


@dataclass(frozen=True)
class SlashCommand:
    """A slash command Slack sends us; ``prefix`` is the registry command an alias stands for."""

    name: str
    prefix: str = ""
    command: Command | None = None

    def line(self, text: str) -> str:
        """The core command line for what the user typed after the slash command."""
        return f"{self.prefix} {text}".strip() if self.prefix else text.strip()


def slash_commands(main: str, aliases: str, registry: Registry) -> tuple[SlashCommand, ...]:
    """Parse ``OFFERBOUND_SLACK_COMMAND`` and ``OFFERBOUND_SLACK_ALIASES``.

    Aliases are comma-separated: ``apply`` (``/apply`` runs ``apply``) or ``/job=apply``.
    """
    commands = [SlashCommand(_checked(main.strip().lower()))]
    for item in filter(None, (part.strip() for part in aliases.split(","))):
        slash, _, target = item.partition("=")
        if not target:
            slash, target = "/" + item.lstrip("/"), item.lstrip("/")
        command = registry.get(target.strip())
        if command is None:
            raise SlashConfigError(
                f"alias {item!r}: there is no command {target.strip()!r} "
                "(use a name from /help, e.g. apply or `/job=apply`)"
            )
        commands.append(SlashCommand(_checked(slash.strip().lower()), command.name, command))
    _unique(c.name for c in commands)
    return tuple(commands)


def _checked(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise SlashConfigError(
            f"{name!r} is not a Slack slash command name: start with / and use up to 31 "
            "lower-case letters, digits, - or _ (e.g. /ob)"
        )
    return name


def _unique(names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise SlashConfigError(f"slash command {name} is configured twice")
        seen.add(name)
