"""The process's one HTTP server: operator endpoints, calendar feeds and every platform's routes.

Whatever platforms run, one aiohttp server serves ``GET /healthz`` (the process is up),
``GET /readyz`` (the database answers and every platform is connected; 503 while stopping, so a
load balancer drains this replica first), ``GET /metrics`` (Prometheus), members' private
calendar feeds, the coach's dashboard (``/dashboard/``, see ``offerbound.dashboard``), and the
routes each platform asks for (Slack's events and OAuth pages). With
``OFFERBOUND_OPS_ADDR`` the three operator endpoints move to a second, private address.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from aiohttp import web
from sqlalchemy import text

from adapters.base import PlatformAdapter
from bot.app import App
from bot.calendar.feed import FEED_ROUTE, CalendarFeed, TooMany
from bot.metrics import CONTENT_TYPE_LATEST
from offerbound.dashboard import DashboardSite

log = logging.getLogger("offerbound.http")


class HttpServer:
    """Routes assembled once at start; ``port`` 0 picks a free port (tests)."""

    def __init__(
        self,
        core: App,
        platforms: Sequence[PlatformAdapter],
        *,
        host: str = "0.0.0.0",
        port: int = 3000,
        ops_addr: str | None = None,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        self.core = core
        self.platforms = list(platforms)
        self.host = host
        self.port = port
        self.ops_addr = ops_addr
        self.stopping = stopping
        self._runners: list[web.AppRunner] = []
        self.feeds = CalendarFeed(core)
        self.dashboard = DashboardSite(core)
        self.bound_port: int | None = None
        self.ops_port: int | None = None

    # -- the applications ----------------------------------------------------------------

    def application(self) -> web.Application:
        """The public application: feeds, the dashboard, platform routes, and ops unless they
        live apart."""
        app = web.Application()
        app.router.add_get(FEED_ROUTE, self._calendar_feed)
        app.router.add_routes(self.dashboard.routes())
        for platform in self.platforms:
            app.router.add_routes(platform.routes())
        if self.ops_addr is None:
            self._add_ops_routes(app.router)
        return app

    def ops_application(self) -> web.Application:
        app = web.Application()
        self._add_ops_routes(app.router)
        return app

    def _add_ops_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/healthz", self._healthz)
        router.add_get("/readyz", self._readyz)
        router.add_get("/metrics", self._metrics)

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> int:
        """Bind and serve; returns the public port (``OSError`` when it is taken)."""
        self.bound_port = await self._serve(self.application(), self.host, self.port)
        if self.ops_addr is not None:
            host, _, port = self.ops_addr.rpartition(":")
            self.ops_port = await self._serve(self.ops_application(), host, int(port))
        return self.bound_port

    async def _serve(self, app: web.Application, host: str, port: int) -> int:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, host, port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or ()
        return int(sockets[0].getsockname()[1]) if sockets else port

    async def stop(self) -> None:
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners = []

    # -- handlers -----------------------------------------------------------------------

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def _readyz(self, _request: web.Request) -> web.Response:
        platforms = {
            p.name: "connected" if p.connected() else "disconnected" for p in self.platforms
        }
        checks: dict[str, object] = {
            "database": "ok",
            "platform": "connected"
            if all(v == "connected" for v in platforms.values())
            else "disconnected",
            "platforms": platforms,
        }
        try:
            async with self.core.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # any database failure makes us unready
            log.warning("readiness check: database unreachable: %s", exc)
            checks["database"] = "unreachable"
        if self.stopping():
            checks["stopping"] = True
        ready = (
            checks["database"] == "ok" and checks["platform"] == "connected" and not self.stopping()
        )
        return web.json_response({"ok": ready, **checks}, status=200 if ready else 503)

    async def _metrics(self, _request: web.Request) -> web.Response:
        return web.Response(
            body=self.core.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    async def _calendar_feed(self, request: web.Request) -> web.Response:
        """A member's private calendar subscription (``/calendar subscribe``); 404 if revoked."""
        try:
            body = await self.feeds.get(request.match_info["token"])
        except TooMany as exc:
            wait = str(max(1, round(exc.after)))
            return web.Response(
                status=429, text="Too many requests.", headers={"Retry-After": wait}
            )
        if body is None:
            return web.Response(status=404, text="No such calendar.")
        headers = {"Cache-Control": "private, max-age=900", "X-Robots-Tag": "noindex"}
        return web.Response(body=body, content_type="text/calendar", headers=headers)
