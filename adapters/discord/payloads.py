"""Reading Discord's interaction payloads into the core's vocabulary: command name and raw options.

Options arrive typed (integers, user ids); the core wants raw strings so its own validation and
friendly errors apply exactly as for typed text. Pure functions on dicts, so they are unit-tested
without a client.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.discord.tree import SUB_COMMAND, SUB_COMMAND_GROUP, USER


@dataclass(frozen=True)
class SlashCall:
    """A slash command as the core names it (``cohort create``) with its options as raw text."""

    command: str
    options: dict[str, str] = field(default_factory=dict)
    focused: str | None = None  # the option being typed, for autocomplete
    typed: str = ""  # what has been typed into it so far


class PayloadError(ValueError):
    """An interaction payload not shaped as Discord sends it (a stale client, a replayed or forged
    payload); the message says what is wrong, for the member and the log."""


def read_command(data: object) -> SlashCall:
    """Flatten ``/group sub option:value`` into a command name and raw option strings.

    Raises ``PayloadError`` for data Discord never sends (no name, options that are not a list
    of named options, a value that is an object or a list): guessing would run a command with
    something the member never typed.
    """
    if not isinstance(data, Mapping) or not _named(data):
        raise PayloadError("the command has no name")
    words = [data["name"]]
    options = _options(data)
    while options and options[0].get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
        words.append(options[0]["name"])
        options = _options(options[0])
    raw: dict[str, str] = {}
    focused, typed = None, ""
    for option in options:
        value = _raw_value(option)
        if option.get("focused"):
            focused, typed = option["name"], value
            continue
        raw[option["name"]] = value
    return SlashCall(" ".join(words), raw, focused, typed)


def _options(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A command's or subcommand's options, each a named object."""
    options = node.get("options") or []
    if not isinstance(options, list) or not all(
        isinstance(o, Mapping) and _named(o) for o in options
    ):
        raise PayloadError(f"the options of `{node['name']}` are not named options")
    return options


def _named(node: Mapping[str, Any]) -> bool:
    return isinstance(node.get("name"), str) and bool(node["name"])


def _raw_value(option: Mapping[str, Any]) -> str:
    value = option.get("value")
    if not isinstance(value, str | int | float | bool | None):
        raise PayloadError(f"option `{option['name']}` has no value Offerbound can read")
    if option.get("type") == USER:
        return f"<@{value}>"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def modal_answers(data: Mapping[str, Any]) -> dict[str, str]:
    """Each text input's value by its custom id, whether wrapped in Labels or action rows.

    Components that are not objects are skipped; an input whose value is not text (or whose
    selected values are not a list of text) raises ``PayloadError`` naming it.
    """
    answers: dict[str, str] = {}
    for component in _walk(data.get("components")):
        key = component.get("custom_id")
        if not isinstance(key, str):
            continue
        if "value" in component:
            value = component["value"]
            if not isinstance(value, str | None):
                raise PayloadError(f"the answer to `{key}` is not text")
            answers[key] = value or ""
        elif "values" in component:
            values = component["values"]
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise PayloadError(f"the answers to `{key}` are not a list of text")
            answers[key] = ",".join(values)
    return answers


def _walk(components: object) -> Iterator[Mapping[str, Any]]:
    for component in components if isinstance(components, list) else ():
        if not isinstance(component, Mapping):
            continue
        yield component
        if isinstance(component.get("component"), Mapping):
            yield from _walk([component["component"]])
        yield from _walk(component.get("components"))


def interaction_problem(payload: object) -> str | None:
    """What an INTERACTION_CREATE lacks that discord.py reads without checking, or None.

    discord.py builds the interaction from these fields as soon as the gateway delivers it, before
    any handler of ours runs; one missing would raise inside its gateway reader and end the
    connection (and a resumed session replays the same event). The user is needed too: without
    one the interaction cannot be run as anybody.
    """
    if not isinstance(payload, Mapping):
        return "the interaction is not an object"
    for key, kind in _REQUIRED:
        if not isinstance(payload.get(key), kind):
            return f"the interaction has no `{key}`"
    if not (payload["id"].isdigit() and payload["application_id"].isdigit()):
        return "the interaction's id is not a snowflake"
    if payload.get("guild_id") is not None:
        person = payload.get("member")
        if not isinstance(person, Mapping) or not isinstance(person.get("user"), Mapping):
            return "a server interaction names no member"
        person = person["user"]
    else:
        person = payload.get("user")
        if not isinstance(person, Mapping):
            return "a DM interaction names no user"
    if not isinstance(person.get("id"), str) or not person["id"].isdigit():
        return "the interaction's user has no id"
    data = payload.get("data")
    if payload["type"] in (COMPONENT, MODAL_SUBMIT):
        needed = ("custom_id", "component_type" if payload["type"] == COMPONENT else "components")
        if not isinstance(data, Mapping) or not all(k in data for k in needed):
            return "the interaction's data has no " + " or ".join(f"`{k}`" for k in needed)
    elif data is not None and not isinstance(data, Mapping):
        return "the interaction's data is not an object"
    return None


COMPONENT, MODAL_SUBMIT = 3, 5
_REQUIRED: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("id", str),
    ("type", int),
    ("token", str),
    ("version", int),
    ("application_id", str),
    ("attachment_size_limit", int),
)
