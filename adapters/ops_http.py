"""Operator endpoints every HTTP-serving process offers: liveness, readiness and metrics.

`GET /healthz` says the process is up; `GET /readyz` checks the database and whether the platform
connection is up (load balancers route only to ready replicas); `GET /metrics` is Prometheus.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web
from sqlalchemy import text

from bot.app import App
from bot.metrics import CONTENT_TYPE_LATEST

log = logging.getLogger("offerbound.ops")


def add_ops_routes(
    router: web.UrlDispatcher, core: App, connected: Callable[[], bool] = lambda: True
) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def readyz(_request: web.Request) -> web.Response:
        checks = {"database": "ok", "platform": "connected" if connected() else "disconnected"}
        try:
            async with core.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # any database failure makes us unready
            log.warning("readiness check: database unreachable: %s", exc)
            checks["database"] = "unreachable"
        ready = checks["database"] == "ok" and checks["platform"] == "connected"
        return web.json_response({"ok": ready, **checks}, status=200 if ready else 503)

    async def metrics(_request: web.Request) -> web.Response:
        return web.Response(
            body=core.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    router.add_get("/healthz", healthz)
    router.add_get("/readyz", readyz)
    router.add_get("/metrics", metrics)


async def serve_ops(core: App, port: int, connected: Callable[[], bool]) -> web.AppRunner:
    """A small server with only the operator endpoints (Discord mode has no other HTTP)."""
    app = web.Application()
    add_ops_routes(app.router, core, connected)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", port).start()
    return runner
