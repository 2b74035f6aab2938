"""Forms on Slack: a modal for any command typed without its arguments, and modal answers back.

A command's declared parameters become the modal's questions, so ``/ob apply`` with nothing after
it asks for the company and role, and the answers run through the core's validation like typed
options. Errors come back on the field the core's message names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Answers:
    """A submitted modal's answers as options, and the fields whose answer could not be read."""

    options: dict[str, str] = field(default_factory=dict)
    unreadable: tuple[str, ...] = ()  # block ids whose state is not shaped as Slack sends it
    garbled: bool = False  # ``state.values`` itself was not the object Slack sends


def read_answers(values: object) -> Answers:
    """A modal's ``view.state.values`` as ``key=value`` options; empty answers are left out.

    Slack sends ``{block_id: {action_id: {"type": ..., <the answer>}}}``; an answer of any other
    shape (a number where text belongs, an option that is not an object) is not guessed at: its
    field is reported unreadable, so the member is asked for it again rather than the command
    running with something they never typed.
    """
    if not isinstance(values, Mapping):
        return Answers(garbled=True)
    options: dict[str, str] = {}
    unreadable: list[str] = []
    for block_id, actions in values.items():
        states = list(actions.values()) if isinstance(actions, Mapping) else [None]
        for state in states:
            value = _value(state) if isinstance(state, Mapping) else _UNREADABLE
            if value is _UNREADABLE:
                unreadable.append(str(block_id))
            elif isinstance(value, str) and value.strip():
                options[str(block_id)] = value
    return Answers(options, tuple(unreadable))


def submitted_options(values: object) -> dict[str, str]:
    """A modal's ``view.state.values`` as ``key=value`` options (``read_answers``)."""
    return read_answers(values).options


_UNREADABLE = object()  # an answer whose shape Slack never sends


def _value(state: Mapping[str, Any]) -> str | object | None:
    """The answer in one input's state: text, None when unanswered, or ``_UNREADABLE``."""
    match state.get("type"):
        case "static_select" | "radio_buttons" | "external_select":
            option = state.get("selected_option")
            if option is None:
                return None
            value = option.get("value") if isinstance(option, Mapping) else _UNREADABLE
        case "datepicker":
            value = state.get("selected_date")
        case "timepicker":
            value = state.get("selected_time")
        case "users_select":
            user = state.get("selected_user")
            if isinstance(user, str) and user:
                return f"<@{user}>"
            value = user or None
        case _:
            value = state.get("value")
    if value is None or isinstance(value, str):
        return value
    return _UNREADABLE


def field_errors(reply: Reply, keys: Sequence[str]) -> dict[str, str]:
    """The modal errors for a failed submission: the message, on the field the core named
    (``Reply.field``), or on the first field when it named none."""
    if not keys:
        return {}
    lines = [line for line in reply.plain_text().splitlines() if line.strip()]
    message = (lines[0] if lines else "That didn't work.").removeprefix("⚠️").strip()
    if len(lines) > 1 and not lines[1].startswith(("Usage:", "Example:")):
        message = f"{message} {lines[1].strip()}"
    named = reply.field if reply.field is not None and reply.field in keys else keys[0]
    return {named: message[:300]}
