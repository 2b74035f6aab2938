"""The platforms this build knows: the one place that names concrete adapters.

Adding a platform is a package under ``adapters/`` exposing ``PLUGIN`` plus one line here.
"""

from __future__ import annotations

from adapters.base import PlatformPlugin
from adapters.console.plugin import PLUGIN as CONSOLE
from adapters.discord.plugin import PLUGIN as DISCORD
from adapters.slack.plugin import PLUGIN as SLACK

PLUGINS: tuple[PlatformPlugin, ...] = (SLACK, DISCORD, CONSOLE)
"""In the order ``offerbound run`` considers them; the console is the fallback."""


def plugin(name: str) -> PlatformPlugin:
    """The plugin called ``name`` (``KeyError`` naming the known ones otherwise)."""
    for found in PLUGINS:
        if found.name == name:
            return found
    known = ", ".join(p.name for p in PLUGINS)
    raise KeyError(f"unknown platform {name!r}; known: {known}")
