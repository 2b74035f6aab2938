"""Reading a tracker back in: bounded reads, row-by-row validation, and a report before writing.

Nothing here touches the database: ``plan_import`` turns bytes into valid rows and errors, and the
command decides (all rows valid, or ``skip-bad=yes``) whether to write them in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from bot.domain.vocab import CONTACT_CHANNELS, STAGES
from bot.invocation import MAX_ATTACHMENT_BYTES
from bot.mentions import clean_text
from bot.replies import Rich, Text, rich_marked, t
from bot.timeparse import DurationParseError, parse_duration_minutes
from bot.tracker.columns import (
    KINDS,
    SHEET_TITLES,
    heading_index,
    import_keys,
    normalise_heading,
)
from bot.tracker.safety import restore
from bot.tracker.sandbox import Limits, OverLimit, run_limited

# A tracker of thousands of rows is well under 1 MB; adapters check uploads against the same cap.
MAX_UPLOAD_BYTES = MAX_ATTACHMENT_BYTES
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024  # a zip bomb is refused before openpyxl opens it
MAX_ROWS = 5000
READ_LIMITS = Limits(cpu_seconds=10, memory_bytes=768 * 1024 * 1024, wall_seconds=15.0)
CHUNK = 64 * 1024

STAGE_ALIASES = {
    "wishlist": "interested",
    "saved": "interested",
    "bookmarked": "interested",
    "to apply": "interested",
    "submitted": "applied",
    "sent": "applied",
    "phone screen": "screen",
    "recruiter screen": "screen",
    "screening": "screen",
    "interviewing": "interview",
    "onsite": "interview",
    "technical interview": "interview",
    "offered": "offer",
    "hired": "accepted",
    "declined": "rejected",
    "no": "rejected",
    "ghosted": "rejected",
    "withdrew": "withdrawn",
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y")


class ImportRefused(ValueError):
    """The file as a whole cannot be imported (too big, unreadable, no usable columns).

    ``message`` is plain text or a ``t`` template (code marks around what the member typed);
    ``param`` is the option it is about: the file itself, or ``map`` for the column mapping.
    """

    def __init__(self, message: Rich, *, param: str = "file") -> None:
        super().__init__(rich_marked(message))
        self.message = message
        self.param = param


def _quoted(value: object, limit: int) -> str:
    """A cell's text quoted in a problem: cut short, control characters gone, mentions defused."""
    return clean_text(str(value))[:limit]


