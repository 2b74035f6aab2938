"""`offerbound slack ...`: the app manifest generated from the command registry.

Kept cheap to import: the command line loads it on every start, so slack_bolt is never imported
here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from adapters.slack.settings import SlackSettings

DEFAULT_MANIFEST = Path("deploy/slack/manifest.yaml")

cli = typer.Typer(help="Slack: the app manifest.", no_args_is_help=True)


def render_manifest(
    settings: SlackSettings, *, url: str | None = None, socket_mode: bool = False
) -> str:
    """The manifest YAML for these settings' slash command names."""
    from adapters.slack.manifest import PLACEHOLDER_URL, build_manifest, manifest_yaml
    from adapters.slack.slash import slash_commands
    from bot.commands import REGISTRY

    commands = slash_commands(settings.command, settings.aliases, REGISTRY)
    manifest = build_manifest(
        REGISTRY, commands, url=url or PLACEHOLDER_URL, socket_mode=socket_mode
    )
    return manifest_yaml(manifest)


@cli.command()
def manifest(
    output: Annotated[
        Path, typer.Option(help="Where to write it; - prints it instead.")
    ] = DEFAULT_MANIFEST,
    url: Annotated[
        str | None, typer.Option(help="Your public base URL, e.g. https://bot.example.com.")
    ] = None,
    socket_mode: Annotated[
        bool, typer.Option(help="For Socket Mode: no request URLs, socket mode on.")
    ] = False,
    check: Annotated[
        bool, typer.Option(help="Only compare with the file; exit 1 when it drifted.")
    ] = False,
) -> None:
    """Write the Slack app manifest generated from the command registry."""
    from adapters.slack.manifest import ManifestURLError, public_url
    from adapters.slack.settings import SlackSettings
    from adapters.slack.slash import SlashConfigError

    try:
        if url is not None:
            url = public_url(url)
        text = render_manifest(SlackSettings(), url=url, socket_mode=socket_mode)
    except (SlashConfigError, ManifestURLError) as exc:
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if str(output) == "-":
        typer.echo(text, nl=False)
        return
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            typer.echo(
                f"{output} is out of date with the command registry; "
                "run `offerbound slack manifest` to regenerate it.",
                err=True,
            )
            raise typer.Exit(1)
        typer.echo(f"{output} is up to date.")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {output}.")
