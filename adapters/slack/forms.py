"""Forms on Slack: a modal for any command typed without its arguments, and modal answers back.

A command's declared parameters become the modal's questions, so ``/ob apply`` with nothing after
it asks for the company and role, and the answers run through the core's validation like typed
options. Errors come back on the field the core's message names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.params import Kind, Param
from bot.registry import Command
from bot.replies import Form, Question, Reply

_KIND = {
    Kind.INTEGER: "integer",
    Kind.CHOICE: "choice",
    Kind.DATE: "date",
    Kind.MEMBER: "user",
    Kind.URL: "url",
    Kind.TIME: "time",
    Kind.REF: "lookup",  # a picker filled from the core's suggestions (the caller's own rows)
    Kind.TIMEZONE: "lookup",
}
LONG_TEXT = 300  # text parameters allowed more characters than this get a multi-line box


def wants_form(command: Command, rest: Sequence[str]) -> bool:
    """True when ``command`` was typed with nothing after it but needs arguments."""
    return not rest and any(p.required for p in command.params)


def command_form(command: Command) -> Form:
    """A form asking for every parameter of ``command``; submitting it runs the command."""
    return Form(
        form_id=f"command:{command.name}",
        title=f"/{command.name}",
        submit_command=command.name,
        questions=tuple(param_question(p) for p in command.params),
        intro=command.summary,
    )


def param_question(param: Param) -> Question:
    """One parameter as a question, with a Slack-native input where there is one."""
    kind = _KIND.get(param.kind, "short")
    if param.kind is Kind.TEXT and param.max_length > LONG_TEXT:
        kind = "long"
    placeholder = param.example or ("" if kind in ("choice", "user") else param.sample())
    if kind == "date":
        placeholder = "Pick a date"
    return Question(
        key=param.name,
        label=param.help[:1].upper() + param.help[1:],
        kind=kind,
        required=param.required,
        max_length=param.max_length,
        placeholder=placeholder.strip('"'),
        choices=param.choices,
        minimum=param.minimum,
        maximum=param.maximum,
    )


def submitted_options(values: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, str]:
    """A modal's ``view.state.values`` as ``key=value`` options; empty answers are left out."""
    options: dict[str, str] = {}
    for block_id, actions in values.items():
        for state in actions.values():
            value = _value(state)
            if value is not None and value.strip():
                options[block_id] = value
    return options


def _value(state: Mapping[str, Any]) -> str | None:
    match state.get("type"):
        case "static_select" | "radio_buttons" | "external_select":
            return (state.get("selected_option") or {}).get("value")
        case "datepicker":
            return state.get("selected_date")
        case "timepicker":
            return state.get("selected_time")
        case "users_select":
            user = state.get("selected_user")
            return f"<@{user}>" if user else None
    value = state.get("value")
    return None if value is None else str(value)


def field_errors(reply: Reply, keys: Sequence[str]) -> dict[str, str]:
    """The modal errors for a failed submission: the message, on the field the core named
    (``Reply.field``), or on the first field when it named none."""
    if not keys:
        return {}
    lines = [line for line in reply.plain_text().splitlines() if line.strip()]
    message = (lines[0] if lines else "That didn't work.").removeprefix("⚠️").strip()
    if len(lines) > 1 and not lines[1].startswith(("Usage:", "Example:")):
        message = f"{message} {lines[1].strip()}"
    field = reply.field if reply.field is not None and reply.field in keys else keys[0]
    return {field: message[:300]}
