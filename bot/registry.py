"""The command registry: every command declared once, as data, with a duplicate name an error.

Help, the README's command table, Slack's manifest and Discord's command tree are all derived
from these declarations, so they cannot drift apart.
"""

from __future__ import annotations

import difflib
import inspect
import typing
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.errors import UsageError
from bot.params import Param
from bot.replies import Rich, Text, t

if TYPE_CHECKING:
    from bot.replies import Reply


class Role(StrEnum):
    """Who may run a command. Coaches may run everything members may."""

    MEMBER = "member"
    COACH = "coach"


@dataclass(frozen=True)
class Example:
    """A usage example that is also a test: running ``text`` must reply with ``expect``."""

    text: str
    expect: str
    as_user: str = "alice"
    # (user, line) said first, for an example that answers something, e.g. a request to approve
    before: tuple[tuple[str, str], ...] = ()


Handler = Callable[..., Awaitable["Reply"]]
"""``async def handler(ctx: Context, *, name: type, ...) -> Reply``: one keyword argument per
declared parameter, typed as the parameter converts it (``X | None`` when it may be left out).
The registry checks the signature against the declaration when the command is declared."""


@dataclass(frozen=True)
class Command:
    """A command's whole declaration."""

    name: str
    summary: str
    handler: Handler
    params: tuple[Param, ...] = ()
    role: Role = Role.MEMBER
    examples: tuple[Example, ...] = ()
    details: Rich = ""  # more help under the usage line (a ``t`` template may mark commands)
    expensive: bool = False  # heavy work (a chart, an export, an outside call): a stricter limit

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.name.split())

    @property
    def group(self) -> str | None:
        """The first word of a two-word command (``cohort`` for ``cohort create``)."""
        return self.words[0] if len(self.words) > 1 else None

    def usage(self) -> str:
        parts = [f"/{self.name}", *(p.usage() for p in self.params)]
        return " ".join(parts)

    def param(self, name: str) -> Param | None:
        wanted = name.replace("_", "-")
        return next((p for p in self.params if p.name == wanted), None)

    def example_line(self) -> str:
        return self.examples[0].text if self.examples else self.usage()


class DuplicateCommand(ValueError):
    """Two declarations share one name: a programming error caught at import."""


class HandlerMismatch(TypeError):
    """A handler's signature does not match its command's parameters (a typo, a missing or an
    extra argument, a wrong type): a programming error caught at import."""


