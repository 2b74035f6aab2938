"""Serving the Slack adapter: an aiohttp server for HTTP mode, OAuth and health checks.

``serve`` is what ``offerbound run --platform slack`` runs. The HTTP server always runs (for
``GET /healthz`` and the OAuth pages); Slack's requests arrive on ``POST /slack/events`` in HTTP
mode, or over Socket Mode's WebSocket when ``SLACK_APP_TOKEN`` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

from adapters.ops_http import add_ops_routes
from adapters.slack.adapter import SlackAdapter
from adapters.slack.config import SlackConfig, SlackSetupError
from adapters.slack.manifest import EVENTS_PATH
from bot.app import build_app
from bot.calendar.feed import FEED_ROUTE, calendar_for_token
from bot.commands import REGISTRY
from bot.settings import Settings

log = logging.getLogger("offerbound.slack")

__all__ = ["SlackSetupError", "serve", "start_http", "web_app"]


def web_app(adapter: SlackAdapter) -> web.Application:
    """The routes Slack and operators use: events, OAuth install and redirect, health."""
    app = web.Application()

    async def events(request: web.Request) -> web.Response:
        response = await adapter.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def calendar_feed(request: web.Request) -> web.Response:
        """A member's private calendar subscription (``/calendar subscribe``); 404 if revoked."""
        body = await calendar_for_token(adapter.core, request.match_info["token"])
        if body is None:
            return web.Response(status=404, text="No such calendar.")
        headers = {"Cache-Control": "private, max-age=900", "X-Robots-Tag": "noindex"}
        return web.Response(body=body, content_type="text/calendar", headers=headers)

    add_ops_routes(app.router, adapter.core, adapter.connected)
    if not adapter.config.socket_mode:
        app.router.add_post(EVENTS_PATH, events)
        app.router.add_get(FEED_ROUTE, calendar_feed)
    flow = adapter.bolt.oauth_flow
    if flow is not None:

        async def install(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await flow.handle_installation(await to_bolt_request(request))
            )

        async def redirect(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await flow.handle_callback(await to_bolt_request(request))
            )

        app.router.add_get(flow.install_path, install)
        app.router.add_get(flow.redirect_uri_path, redirect)
    return app


async def start_http(
    adapter: SlackAdapter, *, host: str = "0.0.0.0", port: int = 3000
) -> tuple[web.AppRunner, int]:
    """Serve ``adapter`` on ``host:port`` (0 picks a free port); returns the runner and port."""
    runner = web.AppRunner(web_app(adapter), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    sockets = site._server.sockets if site._server else ()  # type: ignore[union-attr]
    bound = sockets[0].getsockname()[1] if sockets else port
    return runner, bound


async def serve(settings: Settings, *, port: int, host: str = "0.0.0.0") -> None:
    """Run until Ctrl-C or SIGTERM: build the core, serve HTTP, connect Socket Mode if set.

    On SIGTERM (``docker stop``, systemd) replies in flight are finished before it returns.
    """
    config = SlackConfig.from_settings(settings, REGISTRY)
    core = await build_app(settings)
    adapter = SlackAdapter(core, config)
    runner: web.AppRunner | None = None
    scheduling = None
    try:
        runner, bound = await start_http(adapter, host=host, port=port)
        await adapter.start()
        if settings.scheduler:
            from bot.scheduling.service import SchedulingService

            scheduling = SchedulingService(core, {adapter.platform: adapter})
            await scheduling.start()
        mode = "Socket Mode" if config.socket_mode else f"HTTP on {EVENTS_PATH}"
        install = " · install at /slack/install" if config.oauth else ""
        print(
            f"Offerbound on Slack: {mode}, port {bound} (GET /healthz){install}",
            file=sys.stderr,
            flush=True,
        )
        stopping = asyncio.Event()
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
        await stopping.wait()
        print("Offerbound on Slack: stopping", file=sys.stderr, flush=True)
    finally:
        if scheduling is not None:
            await scheduling.stop()
        await adapter.stop()
        if runner is not None:
            await runner.cleanup()
        await core.close()
