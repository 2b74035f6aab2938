"""The `offerbound` command line: run the bot, play the demo, migrate the database."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import sys
import tempfile
from datetime import date
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

from bot.settings import Settings

cli = typer.Typer(
    help="Offerbound: the accountability bot for job-search cohorts.",
    no_args_is_help=True,
    add_completion=False,
)
db_cli = typer.Typer(help="Database schema commands.", no_args_is_help=True)
docs_cli = typer.Typer(help="Generated documentation.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(docs_cli, name="docs")


class Platform(StrEnum):
    console = "console"
    slack = "slack"
    discord = "discord"


def _settings() -> Settings:
    try:
        settings = Settings()
    except Exception as exc:  # pydantic's ValidationError: show it without a traceback
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc
    from bot.logs import configure_logging

    configure_logging(settings)
    return settings


@cli.command()
def run(
    platform: Annotated[
        Platform | None,
        typer.Option(
            help="Which platform to serve (default: whichever has a token, else console)."
        ),
    ] = None,
    port: Annotated[int, typer.Option(help="HTTP port for Slack's HTTP mode.")] = 3000,
    as_user: Annotated[
        str, typer.Option("--as", help="Console only: who is typing (switch later with :as NAME).")
    ] = "me",
) -> None:
    """Run the bot. With no tokens configured this is the console, on SQLite."""
    settings = _settings()
    chosen = platform.value if platform else settings.configured_platform()
    if chosen == "console":
        asyncio.run(_run_console(settings, as_user))
        return
    module = _platform_module(chosen)
    if module is None:
        typer.echo(
            f"The {chosen} adapter is not available in this version yet; "
            "run `offerbound run --platform console` meanwhile.",
            err=True,
        )
        raise typer.Exit(2)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(module.serve(settings, port=port))


async def _run_console(settings: Settings, user: str) -> None:
    from adapters.console import ConsoleAdapter
    from bot.app import build_app

    app = await build_app(settings)
    console = ConsoleAdapter(app, user=user)
    scheduling = None
    if settings.scheduler:
        from bot.scheduling.service import SchedulingService

        scheduling = SchedulingService(app, {"console": console})
        await scheduling.start()
    try:
        await console.run(interactive=sys.stdin.isatty())
    finally:
        if scheduling is not None:
            await scheduling.stop()
        await app.close()


@cli.command()
def demo(
    start: Annotated[
        str | None, typer.Option(help="The Monday the week starts (YYYY-MM-DD); default last week.")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="Where to keep the demo data (default: a temporary file).")
    ] = None,
    verbose: Annotated[bool, typer.Option(help="Print every reply in full.")] = False,
) -> None:
    """Play a scripted cohort week (a coach, five members) and print the results."""
    from bot.demo import last_monday, run_demo

    logging.basicConfig(level="WARNING")
    try:
        monday = date.fromisoformat(start) if start else last_monday(date.today())
    except ValueError as exc:
        raise typer.BadParameter("use YYYY-MM-DD, e.g. 2026-11-16", param_hint="--start") from exc
    if monday.weekday() != 0:
        raise typer.BadParameter(f"{monday} is not a Monday", param_hint="--start")
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'demo.db'}"
        asyncio.run(run_demo(url, monday, verbose=verbose))


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the latest version."""
    from storage.engine import create_engine
    from storage.migrate import current_revision, upgrade

    settings = _settings()

    async def go() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    revision = asyncio.run(go())
    typer.echo(f"Database is at revision {revision}.")


@docs_cli.command("commands")
def docs_commands() -> None:
    """Print the README's command table, generated from the registry."""
    from bot.docs import command_table

    typer.echo(command_table())


def _platform_module(name: str) -> ModuleType | None:
    """``adapters.<name>.cli`` when that adapter is installed: it offers ``serve`` and a Typer."""
    try:
        return importlib.import_module(f"adapters.{name}.cli")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith(f"adapters.{name}"):
            return None
        raise


for _name in ("slack", "discord"):
    _module = _platform_module(_name)
    if _module is not None:
        cli.add_typer(_module.cli, name=_name)


def main() -> None:
    cli()
