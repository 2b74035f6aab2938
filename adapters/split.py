"""Splitting long text to a platform's limit at line boundaries: one helper for every adapter."""

from __future__ import annotations


def split_text(text: str, limit: int) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` characters, preferring line breaks.

    A single line longer than the limit is cut at a space where possible, else hard. Code fences
    (```) that a cut would leave open are closed and reopened so each chunk renders.
    """
    if limit < 16:
        raise ValueError("limit too small to split sensibly")
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    in_fence = False
    for line in _lines_within(text, limit - 8):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) + (4 if in_fence else 0) > limit and current:
            chunks.append(current + ("\n```" if in_fence else ""))
            current = ("```\n" if in_fence else "") + line
        else:
            current = candidate
        if line.strip().startswith("```"):
            in_fence = not in_fence
    if current:
        chunks.append(current)
    return chunks


def _lines_within(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for line in text.split("\n"):
        while len(line) > width:
            cut = line.rfind(" ", 0, width)
            cut = cut if cut > width // 2 else width
            lines.append(line[:cut])
            line = line[cut:].lstrip(" ")
        lines.append(line)
    return lines
