"""The console as a platform plugin: no settings, no tokens, always available."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.base import PlatformAdapter, RunOptions
from storage.secrets import SecretColumns

if TYPE_CHECKING:
    import typer

    from bot.app import App


class ConsolePlugin:
    """The terminal: what ``offerbound run`` serves when no platform token is configured."""

    name = "console"
    title = "Console"
    serves_http = False
    secret_columns: tuple[SecretColumns, ...] = ()  # the console stores no credential

    def load_settings(self) -> None:
        return None

    def configured(self, settings: Any) -> bool:
        return False  # never picked by its settings: it is the fallback

    def secrets(self, settings: Any) -> list[str]:
        return []

    def cli(self) -> typer.Typer | None:
        return None

    def build(self, core: App, settings: Any, options: RunOptions) -> PlatformAdapter:
        from adapters.console.adapter import ConsoleAdapter

        return ConsoleAdapter(core, user=options.as_user, interactive=options.interactive)


PLUGIN = ConsolePlugin()
