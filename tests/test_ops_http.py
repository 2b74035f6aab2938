"""Operator endpoints on the runtime's HTTP server: readiness follows the database and every
platform, turns 503 while stopping, and the endpoints can live on a private address."""

from __future__ import annotations

import aiohttp

from adapters.console import ConsoleAdapter
from bot.app import App, build_app
from bot.settings import Settings
from offerbound.http import HttpServer


class Disconnected(ConsoleAdapter):
    """A platform whose connection is down (a gateway reconnecting)."""

    name = "discord"

    def connected(self) -> bool:
        return False


async def get(url: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.json()


async def serve(core: App, platforms: list, **options: object) -> HttpServer:
    server = HttpServer(core, platforms, host="127.0.0.1", port=0, **options)  # type: ignore[arg-type]
    await server.start()
    return server


async def test_unreachable_database_makes_the_replica_unready_but_alive() -> None:
    broken = Settings(database_url="postgresql://nobody@127.0.0.1:1/none", _env_file=None)
    core = await build_app(broken, migrate=False)
    server = await serve(core, [ConsoleAdapter(core)])
    base = f"http://127.0.0.1:{server.bound_port}"
    try:
        assert (await get(f"{base}/healthz"))[0] == 200
        status, body = await get(f"{base}/readyz")
        assert status == 503 and body["database"] == "unreachable"
    finally:
        await server.stop()
        await core.close()


async def test_a_disconnected_platform_makes_the_replica_unready(settings: Settings) -> None:
    core = await build_app(settings, migrate=False)
    server = await serve(core, [ConsoleAdapter(core), Disconnected(core)])
    try:
        status, body = await get(f"http://127.0.0.1:{server.bound_port}/readyz")
        assert status == 503
        assert body == {
            "ok": False,
            "database": "ok",
            "platform": "disconnected",
            "platforms": {"console": "connected", "discord": "disconnected"},
        }
    finally:
        await server.stop()
        await core.close()


async def test_a_stopping_replica_is_unready_so_balancers_drain_it(settings: Settings) -> None:
    core = await build_app(settings, migrate=False)
    stopping = False
    server = await serve(core, [ConsoleAdapter(core)], stopping=lambda: stopping)
    try:
        assert (await get(f"http://127.0.0.1:{server.bound_port}/readyz"))[0] == 200
        stopping = True
        status, body = await get(f"http://127.0.0.1:{server.bound_port}/readyz")
        assert status == 503 and body["stopping"] is True
    finally:
        await server.stop()
        await core.close()


async def test_ops_endpoints_can_live_on_a_private_address(settings: Settings) -> None:
    core = await build_app(settings, migrate=False)
    server = await serve(core, [ConsoleAdapter(core)], ops_addr="127.0.0.1:0")
    try:
        assert (await get(f"http://127.0.0.1:{server.ops_port}/readyz"))[0] == 200
        async with aiohttp.ClientSession() as http:
            public = f"http://127.0.0.1:{server.bound_port}"
            async with http.get(f"{public}/metrics") as response:
                assert response.status == 404
            async with http.get(f"{public}/calendar/unknown.ics") as response:
                assert response.status == 404 and await response.text() == "No such calendar."
    finally:
        await server.stop()
        await core.close()


async def test_commands_answer_try_again_while_the_database_is_down() -> None:
    broken = Settings(database_url="postgresql://nobody@127.0.0.1:1/none", _env_file=None)
    core = await build_app(broken, migrate=False)
    try:
        reply = await ConsoleAdapter(core).say("alice", '/apply Stripe "Backend Engineer"')
        assert "try again in a moment" in reply and "Traceback" not in reply
        metrics = core.metrics.render().decode()
        assert 'offerbound_commands_total{command="apply",outcome="error"} 1.0' in metrics
    finally:
        await core.close()
