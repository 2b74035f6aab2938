"""The `offerbound` command line: run the bot, play the demo, migrate the database.

Each platform adds its own subcommands (``offerbound slack manifest``, ``offerbound discord
sync``) through its plugin; nothing here names one.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from adapters.base import PlatformSetupError, PlatformUnavailable, RunOptions
from bot.logs import configure_logging
from bot.settings import Settings
from offerbound.platforms import PLUGINS, plugin
from offerbound.runtime import Chosen, PortUnavailable, build_runtime

cli = typer.Typer(
    help="Offerbound: the accountability bot for job-search cohorts.",
    no_args_is_help=True,
    add_completion=False,
)
db_cli = typer.Typer(help="Database schema commands.", no_args_is_help=True)
docs_cli = typer.Typer(help="Generated documentation.", no_args_is_help=True)
secrets_cli = typer.Typer(
    help="Stored secrets: keys for OFFERBOUND_SECRET_KEY, re-encryption.", no_args_is_help=True
)
cli.add_typer(db_cli, name="db")
cli.add_typer(docs_cli, name="docs")
dashboard_cli = typer.Typer(help="The coach's dashboard on the web.", no_args_is_help=True)
cli.add_typer(secrets_cli, name="secrets")
cli.add_typer(dashboard_cli, name="dashboard")


def _settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # pydantic's ValidationError: show it without a traceback
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _choose(platform: str | None) -> list[Chosen]:
    """The platforms named (``slack,discord``), or every configured one, or the console."""
    try:
        if platform:
            names = [n.strip().lower() for n in platform.split(",") if n.strip()]
            picked = [plugin(n) for n in dict.fromkeys(names)]
        else:
            picked = [p for p in PLUGINS if p.configured(p.load_settings())]
            picked = picked or [plugin("console")]
        return [Chosen(p, p.load_settings()) for p in picked]
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0]), param_hint="--platform") from exc
    except Exception as exc:  # a platform's settings did not validate
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


@cli.command()
def run(
    platform: Annotated[
        str | None,
        typer.Option(
            help="Which platforms to serve, e.g. slack, discord or slack,discord "
            "(default: every one with a token, else the console)."
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            help="HTTP port: Slack's events, calendar feeds, /healthz, /readyz, /metrics "
            "(default 3000 for Slack and Discord; the console serves HTTP only when given one)."
        ),
    ] = None,
    as_user: Annotated[
        str, typer.Option("--as", help="Console only: who is typing (switch later with :as NAME).")
    ] = "me",
) -> None:
    """Run the bot. With no tokens configured this is the console, on SQLite."""
    settings = _settings()
    chosen = _choose(platform)
    secrets = [s for c in chosen for s in c.plugin.secrets(c.settings)]
    configure_logging(settings, secrets)
    options = RunOptions(as_user=as_user, interactive=sys.stdin.isatty())
    try:
        asyncio.run(_serve(settings, chosen, port, options))
    except KeyboardInterrupt:
        pass
    except PlatformSetupError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    except PortUnavailable as exc:
        typer.echo(f"Configuration error: {exc}; choose another with --port.", err=True)
        raise typer.Exit(2) from None
    except PlatformUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


async def _serve(
    settings: Settings, chosen: list[Chosen], port: int | None, options: RunOptions
) -> None:
    runtime = await build_runtime(settings, chosen, port=port, options=options)
    await runtime.serve()


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
    from offerbound.demo import last_monday, run_demo

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
        engine = create_engine(settings.database_url, settings.pool())
        try:
            await upgrade(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    revision = asyncio.run(go())
    typer.echo(f"Database is at revision {revision}.")


@secrets_cli.command("new-key")
def secrets_new_key() -> None:
    """Print a new random key for OFFERBOUND_SECRET_KEY (put it first to rotate)."""
    from storage.secrets import new_key

    typer.echo(new_key())


@secrets_cli.command("reencrypt")
def secrets_reencrypt() -> None:
    """Re-encrypt every stored secret with the first key of OFFERBOUND_SECRET_KEY (also
    encrypting any stored before encryption existed)."""
    from storage.engine import create_engine
    from storage.reencrypt import reencrypt
    from storage.secrets import SecretKeyError, secret_columns

    settings = _settings()
    where = secret_columns(p.secret_columns for p in PLUGINS)

    async def go() -> int:
        engine = create_engine(settings.database_url, settings.pool())
        try:
            return await reencrypt(engine, settings.secret_box(), where)
        finally:
            await engine.dispose()

    try:
        changed = asyncio.run(go())
    except SecretKeyError as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Re-encrypted {changed} row(s) with the first key of OFFERBOUND_SECRET_KEY.")


@dashboard_cli.command("link")
def dashboard_link(
    as_user: Annotated[
        str,
        typer.Option("--as", help="Who signs in: their display name or platform user id."),
    ],
    platform: Annotated[
        str, typer.Option(help="The platform they use Offerbound on (console, slack, discord).")
    ] = "console",
    tenant: Annotated[
        str | None,
        typer.Option(help="Their workspace or guild id (needed when the platform has several)."),
    ] = None,
    port: Annotated[
        int, typer.Option(help="The port `offerbound run --port` serves, without a public URL.")
    ] = 3000,
) -> None:
    """Print a one-time sign-in link to the dashboard (works once, for 15 minutes)."""
    from bot.app import build_app
    from bot.calendar.feed import public_url
    from bot.services.dashboard import Dashboard, LinkError

    settings = _settings()

    async def go() -> str:
        core = await build_app(settings)
        try:
            return await Dashboard(core.sessions, core.clock).issue_link(
                platform.strip().lower(), as_user, tenant
            )
        finally:
            await core.close()

    try:
        token = asyncio.run(go())
    except LinkError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    base = public_url(settings) or f"http://localhost:{port}"
    typer.echo(f"{base}/dashboard/signin/{token}")
    typer.echo("The link works once, within 15 minutes.", err=True)


@docs_cli.command("commands")
def docs_commands() -> None:
    """Print the README's command table, generated from the registry."""
    from bot.docs import command_table

    typer.echo(command_table())


for _plugin in PLUGINS:
    _commands = _plugin.cli()
    if _commands is not None:
        cli.add_typer(_commands, name=_plugin.name)


def main() -> None:
    cli()
