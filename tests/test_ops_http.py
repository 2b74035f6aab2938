"""Operator endpoints: readiness follows the database and the platform connection."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.ops_http import add_ops_routes
from bot.app import build_app
from bot.settings import Settings


async def client_for(core, connected=lambda: True) -> TestClient:
    app = web.Application()
    add_ops_routes(app.router, core, connected)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


async def test_unreachable_database_makes_the_replica_unready_but_alive() -> None:
    broken = Settings(database_url="postgresql://nobody@127.0.0.1:1/none", _env_file=None)
    core = await build_app(broken, migrate=False)
    client = await client_for(core)
    try:
        assert (await client.get("/healthz")).status == 200
        response = await client.get("/readyz")
        assert response.status == 503
        assert (await response.json())["database"] == "unreachable"
    finally:
        await client.close()
        await core.close()


async def test_a_disconnected_platform_makes_the_replica_unready(settings: Settings) -> None:
    core = await build_app(settings, migrate=False)
    client = await client_for(core, connected=lambda: False)
    try:
        response = await client.get("/readyz")
        assert response.status == 503
        assert await response.json() == {
            "ok": False,
            "database": "ok",
            "platform": "disconnected",
        }
    finally:
        await client.close()
        await core.close()


async def test_commands_answer_try_again_while_the_database_is_down() -> None:
    from adapters.console import ConsoleAdapter

    broken = Settings(database_url="postgresql://nobody@127.0.0.1:1/none", _env_file=None)
    core = await build_app(broken, migrate=False)
    try:
        reply = await ConsoleAdapter(core).say("alice", '/apply Stripe "Backend Engineer"')
        assert "try again in a moment" in reply and "Traceback" not in reply
        metrics = core.metrics.render().decode()
        assert 'offerbound_commands_total{command="apply",outcome="error"} 1.0' in metrics
    finally:
        await core.close()
