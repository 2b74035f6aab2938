"""`make bench`: run every benchmark in tests/perf and write the figures to docs/benchmarks.md.

Each ``bench_*.py`` module has ``async def run() -> str`` returning a Markdown section. Figures
depend on the machine, so the page records which machine produced them.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE.parents[1] / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = f"{names[0]} ({len(names)} cores)" if names else cpu
    except OSError:
        pass
    return f"{cpu}; Python {platform.python_version()} on {platform.system()} {platform.release()}"


def _merge(old: str, header: list[str], sections: list[str]) -> list[str]:
    """Replace only the re-run sections (by their "## " title), keeping the others' figures."""

    def split(text: str) -> dict[str, str]:
        parts: dict[str, str] = {}
        for chunk in ("\n" + text).split("\n## ")[1:]:
            title = chunk.split("\n", 1)[0]
            parts[title] = "## " + chunk.rstrip("\n") + "\n"
        return parts

    kept = split(old)
    kept.update(split("\n".join(sections)))
    intro = header[: header.index(sections[0])] if sections and sections[0] in header else header
    return [*intro, *kept.values()]


def _server() -> str:
    """Where PostgreSQL figures came from, without credentials."""
    url = os.environ.get("OFFERBOUND_TEST_DATABASE_URL")
    if not url:
        return "not configured (SQLite only)"
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return f"{parsed.host}:{parsed.port or 5432} (server on this machine)"


async def main(selected: list[str]) -> None:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    sections = []
    for name in names:
        print(f"running {name}...", flush=True)
        module = importlib.import_module(f"tests.perf.{name}")
        sections.append(await module.run())
    page = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on: {machine()}.",
        f"PostgreSQL: {_server()}",
        "",
        "Regenerate with `make bench` (set OFFERBOUND_TEST_DATABASE_URL to include PostgreSQL).",
        "",
        *sections,
    ]
    if selected and OUT.exists():
        page = _merge(OUT.read_text(encoding="utf-8"), page, sections)
    OUT.write_text("\n".join(page).rstrip("\n") + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
