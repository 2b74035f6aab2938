"""`offerbound discord ...`: print, check and sync the generated slash-command tree.

Cheap to import (the command line loads it on every start): discord.py and the registry load
only inside the commands that need them.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from adapters.discord.settings import DiscordSettings

log = logging.getLogger("offerbound.discord")

TREE_FILE = Path("deploy/discord/commands.json")

cli = typer.Typer(help="Discord: slash commands and set-up.", no_args_is_help=True)


def _load_settings() -> DiscordSettings:
    from adapters.discord.settings import DiscordSettings

    try:
        return DiscordSettings()
    except Exception as exc:  # pydantic's ValidationError: show it without a traceback
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


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
    if not settings.configured():
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


async def sync_commands(settings: DiscordSettings, tree_json: str, guild_id: int | None) -> int:
    """Overwrite the application's commands with the tree in one bulk request."""
    import json

    from adapters.discord.connection import endpoints, make_client

    payload = json.loads(tree_json)
    with endpoints(settings.api_url, settings.gateway_url):
        client = make_client(settings)
        try:
            await client.login(settings.token_value())
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
