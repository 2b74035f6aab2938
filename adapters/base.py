"""The contract every platform package implements, so one runtime can run any set of them.

A platform package ``adapters/<name>/`` exposes ``PLUGIN`` (a ``PlatformPlugin``): how to read its
settings, whether they are configured, which secrets to keep out of the logs, its command-line
subcommands, and how to build the running platform from the core. The running platform (a
``PlatformAdapter``) adds a lifecycle and HTTP routes to the core's port, ``bot.platform.Platform``
(capabilities, ``send``, ``was_delivered``). Composition, not inheritance: an adapter holds the
core ``App``; nothing subclasses the bot. Plugins must stay cheap to import (no SDK at module
level): the command line loads every one of them on each start.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from bot.platform import Platform
from storage.secrets import SecretColumns

if TYPE_CHECKING:
    import typer
    from aiohttp import web

    from bot.app import App


class PlatformSetupError(Exception):
    """The platform's settings are missing or inconsistent; the message names what to set."""


class PlatformUnavailable(Exception):
    """The platform refused to let us in, or could not be reached, while starting."""


@dataclass(frozen=True)
class RunOptions:
    """How ``offerbound run`` was asked to run (only the console reads these today)."""

    as_user: str = "me"
    interactive: bool = False


class PlatformAdapter(Platform, Protocol):
    """A platform while it runs: started, served over the shared HTTP server, stopped."""

    def routes(self) -> Sequence[web.RouteDef]:
        """HTTP routes this platform needs on the runtime's one server (Slack's events, OAuth)."""
        ...

    def connected(self) -> bool:
        """Ready to serve (for ``/readyz``): a gateway or socket is up, or none is needed."""
        ...

    def describe(self, port: int | None) -> str:
        """One line for the operator saying how this platform is being served."""
        ...

    async def start(self) -> None:
        """Connect and begin handing invocations to the core; returns once serving."""
        ...

    async def wait_closed(self) -> None:
        """Return when the platform ends by itself (the console's input ran out, a gateway
        closed for good); raise ``PlatformUnavailable`` when it ended in failure."""
        ...

    async def stop(self) -> None:
        """Stop taking work, let replies in flight finish, then disconnect."""
        ...


class PlatformPlugin(Protocol):
    """How the runtime finds, configures and builds one platform."""

    name: str
    title: str  # how operators read its name: "Slack"
    serves_http: bool  # whether running it needs the HTTP server (the console does not)
    secret_columns: tuple[SecretColumns, ...]  # its encrypted columns, for `secrets reencrypt`

    def load_settings(self) -> Any:
        """Read this platform's settings from the environment and ``.env``."""
        ...

    def configured(self, settings: Any) -> bool:
        """Whether the settings name this platform (a token is set), so ``run`` picks it."""
        ...

    def secrets(self, settings: Any) -> list[str]:
        """Every secret value in ``settings``, so logs can redact them."""
        ...

    def cli(self) -> typer.Typer | None:
        """Subcommands under ``offerbound <name>`` (the manifest, command sync), if any."""
        ...

    def build(self, core: App, settings: Any, options: RunOptions) -> PlatformAdapter:
        """The running platform; raises ``PlatformSetupError`` for unusable settings."""
        ...


class PlatformSettings(Protocol):
    """What a platform's settings model (pydantic-settings) tells the plugin about itself."""

    def configured(self) -> bool: ...

    def secrets(self) -> list[str]: ...


class SettingsPlugin:
    """The common shape of a plugin whose settings come from one pydantic-settings model and
    whose subcommands live in ``cli_module`` (imported only when the command line asks)."""

    name: str
    title: str
    serves_http = True
    secret_columns: tuple[SecretColumns, ...] = ()
    settings_type: type[PlatformSettings]
    cli_module: str | None = None

    def load_settings(self) -> Any:
        return self.settings_type()

    def configured(self, settings: Any) -> bool:
        return bool(settings.configured())

    def secrets(self, settings: Any) -> list[str]:
        return list(settings.secrets())

    def cli(self) -> typer.Typer | None:
        if self.cli_module is None:
            return None
        commands: typer.Typer = importlib.import_module(self.cli_module).cli
        return commands


__all__ = [
    "PlatformAdapter",
    "PlatformPlugin",
    "PlatformSettings",
    "PlatformSetupError",
    "PlatformUnavailable",
    "RunOptions",
    "SettingsPlugin",
]
