"""/help: every command, or one command's usage and examples, straight from the registry."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.params import Kind, Param
from bot.registry import Command, CommandSet, Example, Registry, Role
from bot.replies import Reply, Table, Text, t

commands = CommandSet()

GROUP_TITLES = {
    None: "Logging and progress",
    "app": "Applications",
    "contact": "Contacts",
    "followup": "Follow-ups",
    "cohort": "Cohort",
}


def help_table(registry: Registry, include_coach: bool = True) -> Table:
    """Every command with what it does (coach-only ones marked, or left out)."""
    rows = []
    for command in registry:
        if command.role is Role.COACH and not include_coach:
            continue
        who = " (coach)" if command.role is Role.COACH else ""
        rows.append((f"/{command.name}", command.summary + who))
    return Table("Commands", ("command", "what it does"), tuple(rows))


@commands.command(
    "help",
    "Show every command, or one command's usage and examples",
    params=[Param("command", Kind.COMMAND, "a command name", positional=True, rest=True)],
    examples=[
        Example("/help", "/apply"),
        Example("/help apply", "Usage: /apply COMPANY ROLE"),
    ],
)
async def show_help(ctx: Context, *, command: str | None) -> Reply:
    if not command:
        return Reply.of(
            help_table(ctx.registry),
            t(
                "Type `/help COMMAND` for its options and examples. Dates accept today, fri, "
                "in 3 days or 2026-12-01; durations 45m or 1.5h."
            ),
        )
    name = command.strip().lstrip("/").lower()
    found = ctx.registry.get(name)
    if found is None:
        group = [c for c in ctx.registry if c.group == name]
        if group:
            return Reply.of(
                Table(
                    f"/{name} commands",
                    ("command", "what it does"),
                    tuple((f"/{c.name}", c.summary) for c in group),
                )
            )
        raise UserError(
            t("There is no command `/{name}`.", name=name[:40]),
            hint=t("Type `/help` to list them."),
            param="command",
        )
    return Reply.of(command_help(found))


def _choices(param: Param) -> str:
    """The valid values of a choice, when its usage does not show them already."""
    if param.kind is not Kind.CHOICE or "|" in param.usage():
        return ""
    return f" (one of: {', '.join(param.choices)})"


def command_help(command: Command) -> Text:
    """One command's summary, usage, options and examples (all but the title plain text)."""
    lines: list[str | Text] = [
        t("*/{name}* — {summary}", name=command.name, summary=command.summary),
        f"Usage: {command.usage()}",
    ]
    if command.details:
        lines.append(command.details)
    if command.params:
        lines.append("Options:")
        lines += [f"  {p.usage()} — {p.help}{_choices(p)}" for p in command.params]
    if command.examples:
        lines.append("Examples:")
        lines += [f"  {e.text}" for e in command.examples]
    if command.role is Role.COACH:
        lines.append("Only coaches can run this.")
    parts: list[str | Text] = []
    for line in lines:
        parts += ["\n", line] if parts else [line]
    return Text(*parts)
