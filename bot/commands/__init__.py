"""Every command module, gathered into one registry (a duplicate name fails right here)."""

from __future__ import annotations

from bot.commands import (
    applications,
    calendar,
    career,
    charts,
    checkins,
    cohort,
    contacts,
    dashboard,
    exports,
    followups,
    github,
    goals,
    help,
    history,
    me,
    plan,
    practice,
    privacy,
    review,
    schedule,
    social,
    stats,
)
from bot.registry import Command, Registry

MODULES = (
    help,
    cohort,
    me,
    dashboard,
    applications,
    contacts,
    practice,
    github,
    followups,
    stats,
    social,
    history,
    checkins,
    schedule,
    exports,
    charts,
    calendar,
    plan,
    goals,
    career,
    review,
    privacy,
)


def all_commands() -> list[Command]:
    return [command for module in MODULES for command in module.commands.commands]


def build_registry() -> Registry:
    """A fresh registry of every command (raises DuplicateCommand on a clash)."""
    return Registry(all_commands())


REGISTRY = build_registry()
