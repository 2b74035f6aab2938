"""Slack as a platform plugin: its settings, its command line, and the adapter built on demand.

Cheap to import: slack_bolt loads only when ``build`` runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.base import PlatformAdapter, PlatformSetupError, RunOptions, SettingsPlugin
from adapters.slack.settings import SlackSettings
from adapters.slack.store import SECRETS
from storage.secrets import SecretColumns

if TYPE_CHECKING:
    from bot.app import App


class SlackPlugin(SettingsPlugin):
    """One Slack app serving one workspace (a bot token) or many (OAuth installs)."""

    name = "slack"
    title = "Slack"
    settings_type = SlackSettings
    cli_module = "adapters.slack.cli"
    secret_columns: tuple[SecretColumns, ...] = SECRETS

    def build(self, core: App, settings: Any, options: RunOptions) -> PlatformAdapter:
        from adapters.slack.adapter import SlackAdapter
        from adapters.slack.config import SlackConfig, SlackSetupError

        try:
            key = core.settings.secret_key
            secret_key = key.get_secret_value() if key is not None else None
            config = SlackConfig.from_settings(settings, core.registry, secret_key)
        except SlackSetupError as exc:
            raise PlatformSetupError(str(exc)) from exc
        return SlackAdapter(core, config)


PLUGIN = SlackPlugin()
