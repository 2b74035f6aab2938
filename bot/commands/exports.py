"""/export tracker and /import tracker: the member's tracker as a spreadsheet, and back again."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.context import Context
from bot.errors import UsageError
from bot.format import file_slug
from bot.params import Kind, Param
from bot.registry import CommandSet, Example
from bot.replies import Fields, File, Reply, Rich, Text, t
from bot.services.applications import log_applications
from bot.tracker.columns import KINDS, SHEET_TITLES, import_keys
from bot.tracker.export import CSV_MIME, XLSX_MIME, to_csv, to_xlsx
from bot.tracker.importer import (
    MAX_UPLOAD_BYTES,
    ImportPlan,
    ImportRefused,
    Table,
    detect_kind,
    duplicate_key,
    parse_mapping,
    plan_import,
    read_path,
    read_sheets_safely,
    read_table_safely,
    too_big_message,
)
from storage.models import Application, Contact, PracticeLog

commands = CommandSet()

SHOWN_ERRORS = 15


async def _items(ctx: Context, kind: str) -> list[Any]:
    member_id = ctx.member.id
    if kind == "applications":
        return list(reversed(await ctx.repo.applications(member_id)))
    if kind == "contacts":
        return list(reversed(await ctx.repo.contacts(member_id)))
    return list(await ctx.repo.practice_logs(member_id))


def _file_name(ctx: Context, kind: str, extension: str) -> str:
    """``alice-applications-2026-11-18.csv``: who, what and when, so files never collide."""
    return f"{file_slug(ctx.member.display_name)}-{kind}-{ctx.today.isoformat()}.{extension}"


@commands.command(
    "export tracker",
    "Download your applications, contacts and practice log as a spreadsheet (XLSX or CSV)",
    params=[
        Param("format", Kind.CHOICE, "file type", choices=("xlsx", "csv"), example="csv"),
        Param(
            "what",
            Kind.CHOICE,
            "which sheets",
            choices=("all", *KINDS),
            example="applications",
        ),
    ],
    examples=[
        Example("/export tracker", "Your tracker"),
        Example("/export tracker format=csv what=applications", "applications"),
    ],
    details=(
        "Columns: company, role, link, stage, date applied, contact, what I learned, next step, "
        "follow-up date, notes (and a contacts and a practice-log sheet). Cells that a spreadsheet "
        "would run as a formula (starting with = + - @) are saved as text with a leading '."
    ),
    expensive=True,
)
async def export_tracker(ctx: Context, *, format: str | None, what: str | None) -> Reply:
    kinds: tuple[str, ...] = KINDS if what in (None, "all") else (what,)
    sheets: dict[str, Sequence[Any]] = {kind: await _items(ctx, kind) for kind in kinds}
    counts = ", ".join(f"{len(rows)} {kind}" for kind, rows in sheets.items())
    if (format or "xlsx") == "xlsx":
        files = [
            File(
                _file_name(ctx, "tracker", "xlsx"),
                to_xlsx(sheets),
                XLSX_MIME,
                "Your tracker (Excel, Google Sheets, Numbers, LibreOffice)",
            )
        ]
    else:
        files = [
            File(_file_name(ctx, kind, "csv"), to_csv(kind, rows), CSV_MIME, f"Your {kind}")
            for kind, rows in sheets.items()
        ]
    return Reply.of(f"📦 Your tracker: {counts}.", *files)


@commands.command(
    "import tracker",
    "Import applications, contacts or practice from a CSV or XLSX tracker (checked first)",
    params=[
        Param(
            "file",
            Kind.TEXT,
            "the file: on the console its path; on Slack and Discord upload it to the bot's DM "
            'with the message "import tracker"',  # a parameter's help is plain everywhere
            positional=True,
            max_length=500,
            example="tracker.csv",
        ),
        Param(
            "kind",
            Kind.CHOICE,
            "what the rows are (default: told by the sheet names or headings)",
            choices=KINDS,
            example="contacts",
        ),
        Param(
            "map",
            Kind.TEXT,
            "your headings for our columns, HEADING:COLUMN pairs",
            max_length=500,
            example='"Employer:company,Position:role"',
        ),
        Param(
            "skip-bad",
            Kind.CHOICE,
            "import the valid rows, skip the bad ones",
            choices=("yes", "no"),
        ),
        Param("dry-run", Kind.CHOICE, "only show what would be imported", choices=("yes", "no")),
    ],
    examples=[
        Example(
            "/import tracker docs/examples/tracker.csv dry-run=yes",
            "import",
        ),
    ],
    details=(
        "Each sheet's kind (applications, contacts, practice) is told by its name or headings "
        "unless you give kind=; every sheet of a workbook is read (an /export tracker file "
        "imports back whole). "
        "Nothing is written unless every row is valid, or you confirm with skip-bad=yes. Rows "
        "already in your tracker are skipped. Map your own headings with "
        'map="Employer:company,Position:role"; columns: '
        + "; ".join(f"{k}: {', '.join(import_keys(k))}" for k in KINDS)
        + f". Files up to {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
    ),
    expensive=True,
)
async def import_tracker(
    ctx: Context,
    *,
    file: str | None,
    kind: str | None,
    map: str | None,
    skip_bad: str | None,
    dry_run: str | None,
) -> Reply:
    if not ctx.invocation.capabilities.local_files and not ctx.invocation.attachments:
        return Reply.of(UPLOAD_HOW)
    try:
        data, name = _upload(ctx, file)
        if kind is not None:
            parse_mapping(map, kind)  # a bad map= is refused before the file is read
            async with ctx.outside():  # nothing is held while the file is read
                sheets = [(kind, await read_table_safely(data, name, kind))]
        else:
            async with ctx.outside():
                sheets = _kinds(await read_sheets_safely(data, name))
        plans = [
            plan_import(
                table,
                sheet_kind,
                today=ctx.today,
                mapping=parse_mapping(map, sheet_kind),
                existing=await _existing(ctx, sheet_kind),
            )
            for sheet_kind, table in sheets
        ]
    except ImportRefused as exc:
        raise UsageError(exc.message, param=exc.param) from exc
    summary = [block for plan in plans for block in _summary(plan, titled=len(plans) > 1)]
    valid = sum(len(p.valid) for p in plans)
    errors = sum(len(p.errors) for p in plans)
    total = sum(p.total for p in plans)
    if dry_run == "yes":
        verb = "Would import" if valid else "Nothing to import:"
        return Reply.of(f"🔎 {verb} {_counts(plans)} (dry run, nothing saved).", *summary)
    if errors and skip_bad != "yes":
        return Reply(
            blocks=(
                Text(
                    f"⚠️ Nothing imported: {errors} of {total} rows have problems. "
                    "Fix them and import again, or add skip-bad=yes to import the "
                    f"{valid} valid rows."
                ),
                *summary,
            ),
            ok=False,
        )
    if not valid:
        why = "every row is already in your tracker" if total else "the sheet has no rows"
        return Reply.of(f"Nothing new to import: {why}.", *summary)
    for plan in plans:
        await _write(ctx, plan)
    skipped = f" Skipped {errors} bad rows." if errors else ""
    return Reply.of(f"📥 Imported {_counts(plans)}.{skipped}", *summary)


def _kinds(sheets: list[tuple[str, Table]]) -> list[tuple[str, Table]]:
    """Each sheet with the kind its name or headings show. A sheet no kind fits is left out
    of a workbook; a file of one such sheet is read as applications (``map=`` names columns)."""
    found = [(detect_kind(table, name), table) for name, table in sheets]
    known = [(k, table) for k, table in found if k is not None]
    if known:
        return known
    return [("applications", sheets[0][1])]


UPLOAD_HOW = t(
    "📎 Upload your CSV or XLSX tracker in a direct message with me, with the message "
    "`import tracker` (add options such as `dry-run=yes` after it)."
)


def _upload(ctx: Context, file: str | None) -> tuple[bytes, str]:
    """The file to import: an upload sent with the command, or (console only) a local path.

    A chat user never gets to read a path on the bot's server.
    """
    if ctx.invocation.attachments:
        upload = ctx.invocation.attachments[0]
        size = max(upload.size, len(upload.content))
        if size > MAX_UPLOAD_BYTES:
            raise ImportRefused(too_big_message(size, MAX_UPLOAD_BYTES))
        return upload.content, upload.filename
    if file is None or not file.strip():
        raise UsageError(
            "Give the path of your CSV or XLSX tracker, e.g. ~/tracker.csv.", param="file"
        )
    path = Path(file.strip().strip('"')).expanduser()
    return read_path(path), path.name


NOUNS = {"applications": "application", "contacts": "contact", "practice": "practice log"}


def _counts(plans: Sequence[ImportPlan]) -> str:
    """``3 applications, 1 contact and 0 practice logs`` (one entry per sheet)."""
    parts = []
    for plan in plans:
        n = len(plan.valid)
        parts.append(f"{n} {NOUNS[plan.kind]}{'' if n == 1 else 's'}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _summary(plan: ImportPlan, *, titled: bool = False) -> list[Fields | Text]:
    found = ", ".join(plan.columns.values())
    fields = [("Rows", str(plan.total)), ("Valid", str(len(plan.valid))), ("Columns", found)]
    if plan.duplicates:
        rows = ", ".join(str(n) for n in plan.duplicates[:20])
        fields.append(("Already tracked (skipped)", f"{len(plan.duplicates)} (rows {rows})"))
    if plan.ignored:
        fields.append(("Ignored headings", ", ".join(plan.ignored)[:300]))
    title = f"Import check: {SHEET_TITLES[plan.kind]}" if titled else "Import check"
    blocks: list[Fields | Text] = [Fields(title, tuple(fields))]
    if plan.errors:
        lines: list[Rich] = [f"Problems ({SHEET_TITLES[plan.kind]}):" if titled else "Problems:"]
        lines += [Text("• ", error.text()) for error in plan.errors[:SHOWN_ERRORS]]
        if len(plan.errors) > SHOWN_ERRORS:
            lines.append(f"…and {len(plan.errors) - SHOWN_ERRORS} more rows with problems.")
        blocks.append(_lines(lines))
    return blocks


def _lines(lines: Sequence[Rich]) -> Text:
    """Lines (plain or with spans) as one paragraph."""
    parts: list[Rich] = []
    for i, line in enumerate(lines):
        parts += ["\n", line] if i else [line]
    return Text(*parts)


async def _existing(ctx: Context, kind: str) -> set[tuple[Any, ...]]:
    items = await _items(ctx, kind)
    if kind == "applications":
        rows = [{"company": a.company, "role": a.role, "date": a.applied_on} for a in items]
    elif kind == "contacts":
        rows = [{"name": c.name, "company": c.company, "date": c.contacted_on} for c in items]
    else:
        rows = [{"date": p.day, "minutes": p.minutes, "what": p.what} for p in items]
    return {duplicate_key(kind, row) for row in rows}


async def _write(ctx: Context, plan: ImportPlan) -> None:
    member_id, now = ctx.member.id, ctx.now
    rows = [row for _, row in plan.valid]
    if plan.kind == "applications":
        apps = [
            Application(
                member_id=member_id,
                company=r["company"],
                role=r["role"],
                url=r["link"],
                stage=r["stage"],
                contact=r["contact"],
                notes=r["notes"],
                next_step=r["next"],
                follow_up=r["follow-up"],
                applied_on=r["date"],
                created_at=now,
                updated_at=now,
            )
            for r in rows
        ]
        await log_applications(ctx.repo, apps, now)
    elif plan.kind == "contacts":
        await ctx.repo.add_all(
            [
                Contact(
                    member_id=member_id,
                    name=r["name"],
                    company=r["company"],
                    role=r["role"],
                    channel=r["how"],
                    learned=r["learned"],
                    next_step=r["next"],
                    follow_up=r["follow-up"],
                    contacted_on=r["date"],
                    created_at=now,
                    updated_at=now,
                )
                for r in rows
            ]
        )
    else:
        await ctx.repo.add_all(
            [
                PracticeLog(
                    member_id=member_id,
                    day=r["date"],
                    minutes=r["minutes"],
                    what=r["what"],
                    link=r["link"],
                    source="import",
                    created_at=now,
                )
                for r in rows
            ]
        )
