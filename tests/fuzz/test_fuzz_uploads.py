"""Property-based fuzzing of uploaded trackers: random bytes, hostile CSV and damaged or hostile
XLSX files. Every one is imported (all or nothing) or refused with a clear message; nothing
escapes as an error of ours, and a refused file writes nothing."""

from __future__ import annotations

import asyncio
import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.app import App, build_app
from bot.mentions import has_live_mention
from bot.settings import Settings
from storage.models import Application
from storage.scope import system_session

HEADER = "company,role,link,stage,date,contact,learned,next,follow-up,notes"
CELL = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            '=HYPERLINK("http://evil")',
            "@everyone",
            "<!channel>",
            "\x00\x01\x02",
            '"',
            '""""',
            "a,b,c",
            "\r\n",
            "2026-02-30",
            "9" * 40,
            "x" * 5000,
            "ＡＢＣ",
            "\u202e",
        ]
    ),
)
CSV_ROWS = st.lists(st.lists(CELL, min_size=0, max_size=12), max_size=30)
XLSX_CELL = st.one_of(
    CELL.map(lambda s: "".join(ch for ch in s if ch >= " " or ch in "\t\n")),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(),
)
XLSX_ROWS = st.lists(st.lists(XLSX_CELL, min_size=0, max_size=12), max_size=30)


def csv_bytes(rows: list[list[str]], delimiter: str, header: bool) -> bytes:
    lines = [HEADER.replace(",", delimiter)] if header else []
    lines += [delimiter.join(cell for cell in row) for row in rows]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def xlsx_bytes(rows: list[list[object]], header: bool) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if header:
        sheet.append(HEADER.split(","))
    for row in rows:
        try:
            sheet.append(row)
        except (ValueError, TypeError):  # a value openpyxl itself refuses to write
            sheet.append([str(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hostile_zip(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in dict(entries).items():  # one entry a name, as a zip expects
            archive.writestr(name, content)
    return out.getvalue()


ZIP_ENTRY = st.tuples(
    st.sampled_from(
        [
            "[Content_Types].xml",
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
            "xl/sharedStrings.xml",
            "../../evil.xml",
            "xl/_rels/workbook.xml.rels",
        ]
    ),
    st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(
            [
                b"<a>" * 5000 + b"</a>" * 5000,  # deep nesting
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;&b;&b;</x>',  # entities
                b"<sst>" + b"<si><t>" + b"x" * 100_000 + b"</t></si>" * 50 + b"</sst>",
            ]
        ),
    ),
)
UPLOAD = st.one_of(
    st.binary(max_size=3000).map(lambda b: ("random.bin", b)),
    st.tuples(CSV_ROWS, st.sampled_from([",", ";", "\t"]), st.booleans()).map(
        lambda a: ("tracker.csv", csv_bytes(*a))
    ),
    st.tuples(XLSX_ROWS, st.booleans()).map(lambda a: ("tracker.xlsx", xlsx_bytes(*a))),
    st.lists(ZIP_ENTRY, min_size=1, max_size=5).map(lambda e: ("tracker.xlsx", hostile_zip(e))),
)


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[asyncio.Runner, App, ConsoleAdapter, Path]]:
    """One app shared by every example (a fresh one each would be too slow)."""
    with tempfile.TemporaryDirectory() as tmp, asyncio.Runner() as runner:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'fuzz.db'}", _env_file=None)
        app = runner.run(build_app(settings))
        console = ConsoleAdapter(app, files_dir=Path(tmp) / "files")
        runner.run(console.say("alice", "/me"))
        yield runner, app, console, Path(tmp)
        runner.run(app.close())


async def applications(app: App) -> int:
    async with system_session(app.sessions) as session:
        return int(await session.scalar(select(func.count()).select_from(Application)) or 0)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(upload=UPLOAD, options=st.sampled_from(["", "dry-run=yes", "skip-bad=yes"]))
def test_any_upload_is_imported_whole_or_refused_clearly(world, upload, options: str) -> None:
    runner, app, console, folder = world
    name, content = upload
    path = folder / name
    path.write_bytes(content)
    before = runner.run(applications(app))
    reply = runner.run(console.ask("alice", f"/import tracker {path} {options}"))
    text = console.render(reply)
    assert "something went wrong on our side" not in text, text
    assert "Traceback" not in text
    assert not has_live_mention(text), text
    after = runner.run(applications(app))
    if not reply.ok or options == "dry-run=yes":
        assert after == before, "a refused or dry-run import wrote something"
