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


def read_command(data: Mapping[str, Any]) -> SlashCall:
    """Flatten ``/group sub option:value`` into a command name and raw option strings."""
    words = [str(data.get("name", ""))]
    options: list[Mapping[str, Any]] = list(data.get("options") or [])
    while options and options[0].get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
        words.append(str(options[0]["name"]))
        options = list(options[0].get("options") or [])
    raw: dict[str, str] = {}
    focused, typed = None, ""
    for option in options:
        value = _raw_value(option)
        if option.get("focused"):
            focused, typed = str(option["name"]), value
            continue
        raw[str(option["name"])] = value
    return SlashCall(" ".join(words), raw, focused, typed)


def _raw_value(option: Mapping[str, Any]) -> str:
    value = option.get("value")
    if option.get("type") == USER:
        return f"<@{value}>"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def modal_answers(data: Mapping[str, Any]) -> dict[str, str]:
    """Each text input's value by its custom id, whether wrapped in Labels or action rows."""
    answers: dict[str, str] = {}
    for component in _walk(data.get("components") or []):
        if "custom_id" not in component:
            continue
        if "value" in component:
            answers[str(component["custom_id"])] = str(component["value"] or "")
        elif "values" in component:
            answers[str(component["custom_id"])] = ",".join(map(str, component["values"]))
    return answers


def _walk(components: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for component in components:
        yield component
        if isinstance(component.get("component"), Mapping):
            yield from _walk([component["component"]])
        yield from _walk(list(component.get("components") or []))