def read_capped(stream: IO[bytes], limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """Read at most ``limit`` bytes; refuse (having read no more than one chunk past) if longer."""
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            raise ImportRefused(too_big_message(None, limit))
        parts.append(chunk)


def too_big_message(size: int | None, limit: int = MAX_UPLOAD_BYTES) -> str:
    shown = f" ({size / 1024 / 1024:.1f} MB)" if size is not None else ""
    return (
        f"That file is too big{shown}; the limit is {limit // 1024 // 1024} MB. "
        "Export just the rows you need, or split the file."
    )


def read_path(path: Path, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """A local file (console), refused by its size before a single byte is read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(
            t("I can't open `{path}`: {why}.", path=str(path), why=str(exc.strerror or exc))
        ) from exc
    if not path.is_file():
        raise ImportRefused(t("`{path}` is not a file.", path=str(path)))
    if size > limit:
        raise ImportRefused(too_big_message(size, limit))
    with path.open("rb") as stream:
        return read_capped(stream, limit)


@dataclass(frozen=True)
class Table:
    """A sheet as read: its headings, and each non-blank row with its spreadsheet row number."""

    headings: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


def read_table(data: bytes, filename: str, kind: str, max_rows: int | None = None) -> Table:
    """CSV or XLSX (by content, not just by name) to a ``Table`` of at most ``max_rows`` rows."""
    limit = MAX_ROWS if max_rows is None else max_rows
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data, kind, limit)
    return _read_csv(data, limit)


def read_sheets(data: bytes, filename: str, max_rows: int | None = None) -> list[tuple[str, Table]]:
    """Every sheet with a heading row, by name: one unnamed sheet for a CSV, each sheet of a
    workbook (the export has Applications, Contacts and Practice log) in workbook order."""
    limit = MAX_ROWS if max_rows is None else max_rows
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _read_workbook(data, limit)
    return [("", _read_csv(data, limit))]


def detect_kind(table: Table, sheet: str = "") -> str | None:
    """Applications, contacts or practice, from the sheet's name (the export's titles) or else
    its headings: the kind whose required columns are all there and that knows the most of
    them. None when no kind fits, or two fit equally well."""
    named = normalise_heading(sheet)
    for kind, title in SHEET_TITLES.items():
        if named and named in (normalise_heading(title), kind):
            return kind
    headings = {normalise_heading(h) for h in table.headings if h}
    scores: dict[str, int] = {}
    for kind in KINDS:
        index = heading_index(kind)
        keys = {index[h] for h in headings if h in index}
        if all(k in keys for k in REQUIRED[kind]):
            scores[kind] = len(keys)
    if not scores:
        return None
    ranked = sorted(scores.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return None
    return max(scores, key=lambda k: scores[k])


def _read_csv(data: bytes, max_rows: int) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportRefused("That file is not text I can read; save it as CSV UTF-8.") from exc
    if "\x00" in text:
        raise ImportRefused("That file contains binary data; save it as CSV UTF-8 or XLSX.")
    header = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in header), ",")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ImportRefused(f"That CSV is malformed ({exc}); check its quotes.") from exc
    return _table(rows, max_rows)


def _read_xlsx(data: bytes, kind: str, max_rows: int) -> Table:
    """The sheet titled for ``kind`` (or named after it), else the first."""
    wanted = normalise_heading(SHEET_TITLES[kind])
    sheets = _read_workbook(data, max_rows, allow_empty=True)
    names = {normalise_heading(name): table for name, table in sheets}
    table = names.get(wanted) or names.get(kind) or (sheets[0][1] if sheets else None)
    if table is None:
        raise ImportRefused("That file is empty; it needs a heading row and at least one row.")
    return table


def _read_workbook(
    data: bytes, max_rows: int, *, allow_empty: bool = False
) -> list[tuple[str, Table]]:
    """Each sheet of the workbook with a heading row; refused when none has one."""
    from openpyxl import load_workbook

    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ImportRefused("That XLSX file is damaged or not a workbook.") from exc
    sheets: list[tuple[str, Table]] = []
    try:
        for name in workbook.sheetnames:
            rows = []
            for row in workbook[name].iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > max_rows + 1:
                    break
            if any(not _blank(v) for r in rows for v in r):
                sheets.append((name, _table(rows, max_rows)))
    finally:
        workbook.close()
    if not sheets and not allow_empty:
        raise ImportRefused("That file is empty; it needs a heading row and at least one row.")
    return sheets


def _check_unpacked_size(data: bytes) -> None:
    """Unpack every member, counting the bytes that really come out (an archive's own size
    fields can lie), and refuse as soon as the total passes the limit: a zip bomb is refused
    after unpacking 50 MB, never all of it."""
    unpacked = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    while chunk := member.read(1 << 20):
                        unpacked += len(chunk)
                        if unpacked > MAX_XLSX_UNCOMPRESSED:
                            raise ImportRefused(
                                "That workbook unpacks to more than 50 MB; export just the tracker."
                            )
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise ImportRefused(
            "That is not a valid XLSX file; save it again from your spreadsheet."
        ) from exc


async def read_table_safely(data: bytes, filename: str, kind: str) -> Table:
    """``read_table`` in a child process with CPU, memory and time limits (off the event loop,
    with no database connection held)."""
    try:
        return await run_limited(read_table, data, filename, kind, MAX_ROWS, limits=READ_LIMITS)
    except OverLimit as exc:
        raise ImportRefused(
            "That file takes too long or too much memory to read; "
            "export just the tracker sheet, or save it as CSV."
        ) from exc


async def read_sheets_safely(data: bytes, filename: str) -> list[tuple[str, Table]]:
    """``read_sheets`` with the same limits as ``read_table_safely``."""
    try:
        return await run_limited(read_sheets, data, filename, MAX_ROWS, limits=READ_LIMITS)
    except OverLimit as exc:
        raise ImportRefused(
            "That file takes too long or too much memory to read; "
            "export just the tracker sheets, or save it as CSV."
        ) from exc


def _table(rows: list[list[Any]], max_rows: int) -> Table:
    """Skip blank rows but keep each row's number as the spreadsheet shows it."""
    numbered = [(n, tuple(r)) for n, r in enumerate(rows, 1) if not all(_blank(v) for v in r)]
    if not numbered:
        raise ImportRefused("That file is empty; it needs a heading row and at least one row.")
    if len(numbered) - 1 > max_rows:
        raise ImportRefused(f"That file has more than {max_rows} rows; split it into parts.")
    headings = tuple("" if h is None else str(h).strip() for h in numbered[0][1])
    return Table(headings, tuple(numbered[1:]))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_mapping(text: str | None, kind: str) -> dict[str, str]:
    """``"Employer:company, Job Title:role"`` -> normalised heading -> column key."""
    if not text:
        return {}
    keys = import_keys(kind)
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        heading, sep, key = part.rpartition(":")
        key = key.strip().lower()
        if not sep or not heading.strip():
            raise ImportRefused(
                t(
                    '`map=` takes HEADING:COLUMN pairs, e.g. map="Employer:company,Position:role" '
                    "(got `{got}`).",
                    got=_quoted(part.strip(), 40),
                ),
                param="map",
            )
        if key not in keys:
            raise ImportRefused(
                t(
                    "`{key}` is not a {kind} column; use one of: {keys}.",
                    key=key[:30],
                    kind=kind,
                    keys=", ".join(keys),
                ),
                param="map",
            )
        mapping[normalise_heading(heading)] = key
    return mapping


@dataclass
class RowError:
    row: int
    problems: list[Rich]

    def __str__(self) -> str:
        return self.text().marked()

    def text(self) -> Text:
        """``row 4: stage `hired?` is not one of ...; ...``, values in code marks as spans."""
        parts: list[Rich] = [f"row {self.row}: "]
        for i, problem in enumerate(self.problems):
            parts += ["; ", problem] if i else [problem]
        return Text(*parts)


@dataclass
class ImportPlan:
    """What an import would do: valid rows by file row number, errors, and what was ignored."""

    kind: str
    columns: dict[int, str]
    valid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.valid) + len(self.errors) + len(self.duplicates)


