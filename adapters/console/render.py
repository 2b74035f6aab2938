"""Render core replies as plain terminal text: deterministic, so tests can compare it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import assert_never

from bot.replies import (
    Block,
    Buttons,
    Fields,
    File,
    Form,
    Reply,
    Rich,
    Table,
    Text,
    Visibility,
    rich_marked,
)


def render_reply(reply: Reply, save_file: Callable[[File], Path] | None = None) -> str:
    """The reply as terminal text; files are saved through ``save_file`` and named."""
    parts = [render_block(block, save_file) for block in reply.all_blocks]
    text = "\n\n".join(p for p in parts if p)
    if reply.visibility is Visibility.CHANNEL:
        text = "[to the cohort channel]\n" + text
    return text


def render_text(value: Rich) -> str:
    """Text as the terminal shows it: the core's own notation, ``*strong*`` and ```code```."""
    return rich_marked(value)


def render_block(block: Block, save_file: Callable[[File], Path] | None = None) -> str:
    match block:
        case Text():
            return render_text(block)
        case Fields(title=title, fields=fields):
            width = max((len(k) for k, _ in fields), default=0)
            lines = [title] if title else []
            lines += [f"  {k.ljust(width)}  {render_text(v)}" for k, v in fields]
            return "\n".join(lines)
        case Table():
            return render_table(block)
        case File(filename=name, title=title) as file:
            where = save_file(file) if save_file else Path(name)
            return f"{title or name}: saved to {where}"
        case Buttons(buttons=buttons):
            return "\n".join(f"  [{b.label}]  type: /{b.command}" for b in buttons)
        case Form():
            return render_form(block)
    assert_never(block)


def render_table(table: Table) -> str:
    lines = [table.title] if table.title else []
    if not table.rows:
        lines.append(table.empty)
        return "\n".join(lines)
    widths = [len(c) for c in table.columns]
    for row in table.rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines.append("  " + "  ".join(c.ljust(widths[i]) for i, c in enumerate(table.columns)))
    lines.append("  " + "  ".join("-" * w for w in widths))
    for row in table.rows:
        lines.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
    return "\n".join(line.rstrip() for line in lines)


def render_form(form: Form) -> str:
    lines = [f"📝 {form.title}"]
    if form.intro:
        lines.append(form.intro)
    for i, q in enumerate(form.questions, 1):
        optional = "" if q.required else " (optional)"
        lines.append(f"  {i}. {q.label}{optional}")
    keys = " ".join(f"{q.key}=..." for q in form.questions)
    lines.append(f"Answer in one line with: /{form.submit_command} {keys}")
    return "\n".join(lines)
