"""The portfolio review page as data, rendered to Markdown and to standalone HTML.

Both renderings come from the same sections so they never disagree; HTML escapes every value.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A titled part of the page: lines of text, then an optional table."""

    title: str
    lines: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    empty: str = ""


_MARKDOWN = re.compile(r"([\\`*_\[\]~])")  # emphasis, code, links and images


def _md(value: str) -> str:
    """Text as Markdown shows it literally: HTML and every markup character escaped, so a
    member's notes can neither inject HTML nor turn into a link or a heading."""
    return _MARKDOWN.sub(r"\\\1", value).replace("<", "&lt;")


def _md_cell(value: str) -> str:
    return _md(value.replace("\n", " ").strip()).replace("|", "\\|") or " "


def render_markdown(title: str, subtitle: str, sections: Sequence[Section]) -> str:
    """One page of Markdown: a heading per section, bullet lines and pipe tables."""
    out = [f"# {_md(title)}", "", _md(subtitle), ""]
    for section in sections:
        out += [f"## {_md(section.title)}", ""]
        out += [f"- {_md(line)}" for line in section.lines]
        if section.lines:
            out.append("")
        if section.columns and section.rows:
            out.append("| " + " | ".join(_md_cell(c) for c in section.columns) + " |")
            out.append("|" + "---|" * len(section.columns))
            out += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in section.rows]
            out.append("")
        elif not section.lines and section.empty:
            out += [f"_{_md(section.empty)}_", ""]
    return "\n".join(out).rstrip() + "\n"


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
    "color:#222}table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;"
    "padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}"
    "h2{border-bottom:1px solid #ddd;padding-bottom:.2rem}"
)


def render_html(title: str, subtitle: str, sections: Sequence[Section]) -> str:
    """The same page as a standalone HTML document (no scripts, every value escaped)."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{e(subtitle)}</p>",
    ]
    for section in sections:
        out.append(f"<h2>{e(section.title)}</h2>")
        if section.lines:
            out.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in section.lines) + "</ul>")
        if section.columns and section.rows:
            head = "".join(f"<th>{e(c)}</th>" for c in section.columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in section.rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif not section.lines and section.empty:
            out.append(f"<p><em>{e(section.empty)}</em></p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
