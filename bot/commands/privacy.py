"""/privacy: a member takes all their data with them (JSON and CSV in a zip), or has it forgotten.

Export and forget both go through ``TenantRepository.member_data`` / ``forget_member``, which
find every row that names the member, so a new table with a ``member_id`` is covered by default.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, time
from typing import Any

from bot.context import Context
from bot.errors import UsageError
from bot.params import Kind, Param
from bot.registry import CommandSet, Example
from bot.replies import File, Reply, t
from bot.tracker.safety import neutralise

commands = CommandSet()

# Columns that are secrets or platform bookkeeping, not the member's data.
REDACTED = frozenset({"token", "etag"})


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (``=HYPERLINK(...)`` gets a ``'``)."""
    return neutralise("" if value is None else str(_json_value(value)))


def _clean(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {k: _json_value(v) for k, v in row.items() if k not in REDACTED and k != "tenant_id"}
        for row in rows
    ]


def _records(data: dict[str, list[dict[str, Any]]]) -> int:
    """How many records the member has, not counting their profile."""
    return sum(len(rows) for name, rows in data.items() if name != "members")


def build_archive(data: dict[str, list[dict[str, Any]]], exported_at: datetime) -> bytes:
    """One zip: ``data.json`` with every table, and one CSV per table that has rows."""
    tables = {name: _clean(rows) for name, rows in sorted(data.items())}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        document = {"exported_at": exported_at.isoformat(), "tables": tables}
        archive.writestr("data.json", json.dumps(document, indent=2, ensure_ascii=False))
        for name, rows in tables.items():
            if not rows:
                continue
            out = io.StringIO()
            writer = csv.writer(out)
            columns = list(rows[0])
            writer.writerow(columns)
            writer.writerows([safe_cell(row.get(c)) for c in columns] for row in rows)
            archive.writestr(f"csv/{name}.csv", out.getvalue())
        archive.writestr(
            "README.txt",
            "Your Offerbound data. data.json holds every table; csv/ has one file per table.\n"
            "Times are UTC; days are your local dates.\n",
        )
    return buffer.getvalue()


@commands.command(
    "privacy export",
    "Download all your data: every log, plan, goal and answer, as JSON and CSV in a zip",
    examples=[Example("/privacy export", "All your data")],
    expensive=True,
)
async def privacy_export(ctx: Context) -> Reply:
    data = await ctx.repo.member_data(ctx.member.id)
    total = _records(data)
    archive = build_archive(data, ctx.now)
    return Reply.of(
        f"📦 All your data: {total} records in {sum(1 for r in data.values() if r)} tables "
        "(JSON and CSV in a zip). Only you can see this.",
        File(
            f"offerbound-data-{ctx.today:%Y-%m-%d}.zip",
            archive,
            "application/zip",
            "Your Offerbound data",
        ),
    )


@commands.command(
    "privacy forget",
    "Delete all your data for good (asks for confirm=yes)",
    params=[
        Param(
            "confirm",
            Kind.CHOICE,
            "yes, to really delete everything",
            choices=("yes", "no"),
            example="yes",
        )
    ],
    examples=[
        Example("/privacy forget", "confirm=yes"),
        Example("/privacy forget confirm=yes", "forgotten", as_user="dana"),
    ],
    details="Deletes your applications, contacts, practice, hours, check-ins, retros, plans, "
    "goals, career plan, barriers and kudos, then your profile. It cannot be undone; "
    "take a copy first with /privacy export.",
)
async def privacy_forget(ctx: Context, *, confirm: str | None) -> Reply:
    if confirm != "yes":
        data = await ctx.repo.member_data(ctx.member.id)
        total = _records(data)
        if confirm == "no":
            return Reply.of("Nothing was deleted.")
        return Reply.of(
            t(
                "This deletes all {total} of your records and your profile, for good. "
                "Take a copy first with `/privacy export`, then run "
                "`/privacy forget confirm=yes`.",
                total=str(total),
            )
        )
    if ctx.is_coach and ctx.cohort is not None:
        coaches = [m for m in await ctx.repo.cohort_members(ctx.cohort.id) if m.role == "coach"]
        others = [m for m in await ctx.repo.cohort_members(ctx.cohort.id) if m.role != "coach"]
        if len(coaches) == 1 and others:
            raise UsageError(
                f"You are the only coach of {ctx.cohort.name}; make someone else a coach first.",
                hint="e.g. /cohort coach @bob",
            )
    counts = await ctx.repo.forget_member(ctx.member.id)
    ctx.schedule_changed()
    return Reply.of(
        f"🗑️ You have been forgotten: {sum(counts.values())} records and your profile are "
        "deleted. If you use the bot again you start afresh."
    )