def plan_import(
    table: Table,
    kind: str,
    *,
    today: date,
    mapping: dict[str, str] | None = None,
    existing: Iterable[tuple[Any, ...]] = (),
) -> ImportPlan:
    """Validate every row; ``existing`` holds duplicate keys already in the member's tracker."""
    index = heading_index(kind) | (mapping or {})
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for i, heading in enumerate(table.headings):
        key = index.get(normalise_heading(heading)) if heading else None
        if key and key not in ("id", "source") and key not in columns.values():
            columns[i] = key
        elif heading and key not in ("id", "source"):
            ignored.append(heading)
    required = REQUIRED[kind]
    missing = [k for k in required if k not in columns.values()]
    if missing:
        found = ", ".join(h for h in table.headings if h) or "none"
        raise ImportRefused(
            f"I can't find the {' and '.join(missing)} column for {kind} (headings found: "
            f'{_quoted(found, 200)}). Name them, e.g. map="Employer:{missing[0]}".',
            param="map",
        )
    plan = ImportPlan(kind, columns, ignored=ignored)
    seen = set(existing)
    for number, raw in table.rows:
        values = {key: raw[i] if i < len(raw) else None for i, key in columns.items()}
        problems: list[Rich] = []
        if len(raw) > len(table.headings) and any(
            not _blank(v) for v in raw[len(table.headings) :]
        ):
            problems.append(
                f"{len(raw)} cells but only {len(table.headings)} headings (a stray comma?)"
            )
        row = VALIDATORS[kind](values, today, problems)
        if problems:
            plan.errors.append(RowError(number, problems))
            continue
        same = duplicate_key(kind, row)
        if same in seen:
            plan.duplicates.append(number)
            continue
        seen.add(same)
        plan.valid.append((number, row))
    return plan


REQUIRED = {
    "applications": ("company", "role"),
    "contacts": ("name",),
    "practice": ("date", "minutes"),
}


def duplicate_key(kind: str, row: dict[str, Any]) -> tuple[Any, ...]:
    """Rows with the same key are the same entry (re-importing an export adds nothing)."""
    if kind == "applications":
        return (row["company"].lower(), row["role"].lower(), row["date"])
    if kind == "contacts":
        return (row["name"].lower(), row["company"].lower(), row["date"])
    return (row["date"], row["minutes"], row["what"].lower())


# -- cell validators -------------------------------------------------------------------------


def _text(
    values: dict[str, Any], key: str, limit: int, problems: list[Rich], *, required: bool = False
) -> str:
    value = values.get(key)
    if _blank(value):
        if required:
            problems.append(f"{key} is empty")
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = restore(str(value).replace("\x00", "").strip())
    text = clean_text(text)
    if len(text) > limit:
        problems.append(f"{key} is {len(text)} characters long (the limit is {limit})")
    return text


def _date(
    values: dict[str, Any],
    key: str,
    today: date,
    problems: list[Rich],
    *,
    default: date | None = None,
    past: bool = True,
) -> date | None:
    value = values.get(key)
    if _blank(value):
        return default
    found: date | None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    else:
        found = parse_cell_date(str(value).strip(), key, problems)
        if found is None:
            return None
    if found.year < 2000:
        problems.append(f"{key} {found.isoformat()} is too long ago")
    elif past and found > today:
        problems.append(f"{key} {found.isoformat()} is in the future")
    return found


