"""What every adapter's example test says before a command's example, so each example runs in
the state it describes (the cohort "Fall 2026" with coach, alice and bob already exists)."""

from __future__ import annotations

from bot.registry import Example


def preparation(example: Example) -> list[tuple[str, str]]:
    """(user, line) pairs, lines with their leading slash: dana joins the cohort unless the
    example is about joining, then the example's own ``before`` lines."""
    lines: list[tuple[str, str]] = []
    if example.as_user == "dana" and "join" not in example.text:
        lines.append(("dana", '/cohort join "Fall 2026"'))
    return lines + list(example.before)
