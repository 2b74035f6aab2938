"""The composition root: one process's core, platforms, HTTP server, scheduler and delivery.

``offerbound run`` (and the tests that run it for real) build a ``Runtime`` here and nowhere
else: the core, any set of platforms (``--platform slack,discord``), one shared HTTP server, the
scheduling service delivering through those platforms. SIGTERM and SIGINT stop it in order:
``/readyz`` turns 503, the delivery batch in flight finishes and anything still held is handed
back, platforms finish the replies they are writing and disconnect, then the HTTP server and the
database close.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from adapters.base import PlatformAdapter, PlatformPlugin, RunOptions
from bot.app import App, build_app
from bot.calendar.feed import public_url
from bot.clock import Clock
from bot.scheduling.service import SchedulingService
from bot.settings import Settings
from offerbound.dashboard import PREFIX as DASHBOARD
from offerbound.http import HttpServer

log = logging.getLogger("offerbound.runtime")
DEFAULT_PORT = 3000


class PortUnavailable(Exception):
    """The HTTP port could not be bound (taken, or not ours to take)."""


@dataclass
class Chosen:
    """A platform picked for this process, with the settings it read."""

    plugin: PlatformPlugin
    settings: Any


@dataclass
class Runtime:
    """Everything one process runs, started and stopped in order."""

    core: App
    platforms: list[PlatformAdapter]
    http: HttpServer | None = None
    scheduling: SchedulingService | None = None
    banners: bool = True
    out: TextIO = field(default_factory=lambda: sys.stderr)
    _stopping: bool = False
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def stopping(self) -> bool:
        return self._stopping

    def request_stop(self) -> None:
        """Begin a clean stop (what SIGTERM does)."""
        self._stop.set()

    async def start(self) -> None:
        """HTTP first (so liveness answers while a gateway connects), then the platforms, then
        the scheduler and delivery."""
        if self.http is not None:
            try:
                await self.http.start()
            except OSError as exc:
                await self.http.stop()
                raise PortUnavailable(
                    f"cannot serve HTTP on {self.http.host}:{self.http.port}: {exc.strerror or exc}"
                ) from exc
        for platform in self.platforms:
            await platform.start()
        if self.scheduling is not None:
            await self.scheduling.start()
        if self.banners:
            port = self.http.bound_port if self.http else None
            for platform in self.platforms:
                self._say(platform.describe(port))
            base = public_url(self.core.settings)
            if self.http is not None and base:
                self._say(f"Dashboard: {base}{DASHBOARD}/")

    async def serve(self) -> None:
        """Start, run until told to stop or until a platform ends by itself, then stop."""
        try:
            with _signals_stop(self.request_stop):
                await self.start()
                stop = asyncio.ensure_future(self._stop.wait())
                ended = [asyncio.ensure_future(p.wait_closed()) for p in self.platforms]
                try:
                    done, _ = await asyncio.wait(
                        [stop, *ended], return_when=asyncio.FIRST_COMPLETED
                    )
                finally:
                    for waiter in (stop, *ended):
                        waiter.cancel()
                for finished in done:
                    if finished is not stop and finished.exception() is not None:
                        raise finished.exception()  # type: ignore[misc]
        finally:
            await self.stop()

    async def stop(self) -> None:
        """Stop everything that started, in order; safe to call twice."""
        if self._stopping:
            return
        self._stopping = True
        if self.banners and any(p.name != "console" for p in self.platforms):
            self._say("Offerbound: stopping")
        if self.scheduling is not None:
            await self.scheduling.stop()
        for platform in reversed(self.platforms):
            try:
                await platform.stop()
            except Exception:
                log.exception("stopping %s failed", platform.name)
        if self.http is not None:
            await self.http.stop()
        await self.core.close()

    def _say(self, line: str) -> None:
        if line:
            print(line, file=self.out, flush=True)


async def build_runtime(
    settings: Settings,
    chosen: Sequence[Chosen],
    *,
    port: int | None = None,
    host: str = "0.0.0.0",
    options: RunOptions | None = None,
    clock: Clock | None = None,
    core: App | None = None,
    out: TextIO | None = None,
) -> Runtime:
    """Wire a runtime for ``chosen`` platforms; nothing is started yet.

    The HTTP server runs when a platform needs it (Slack, Discord) on ``port`` (3000 by default),
    or on any ``port`` given explicitly (the console's calendar feeds, the dashboard).
    """
    options = options or RunOptions()
    core = core or await build_app(settings, clock)
    try:
        platforms = [c.plugin.build(core, c.settings, options) for c in chosen]
    except BaseException:
        await core.close()
        raise
    runtime = Runtime(core, platforms, out=out or sys.stderr)
    runtime.banners = any(c.plugin.serves_http for c in chosen) or port is not None
    if port is not None or any(c.plugin.serves_http for c in chosen):
        runtime.http = HttpServer(
            core,
            platforms,
            host=host,
            port=DEFAULT_PORT if port is None else port,
            ops_addr=settings.ops_addr,
            stopping=lambda: runtime.stopping,
        )
    if settings.scheduler:
        runtime.scheduling = SchedulingService(core, {p.name: p for p in platforms})
    return runtime


@contextlib.contextmanager
def _signals_stop(stop: Any) -> Any:
    """SIGTERM (systemd, ``docker stop``) and Ctrl-C begin a clean stop while the block runs."""
    loop = asyncio.get_running_loop()
    installed = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, stop)
            installed.append(signum)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
            pass
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