def parse_cell_date(text: str, key: str, problems: list[Rich]) -> date | None:
    """ISO dates (and unambiguous month names); ``03/04/2026`` is refused as ambiguous."""
    cleaned = re.sub(r"\s+", " ", text.replace(",", " ")).strip()
    cleaned = (
        re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2})?$", "", cleaned)
        if re.match(r"\d{4}", cleaned)
        else cleaned
    )
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}", cleaned):
        problems.append(t("{key} `{got}` is not a real date", key=key, got=_quoted(text, 20)))
    elif re.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}", cleaned):
        problems.append(
            t(
                "{key} `{got}` is ambiguous (day or month first?); use 2026-11-03",
                key=key,
                got=_quoted(text, 20),
            )
        )
    else:
        problems.append(
            t("{key} `{got}` is not a date; use 2026-11-03", key=key, got=_quoted(text, 20))
        )
    return None


def _link(values: dict[str, Any], problems: list[Rich]) -> str:
    text = _text(values, "link", 500, problems)
    if text:
        parsed = urlparse(text)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in text:
            problems.append(
                t("link `{got}` is not a web address starting with https://", got=_quoted(text, 40))
            )
    return text


def _choice(
    value: str,
    key: str,
    choices: Sequence[str],
    aliases: dict[str, str],
    default: str,
    problems: list[Rich],
) -> str:
    if not value:
        return default
    wanted = normalise_heading(value)
    wanted = aliases.get(wanted, wanted).replace(" ", "-")
    if wanted in choices:
        return wanted
    problems.append(
        t(
            "{key} `{got}` is not one of {choices}",
            key=key,
            got=_quoted(value, 20),
            choices=", ".join(choices),
        )
    )
    return default


def _application(values: dict[str, Any], today: date, problems: list[Rich]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "company": _text(values, "company", 120, problems, required=True),
        "role": _text(values, "role", 120, problems, required=True),
        "link": _link(values, problems),
        "stage": _choice(
            _text(values, "stage", 40, problems),
            "stage",
            STAGES,
            STAGE_ALIASES,
            "applied",
            problems,
        ),
        "date": _date(values, "date", today, problems, default=today),
        "contact": _text(values, "contact", 120, problems),
        "learned": _text(values, "learned", 2000, problems),
        "next": _text(values, "next", 300, problems),
        "follow-up": _date(values, "follow-up", today, problems, past=False),
        "notes": _text(values, "notes", 2000, problems),
    }
    if row["learned"]:
        row["notes"] = "\n".join(p for p in (row["notes"], f"Learned: {row['learned']}") if p)
        if len(row["notes"]) > 4000:
            problems.append("notes and what I learned are too long together")
    return row


def _contact(values: dict[str, Any], today: date, problems: list[Rich]) -> dict[str, Any]:
    return {
        "name": _text(values, "name", 120, problems, required=True),
        "company": _text(values, "company", 120, problems),
        "role": _text(values, "role", 120, problems),
        "how": _choice(
            _text(values, "how", 40, problems), "how", CONTACT_CHANNELS, {}, "other", problems
        ),
        "date": _date(values, "date", today, problems, default=today),
        "learned": _text(values, "learned", 2000, problems),
        "next": _text(values, "next", 300, problems),
        "follow-up": _date(values, "follow-up", today, problems, past=False),
    }


def _practice(values: dict[str, Any], today: date, problems: list[Rich]) -> dict[str, Any]:
    day = _date(values, "date", today, problems)
    if day is None and not any("date" in p for p in problems):
        problems.append("date is empty")
    raw = values.get("minutes")
    minutes = 0
    if _blank(raw):
        problems.append("minutes is empty")
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        minutes = int(raw)
        if minutes != raw:
            problems.append(t("minutes `{got}` is not a whole number", got=_quoted(raw, 20)))
    else:
        try:
            minutes = parse_duration_minutes(str(raw).strip())
        except DurationParseError:
            problems.append(
                t("minutes `{got}` is not a duration; use 45 or 1h30m", got=_quoted(raw, 20))
            )
    if minutes and not 1 <= minutes <= 24 * 60:
        problems.append(f"minutes {minutes} is not between 1 and 1440")
    return {
        "date": day,
        "minutes": minutes,
        "what": _text(values, "what", 300, problems),
        "link": _link(values, problems),
    }


VALIDATORS = {"applications": _application, "contacts": _contact, "practice": _practice}