def check_handler(command: Command) -> None:
    """Refuse a handler whose keyword arguments differ from the declared parameters."""
    params = list(inspect.signature(command.handler).parameters.values())[1:]
    where = f"/{command.name} ({command.handler.__module__}.{command.handler.__qualname__})"
    if [p.kind for p in params] == [inspect.Parameter.VAR_KEYWORD]:
        return  # ``**values``: a generic handler taking whatever is declared (tests, wrappers)
    loose = [p.name for p in params if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    if loose:
        raise HandlerMismatch(f"{where}: make {', '.join(loose)} keyword-only (after `*`)")
    declared = {p.key: p for p in command.params}
    taken = {p.name for p in params}
    if taken != set(declared):
        missing = sorted(set(declared) - taken)
        extra = sorted(taken - set(declared))
        raise HandlerMismatch(f"{where}: missing arguments {missing}, undeclared ones {extra}")
    try:
        hints = typing.get_type_hints(command.handler)
    except NameError as exc:
        raise HandlerMismatch(f"{where}: import the types its arguments use ({exc})") from exc
    for key, param in declared.items():
        wanted = param.python_type()
        if not param.required:
            wanted = wanted | None
        if hints.get(key) != wanted:
            raise HandlerMismatch(f"{where}: `{key}` must be typed {wanted}, not {hints.get(key)}")


class Registry:
    """All commands by name, looked up by the longest matching run of words."""

    def __init__(self, commands: Iterable[Command] = ()) -> None:
        self._commands: dict[tuple[str, ...], Command] = {}
        for command in commands:
            self.add(command)

    def add(self, command: Command) -> None:
        if command.words in self._commands:
            raise DuplicateCommand(f"command /{command.name} is declared twice")
        groups = {c.group for c in self._commands.values() if c.group}
        leaves = {c.name for c in self._commands.values() if not c.group}
        if (command.group and command.group in leaves) or (
            not command.group and command.name in groups
        ):
            raise DuplicateCommand(f"/{command.name} clashes with a command group of that name")
        _check_params(command)
        check_handler(command)
        self._commands[command.words] = command

    def __iter__(self) -> Iterator[Command]:
        return iter(sorted(self._commands.values(), key=lambda c: c.name))

    def __len__(self) -> int:
        return len(self._commands)

    def get(self, name: str) -> Command | None:
        return self._commands.get(tuple(name.lower().split()))

    def resolve(self, words: Sequence[str]) -> tuple[Command, list[str]]:
        """Find the command the leading words name; return it with the remaining words."""
        lowered = [w.lower() for w in words]
        for length in (2, 1):
            command = self._commands.get(tuple(lowered[:length]))
            if command is not None and len(lowered) >= length:
                return command, list(words[length:])
        if not words:
            raise UsageError("Type a command.", hint=t("Try `/help` to see them all."))
        raise UsageError(
            self._unknown_message(lowered), hint=t("Try `/help` to see every command.")
        )

    def _unknown_message(self, words: list[str]) -> Text:
        group = [c for c in self._commands.values() if c.group == words[0]]
        if group:
            subs = ", ".join(sorted(c.words[1] for c in group))
            return t("`/{group}` needs one of: {subs}.", group=words[0], subs=subs)
        names = [c.name for c in self._commands.values()]
        leaves_and_groups = sorted({c.words[0] for c in self._commands.values()})
        close = difflib.get_close_matches(words[0], leaves_and_groups, n=1)
        if close and any(c.group == close[0] for c in self._commands.values()):
            close = difflib.get_close_matches(" ".join([close[0], *words[1:2]]), names, n=1)
        close = close or difflib.get_close_matches(" ".join(words[:2]), names, n=1)
        message = t("I don't know the command `/{word}`.", word=words[0][:40])
        if close:
            message += t(" Did you mean `/{close}`?", close=close[0])
        return message

    def groups(self) -> dict[str | None, list[Command]]:
        """Commands by group (None for top-level ones), for help and platform command trees."""
        result: dict[str | None, list[Command]] = {}
        for command in self:
            result.setdefault(command.group, []).append(command)
        return result


def _check_params(command: Command) -> None:
    names = [p.name for p in command.params]
    if len(names) != len(set(names)):
        raise DuplicateCommand(f"/{command.name} declares a parameter twice")
    rests = [p for p in command.params if p.rest]
    if len(rests) > 1 or (rests and command.params.index(rests[0]) != _last_positional(command)):
        raise DuplicateCommand(f"/{command.name}: only the last positional parameter may be rest")


def _last_positional(command: Command) -> int:
    return max((i for i, p in enumerate(command.params) if p.positional), default=-1)


@dataclass
class CommandSet:
    """Collects one module's command declarations through a decorator."""

    commands: list[Command] = field(default_factory=list)

    def command(
        self,
        name: str,
        summary: str,
        *,
        params: Sequence[Param] = (),
        role: Role = Role.MEMBER,
        examples: Sequence[Example] = (),
        details: Rich = "",
        expensive: bool = False,
    ) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self.commands.append(
                Command(
                    name=name,
                    summary=summary,
                    handler=handler,
                    params=tuple(params),
                    role=role,
                    examples=tuple(examples),
                    details=details,
                    expensive=expensive,
                )
            )
            return handler

        return decorate


def bind(command: Command, words: list[str], options: dict[str, str]) -> dict[str, Any]:
    """Assign positional words and options to parameters, still as raw strings."""
    raw: dict[str, str] = {}
    positional = [p for p in command.params if p.positional]
    queue = list(words)
    for param in positional:
        if not queue:
            break
        if param.rest:
            raw[param.name] = " ".join(queue)
            queue = []
        else:
            raw[param.name] = queue.pop(0)
    if queue:
        extra = " ".join(queue)
        raise UsageError(
            t("I don't know what to do with `{extra}`.", extra=extra[:60]),
            hint='Put text with spaces in quotes, e.g. "Backend Engineer", '
            "or give it as an option like key=value.",
        )
    for key, value in options.items():
        named = command.param(key)
        if named is None:
            known = ", ".join(f"{p.name}=" for p in command.params) or "none"
            raise UsageError(
                t(
                    "`/{command}` has no option `{key}=`. Its options: {known}.",
                    command=command.name,
                    key=key,
                    known=known,
                )
            )
        if named.name in raw:
            raise UsageError(t("`{name}` is given twice.", name=named.name), param=named.name)
        raw[named.name] = value
    for param in command.params:
        if param.required and not raw.get(param.name, "").strip():
            raise UsageError(
                t(
                    "`/{command}` needs {metavar} ({help}).",
                    command=command.name,
                    metavar=param.metavar,
                    help=param.help,
                ),
                param=param.name,
            )
    return raw
