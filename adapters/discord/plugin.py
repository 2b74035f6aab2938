"""Discord as a platform plugin: its settings, its command line, and the adapter built on demand.

Cheap to import: discord.py loads only when ``build`` runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.base import PlatformAdapter, PlatformSetupError, RunOptions, SettingsPlugin
from adapters.discord.settings import DiscordSettings

if TYPE_CHECKING:
    from bot.app import App


class DiscordPlugin(SettingsPlugin):
    """One bot user serving every server it is invited to, over the gateway."""

    name = "discord"
    title = "Discord"
    settings_type = DiscordSettings
    cli_module = "adapters.discord.cli"

    def build(self, core: App, settings: Any, options: RunOptions) -> PlatformAdapter:
        if not settings.configured():
            raise PlatformSetupError(
                "Discord is not available: DISCORD_TOKEN is not set. See docs/discord.md, "
                "or run `offerbound run --platform console`."
            )
        from adapters.discord.adapter import DiscordAdapter

        return DiscordAdapter(core, settings)


PLUGIN = DiscordPlugin()
