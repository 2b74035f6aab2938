"""Every command module, gathered into one registry (a duplicate name fails right here).

A module in this package that declares ``commands = CommandSet()`` is found by itself: adding a
command, even in a new module, touches no list.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from bot.registry import Command, CommandSet, Registry


def command_modules() -> list[ModuleType]:
    """The modules of this package that declare commands, in name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "commands", None), CommandSet):
            found.append(module)
    return found


def all_commands() -> list[Command]:
    return [command for module in command_modules() for command in module.commands.commands]


def build_registry() -> Registry:
    """A fresh registry of every command (raises DuplicateCommand on a clash)."""
    return Registry(all_commands())


REGISTRY = build_registry()
