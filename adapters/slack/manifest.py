"""The Slack app manifest, generated from the registry so Slack's command list cannot drift.

``offerbound slack manifest`` writes ``deploy/slack/manifest.yaml``; paste it into "Create New App
→ From a manifest". A test regenerates it and fails when the committed file differs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from adapters.slack.mrkdwn import truncate
from adapters.slack.scopes import BOT_SCOPES
from adapters.slack.slash import SlashCommand
from bot.registry import Registry

APP_NAME = "Offerbound"
PLACEHOLDER_URL = "https://offerbound.example.com"
EVENTS_PATH = "/slack/events"
REDIRECT_PATH = "/slack/oauth_redirect"

# The bot scopes come from adapters/slack/scopes.py: one row per method the adapter calls.
BOT_EVENTS = ("app_home_opened", "app_uninstalled", "message.im", "tokens_revoked")
USAGE_HINT_CHARS = 1000
DESCRIPTION_CHARS = 2000


class ManifestURLError(ValueError):
    """``--url`` is not an address Slack can call; the message names the right form."""


# Slack's published manifest schema wants every request URL to start with a scheme
# (github.com/slackapi/manifest-schema, schemas/manifest.schema.1.0.0.json: "pattern":
# "^https?:\\/\\/" on slash_commands[].url, event_subscriptions.request_url and interactivity's
# request_url and message_menu_options_url). Offerbound asks for https:// on top: Slack's requests
# carry response_urls and trigger ids that must not cross the internet in clear text, so plain
# http:// is only for a development machine (localhost, 127.0.0.1).
_DEV_URL = re.compile(r"http://(localhost|127\.0\.0\.1)(:\d{1,5})?(/\S*)?")
_PUBLIC_URL = re.compile(r"https://[A-Za-z0-9.-]+(:\d{1,5})?(/\S*)?")


def public_url(url: str) -> str:
    """``url`` when Slack can call it (``https://host``; ``http://localhost`` or
    ``http://127.0.0.1`` for development), else ``ManifestURLError`` saying what to write."""
    url = url.strip()
    if _PUBLIC_URL.fullmatch(url) or _DEV_URL.fullmatch(url):
        return url
    hint = url.split("://", 1)[-1].strip("/") or "bot.example.com"
    raise ManifestURLError(
        f"--url must be a full https:// address Slack can call, e.g. https://{hint} "
        f"(got {url!r}; plain http:// only for http://localhost or http://127.0.0.1 "
        "in development)"
    )


def build_manifest(
    registry: Registry,
    commands: Sequence[SlashCommand],
    *,
    url: str = PLACEHOLDER_URL,
    socket_mode: bool = False,
) -> dict[str, Any]:
    """The manifest as data: every slash command, scope, event and URL the adapter relies on."""
    base = url.rstrip("/")
    events_url = {} if socket_mode else {"url": base + EVENTS_PATH}
    slash = [
        {
            "command": c.name,
            **events_url,
            "description": truncate(_description(c, registry), DESCRIPTION_CHARS),
            "usage_hint": truncate(_usage_hint(c, registry), USAGE_HINT_CHARS),
            "should_escape": True,
        }
        for c in commands
    ]
    request_url = {} if socket_mode else {"request_url": base + EVENTS_PATH}
    # Pickers of a member's own applications and contacts load their options from here.
    options_url = {} if socket_mode else {"message_menu_options_url": base + EVENTS_PATH}
    return {
        "display_information": {
            "name": APP_NAME,
            "description": "Job-search accountability for bootcamp cohorts.",
            "background_color": "#1d3557",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": APP_NAME, "always_online": True},
            "slash_commands": slash,
        },
        "oauth_config": {
            "redirect_urls": [base + REDIRECT_PATH],
            "scopes": {"bot": list(BOT_SCOPES)},
        },
        "settings": {
            "event_subscriptions": {**request_url, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, **request_url, **options_url},
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def _description(command: SlashCommand, registry: Registry) -> str:
    if command.command is not None:
        return command.command.summary
    return f"{APP_NAME}: log your job search and see your progress. Try {command.name} help"


def _usage_hint(command: SlashCommand, registry: Registry) -> str:
    """What to type after the slash command; for the main one, every command's leading words."""
    if command.command is not None:
        return command.command.usage().removeprefix(f"/{command.command.name}").strip()
    hint = " | ".join(_short_usage(c.usage()) for c in registry)
    if len(hint) > USAGE_HINT_CHARS:  # too many commands to show their arguments: names only
        hint = " | ".join(c.name for c in registry)
    if len(hint) > USAGE_HINT_CHARS:  # still too long: each group once, its subcommands joined
        groups: dict[str, list[str]] = {}
        for c in registry:
            head, _, rest = c.name.partition(" ")
            groups.setdefault(head, [])
            if rest:
                groups[head].append(rest)
        hint = " | ".join(f"{g} {'/'.join(subs)}" if subs else g for g, subs in groups.items())
    return hint


def _short_usage(usage: str) -> str:
    """``/apply COMPANY ROLE [url=URL]`` -> ``apply COMPANY ROLE``: the required words only."""
    words = [w for w in usage.lstrip("/").split() if not w.startswith("[")]
    return " ".join(words)


def manifest_yaml(manifest: dict[str, Any]) -> str:
    """The manifest as YAML, with a header saying where it comes from."""
    header = (
        "# Generated by `offerbound slack manifest` from the command registry; do not edit.\n"
        "# Create the app at https://api.slack.com/apps -> Create New App -> From a manifest.\n"
    )
    return header + to_yaml(manifest)


def to_yaml(value: Any, indent: int = 0) -> str:
    """Block-style YAML for dicts, lists and scalars; strings are double-quoted JSON strings.

    JSON string syntax is valid YAML, so no YAML library is needed to write a correct file.
    """
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(item, indent + 1).rstrip("\n"))
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                body = to_yaml(item, indent + 1).rstrip("\n")
                lines.append(f"{pad}- {body.lstrip()}")
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    else:
        lines.append(pad + _scalar(value))
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(str(value), ensure_ascii=False)
