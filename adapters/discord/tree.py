"""Discord's application-command tree, generated from the registry so the two cannot drift.

One top-level slash command per top-level registry command (``/apply``) and one per group with
subcommands (``/cohort create``): the same words the README, ``/help`` and the console use. See
docs/discord.md for why this beats a single ``/ob`` command. No discord.py import: the CLI and the
drift test stay cheap.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.params import Kind, Param
from bot.registry import Command, Registry, Role

CHAT_INPUT = 1
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, USER, CHANNEL = 1, 2, 3, 4, 6, 7
TEXT_CHANNELS = [0, 5]  # text and announcement channels: where a cohort can live
CONTEXT_GUILD, CONTEXT_BOT_DM = 0, 1
GUILD_INSTALL = 0

MAX_TOP_LEVEL = 100
MAX_OPTIONS = 25
MAX_CHOICES = 25
MAX_DESCRIPTION = 100
MAX_STRING = 6000
# Discord documents 8000 for a command's combined name, description and value characters; older
# documentation (and several libraries) say 4000. Staying under 4000 is safe under either.
MAX_COMBINED = 4000
_NAME = re.compile(r"^[-_a-z0-9]{1,32}$")

_HINTS = {
    Kind.DATE: "e.g. fri, in 3 days, 2026-12-01",
    Kind.DURATION: "e.g. 45m, 1.5h",
    Kind.TIME: "HH:MM, e.g. 09:00",
    Kind.WEEKDAYS: "e.g. mon-fri",
    Kind.URL: "https://...",
    Kind.TIMEZONE: "e.g. Europe/Berlin",
}
_GROUP_TITLES = {
    "app": "Applications",
    "contact": "Contacts",
    "followup": "Follow-ups",
    "cohort": "Cohort",
}


def command_tree(registry: Registry) -> list[dict[str, Any]]:
    """The JSON Discord's bulk-overwrite endpoint takes, one entry per top-level command."""
    tree: list[dict[str, Any]] = []
    for group, commands in sorted(registry.groups().items(), key=lambda kv: kv[0] or ""):
        if group is None:
            tree.extend(_top_level(c.name, _describe(c), _options(c)) for c in commands)
            continue
        title = _GROUP_TITLES.get(group, group.capitalize())
        subs = [c.words[1] for c in commands]
        subcommands = [
            {
                "type": SUB_COMMAND,
                "name": c.words[1],
                "description": _describe(c),
                "options": _options(c),
            }
            for c in commands
        ]
        tree.append(_top_level(group, _clip(f"{title}: {', '.join(subs)}"), subcommands))
    return sorted(tree, key=lambda c: c["name"])


def _top_level(name: str, description: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": CHAT_INPUT,
        "name": name,
        "description": description,
        "options": options,
        "contexts": [CONTEXT_GUILD, CONTEXT_BOT_DM],
        "integration_types": [GUILD_INSTALL],
    }


def _describe(command: Command) -> str:
    coach = " (coaches)" if command.role is Role.COACH else ""
    return _clip(command.summary + coach)


def _options(command: Command) -> list[dict[str, Any]]:
    """Options in Discord's required-first order, otherwise as declared."""
    params = sorted(command.params, key=lambda p: not p.required)
    return [option(command, p) for p in params]


def option(command: Command, param: Param) -> dict[str, Any]:
    """One parameter as a Discord option: integers and members typed, everything else text."""
    hint = _HINTS.get(param.kind)
    description = f"{param.help} ({hint})" if hint else param.help
    result: dict[str, Any] = {
        "type": STRING,
        "name": param.name,
        "description": _clip(description),
        "required": param.required,
    }
    if param.kind is Kind.INTEGER:
        result["type"] = INTEGER
        if param.minimum is not None:
            result["min_value"] = param.minimum
        if param.maximum is not None:
            result["max_value"] = param.maximum
    elif param.kind is Kind.MEMBER:
        result["type"] = USER
    elif param.kind is Kind.CHANNEL:
        result["type"] = CHANNEL  # a channel picker; Discord sends the channel's id
        result["channel_types"] = TEXT_CHANNELS
    elif param.choices and len(param.choices) <= MAX_CHOICES:
        result["choices"] = [{"name": c, "value": c} for c in param.choices]
    else:
        if param.kind in (Kind.TEXT, Kind.REF):
            result["max_length"] = min(param.max_length, MAX_STRING)
        if param.required:
            result["min_length"] = 1
    if param.completes and "choices" not in result:
        result["autocomplete"] = True  # the core's suggestions: App.suggest
    return result


def _clip(text: str, limit: int = MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def combined_length(node: dict[str, Any]) -> int:
    """Characters Discord counts against a command's combined limit: names, descriptions, values."""
    total = len(node.get("name", "")) + len(node.get("description", ""))
    total += sum(len(str(c["name"])) + len(str(c["value"])) for c in node.get("choices", ()))
    return total + sum(combined_length(o) for o in node.get("options", ()))


def problems(tree: list[dict[str, Any]]) -> list[str]:
    """Every way ``tree`` breaks a Discord limit; empty when Discord will accept it."""
    found: list[str] = []
    if len(tree) > MAX_TOP_LEVEL:
        found.append(f"{len(tree)} top-level commands; Discord allows {MAX_TOP_LEVEL}")
    names = [c["name"] for c in tree]
    if len(names) != len(set(names)):
        found.append("two top-level commands share a name")
    for command in tree:
        size = combined_length(command)
        if size > MAX_COMBINED:
            found.append(f"/{command['name']}: {size} combined characters (> {MAX_COMBINED})")
        found += _node_problems(command, f"/{command['name']}")
    return found


def _node_problems(node: dict[str, Any], path: str) -> list[str]:
    found: list[str] = []
    if not _NAME.match(node["name"]):
        found.append(f"{path}: name {node['name']!r} is not a valid Discord name")
    if not 1 <= len(node["description"]) <= MAX_DESCRIPTION:
        found.append(f"{path}: description must be 1-{MAX_DESCRIPTION} characters")
    options = node.get("options", [])
    if len(options) > MAX_OPTIONS:
        found.append(f"{path}: {len(options)} options (> {MAX_OPTIONS})")
    if len(node.get("choices", ())) > MAX_CHOICES:
        found.append(f"{path}: more than {MAX_CHOICES} choices")
    seen_optional = False
    for child in options:
        if child["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP):
            found += _node_problems(child, f"{path} {child['name']}")
            continue
        if child.get("required") and seen_optional:
            found.append(f"{path}: required option {child['name']} follows an optional one")
        seen_optional = seen_optional or not child.get("required")
        found += _node_problems(child, f"{path} {child['name']}=")
    return found


def render_json(tree: list[dict[str, Any]]) -> str:
    """The tree as the stable, reviewable JSON kept in deploy/discord/commands.json."""
    return json.dumps(tree, indent=2, ensure_ascii=False) + "\n"
