"""The dispatcher: the single entry point adapters call with an invocation, returning a reply."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.completion import complete
from bot.hooks import Hooks
from bot.locks import KeyedLocks, Slots
from bot.metrics import Metrics
from bot.middleware import DEFAULT_CHAIN, Call, Middleware, compose
from bot.platform import Platform
from bot.ratelimit import Throttle
from bot.replies import Reply

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.clock import Clock
    from bot.invocation import Invocation
    from bot.registry import Registry
    from bot.settings import Settings


class Dispatcher:
    """Runs invocations through the middleware chain to their command's handler."""

    def __init__(
        self,
        registry: Registry,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        settings: Settings,
        chain: Sequence[Middleware] = DEFAULT_CHAIN,
        hooks: Hooks | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.hooks = hooks or Hooks()
        self.locks = KeyedLocks()
        self.slots = Slots(settings.db_pool_size)  # commands in the database at once
        self.platforms: dict[str, Platform] = {}
        self.throttle: Throttle | None = Throttle()
        self.metrics = metrics or Metrics()
        self.metrics.waiting.set_function(lambda: self.slots.waiting)
        self.registry = registry
        self.sessions = sessions
        self.clock = clock
        self.settings = settings
        self._run = compose(chain)

    async def suggest(
        self, invocation: Invocation, command: str, param: str, typed: str
    ) -> list[tuple[str, str]]:
        """Autocomplete for ``param`` of ``command`` as ``invocation``'s user types ``typed``."""
        found = self.registry.get(command)
        declared = found.param(param) if found is not None else None
        if declared is None or not declared.completes:
            return []
        return await complete(self.registry, self.sessions, invocation, declared, typed)

    async def handle(self, invocation: Invocation) -> Reply:
        call = Call(
            invocation=invocation,
            registry=self.registry,
            settings=self.settings,
            clock=self.clock,
            sessions=self.sessions,
            now=self.clock.now(),
            hooks=self.hooks,
            metrics=self.metrics,
            locks=self.locks,
            slots=self.slots,
            throttle=self.throttle,
            platform=self.platforms.get(invocation.platform),
        )
        return await self._run(call)
