"""The composition root: the one place that wires settings, clock, storage and the command core.

Nothing is created at import time; tests build an app per test with their own settings and clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock, SystemClock
from bot.commands import build_registry
from bot.dispatch import Dispatcher
from bot.hooks import Hooks
from bot.invocation import Invocation
from bot.metrics import Metrics
from bot.platform import Platform
from bot.registry import Registry
from bot.replies import Reply
from bot.settings import Settings
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade


@dataclass
class App:
    """A running Offerbound core: adapters call ``handle`` and render what it returns."""

    settings: Settings
    clock: Clock
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    registry: Registry
    dispatcher: Dispatcher

    @property
    def hooks(self) -> Hooks:
        return self.dispatcher.hooks

    @property
    def metrics(self) -> Metrics:
        return self.dispatcher.metrics

    async def handle(self, invocation: Invocation) -> Reply:
        return await self.dispatcher.handle(invocation)

    def attach(self, platform: Platform) -> None:
        """A platform now serves this core: commands from it may ask it things (a channel's
        owner, someone's standing in their workspace)."""
        self.dispatcher.platforms[platform.name] = platform

    async def suggest(
        self, invocation: Invocation, command: str, param: str, typed: str
    ) -> list[tuple[str, str]]:
        """What to offer while ``param`` is typed (Discord's autocomplete)."""
        return await self.dispatcher.suggest(invocation, command, param, typed)

    async def close(self) -> None:
        await self.engine.dispose()

    async def __aenter__(self) -> App:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def build_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    *,
    engine: AsyncEngine | None = None,
    migrate: bool | None = None,
) -> App:
    """Wire an app; migrate the schema first unless told not to (``auto_migrate``)."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    engine = engine or create_engine(settings.database_url, settings.pool())
    if settings.auto_migrate if migrate is None else migrate:
        await upgrade(engine)
    sessions = session_factory(engine)
    registry = build_registry()
    dispatcher = Dispatcher(registry, sessions, clock, settings)
    return App(settings, clock, engine, sessions, registry, dispatcher)
