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
from bot.tracker.columns import KINDS, import_keys
from bot.tracker.export import CSV_MIME, XLSX_MIME, to_csv, to_xlsx
from bot.tracker.importer import (
    MAX_UPLOAD_BYTES,
    ImportPlan,
    ImportRefused,
    duplicate_key,
    parse_mapping,
    plan_import,
    read_path,
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
        Param("kind", Kind.CHOICE, "what the rows are", choices=KINDS, example="contacts"),
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
    kind = kind or "applications"
    if not ctx.invocation.capabilities.local_files and not ctx.invocation.attachments:
        return Reply.of(UPLOAD_HOW)
    try:
        data, name = _upload(ctx, file)
        mapping = parse_mapping(map, kind)
        async with ctx.outside():  # nothing is held while the file is read
            table = await read_table_safely(data, name, kind)
        plan = plan_import(
            table, kind, today=ctx.today, mapping=mapping, existing=await _existing(ctx, kind)
        )
    except ImportRefused as exc:
        raise UsageError(exc.message, param=exc.param) from exc
    summary = _summary(plan)
    if dry_run == "yes":
        verb = "Would import" if plan.valid else "Nothing to import:"
        return Reply.of(f"🔎 {verb} {_count(plan)} (dry run, nothing saved).", *summary)
    if plan.errors and skip_bad != "yes":
        return Reply(
            blocks=(
                Text(
                    f"⚠️ Nothing imported: {len(plan.errors)} of {plan.total} rows have problems. "
                    "Fix them and import again, or add skip-bad=yes to import the "
                    f"{len(plan.valid)} valid rows."
                ),
                *summary,
            ),
            ok=False,
        )
    if not plan.valid:
        why = "every row is already in your tracker" if plan.total else "the sheet has no rows"
        return Reply.of(f"Nothing new to import: {why}.", *summary)
    await _write(ctx, plan)
    skipped = f" Skipped {len(plan.errors)} bad rows." if plan.errors else ""
    return Reply.of(f"📥 Imported {_count(plan)}.{skipped}", *summary)


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


def _count(plan: ImportPlan) -> str:
    n = len(plan.valid)
    noun = {"applications": "application", "contacts": "contact", "practice": "practice log"}
    return f"{n} {noun[plan.kind]}{'' if n == 1 else 's'}"


def _summary(plan: ImportPlan) -> list[Fields | Text]:
    found = ", ".join(plan.columns.values())
    fields = [("Rows", str(plan.total)), ("Valid", str(len(plan.valid))), ("Columns", found)]
    if plan.duplicates:
        rows = ", ".join(str(n) for n in plan.duplicates[:20])
        fields.append(("Already tracked (skipped)", f"{len(plan.duplicates)} (rows {rows})"))
    if plan.ignored:
        fields.append(("Ignored headings", ", ".join(plan.ignored)[:300]))
    blocks: list[Fields | Text] = [Fields("Import check", tuple(fields))]
    if plan.errors:
        lines: list[Rich] = ["Problems:"]
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
