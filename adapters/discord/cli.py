"""`offerbound discord ...` and `offerbound run --platform discord`.

Cheap to import (bot/cli.py imports it for every command): discord.py and the registry load
only inside the commands that need them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger("offerbound.discord")

TREE_FILE = Path("deploy/discord/commands.json")

cli = typer.Typer(help="Discord: slash commands and set-up.", no_args_is_help=True)


def _load_settings() -> Settings:
    from bot.settings import Settings

    try:
        return Settings()
    except Exception as exc:  # pydantic's ValidationError: show it without a traceback
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _token(settings: Settings) -> str:
    return settings.discord_token.get_secret_value().strip() if settings.discord_token else ""


def _tree_json() -> str:
    from adapters.discord.tree import command_tree, problems, render_json
    from bot.commands import REGISTRY

    tree = command_tree(REGISTRY)
    found = problems(tree)
    if found:
        typer.echo("The generated command tree breaks Discord's limits:", err=True)
        for problem in found:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1)
    return render_json(tree)


@cli.command("commands")
def commands(
    check: Annotated[
        bool, typer.Option(help="Exit 1 when the file differs from the registry.")
    ] = False,
    write: Annotated[bool, typer.Option(help="Rewrite the file from the registry.")] = False,
    path: Annotated[Path, typer.Option(help="The committed copy of the tree.")] = TREE_FILE,
) -> None:
    """Print the slash-command tree generated from the registry (the JSON `sync` uploads)."""
    generated = _tree_json()
    if check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != generated:
            typer.echo(
                f"{path} is out of date; run `offerbound discord commands --write`.", err=True
            )
            raise typer.Exit(1)
        typer.echo(f"{path} matches the registry.")
        return
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated, encoding="utf-8")
        typer.echo(f"wrote {path}")
        return
    typer.echo(generated, nl=False)


@cli.command("sync")
def sync(
    guild: Annotated[
        int | None,
        typer.Option(help="Register for one server only (instant; global takes up to an hour)."),
    ] = None,
    clear: Annotated[
        bool, typer.Option(help="Remove the commands instead (e.g. a test server's copy).")
    ] = False,
) -> None:
    """Register the slash commands with Discord, globally or for one server."""
    import aiohttp
    import discord

    settings = _load_settings()
    if not _token(settings):
        typer.echo("Set DISCORD_TOKEN (the bot token) first; see docs/discord.md.", err=True)
        raise typer.Exit(2)
    tree = "[]" if clear else _tree_json()
    try:
        count = asyncio.run(sync_commands(settings, tree, guild))
    except discord.LoginFailure:
        typer.echo("Discord refused the token: check DISCORD_TOKEN.", err=True)
        raise typer.Exit(1) from None
    except discord.HTTPException as exc:
        typer.echo(f"Discord refused the commands: {exc}", err=True)
        raise typer.Exit(1) from None
    except (aiohttp.ClientError, OSError) as exc:
        typer.echo(f"Could not reach Discord: {exc.__class__.__name__}: {exc}", err=True)
        raise typer.Exit(1) from None
    where = f"server {guild}" if guild else "every server (global)"
    if clear:
        typer.echo(f"Removed the slash commands of {where}.")
    else:
        typer.echo(f"Registered {count} slash commands for {where}.")


async def sync_commands(settings: Settings, tree_json: str, guild_id: int | None) -> int:
    """Overwrite the application's commands with the tree in one bulk request."""
    import json

    from adapters.discord.connection import endpoints, make_client

    assert settings.discord_token is not None
    payload = json.loads(tree_json)
    with endpoints(settings.discord_api_url, settings.discord_gateway_url):
        client = make_client(settings)
        try:
            await client.login(settings.discord_token.get_secret_value())
            app_id = client.application_id
            assert app_id is not None
            if guild_id is None:
                done = await client.http.bulk_upsert_global_commands(app_id, payload=payload)
            else:
                done = await client.http.bulk_upsert_guild_commands(
                    app_id, guild_id, payload=payload
                )
        finally:
            await client.close()
    return len(done)


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[asyncio.Event]:
    """Make SIGTERM (systemd, docker stop) a clean stop, like Ctrl-C; the event says it came."""
    terminated = asyncio.Event()
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()

    def stop() -> None:
        terminated.set()
        if task is not None:
            task.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, stop)
    except (NotImplementedError, RuntimeError):  # no signals on this loop (Windows, a thread)
        yield terminated
        return
    try:
        yield terminated
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


async def serve(settings: Settings, *, port: int) -> None:
    """Run the bot on Discord until interrupted; ``port`` serves /healthz, /readyz, /metrics."""
    if not _token(settings):
        print(
            "Discord is not available: DISCORD_TOKEN is not set. "
            "See docs/discord.md, or run `offerbound run --platform console`.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    import aiohttp
    import discord

    from adapters.discord.adapter import DiscordAdapter
    from adapters.ops_http import serve_ops
    from bot.app import build_app

    app = await build_app(settings)
    adapter = DiscordAdapter(app, settings)
    ops = None
    try:  # /healthz, /readyz and /metrics for load balancers and Prometheus
        ops = await serve_ops(app, port, lambda: adapter.client.is_ready())
    except OSError as exc:
        print(f"Operator endpoints not served: port {port}: {exc}", file=sys.stderr)
    scheduling = None
    if settings.scheduler:
        from bot.scheduling.service import SchedulingService

        scheduling = SchedulingService(app, {adapter.platform: adapter})
        await scheduling.start()
    try:
        with _sigterm_stops() as terminated:
            try:
                await adapter.run()
            except asyncio.CancelledError:
                if not terminated.is_set():
                    raise
    except discord.LoginFailure:
        print("Discord refused the token: check DISCORD_TOKEN.", file=sys.stderr)
        raise SystemExit(1) from None
    except discord.PrivilegedIntentsRequired:
        print("Discord refused an intent; see docs/discord.md.", file=sys.stderr)
        raise SystemExit(1) from None
    except (aiohttp.ClientError, OSError) as exc:
        print(f"Could not reach Discord: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        if scheduling is not None:
            await scheduling.stop()
        await adapter.stop()
        if ops is not None:
            await ops.cleanup()
        await app.close()
