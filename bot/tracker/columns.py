"""The tracker's sheets and columns, declared once for export, import and the docs.

The headings are the ones a job-search tracker spreadsheet uses, so a member's own sheet (or one
exported from another tool) maps onto them with little or no ``map=``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.entities import APPLICATION, CONTACT
from storage.models import Application, Contact, PracticeLog

KINDS = ("applications", "contacts", "practice")


@dataclass(frozen=True)
class Column:
    """One column: its heading, the key ``map=`` names it by, and other headings it accepts."""

    heading: str
    key: str
    export: Callable[[Any], Any]
    aliases: tuple[str, ...] = ()


APPLICATION_COLUMNS = (
    Column("ID", "id", APPLICATION.label),
    Column("Company", "company", lambda a: a.company, ("employer", "organisation", "organization")),
    Column("Role", "role", lambda a: a.role, ("position", "title", "job title", "job")),
    Column("Link", "link", lambda a: a.url, ("url", "job link", "posting", "job url")),
    Column("Stage", "stage", lambda a: a.stage, ("status",)),
    Column(
        "Date applied",
        "date",
        lambda a: a.applied_on,
        ("applied", "applied on", "application date", "date"),
    ),
    Column("Contact", "contact", lambda a: a.contact, ("contact person", "recruiter", "who")),
    Column("What I learned", "learned", lambda a: "", ("learned", "lessons", "what i learnt")),
    Column("Next step", "next", lambda a: a.next_step, ("next steps", "next", "next action")),
    Column(
        "Follow-up date",
        "follow-up",
        lambda a: a.follow_up,
        ("follow up", "followup", "follow-up", "follow up date", "follow up on"),
    ),
    Column("Notes", "notes", lambda a: a.notes, ("note", "comments", "comment")),
)

CONTACT_COLUMNS = (
    Column("ID", "id", CONTACT.label),
    Column("Name", "name", lambda c: c.name, ("contact", "person", "full name", "who")),
    Column("Company", "company", lambda c: c.company, ("employer", "organisation", "organization")),
    Column("Role", "role", lambda c: c.role, ("position", "title", "job title")),
    Column("How", "how", lambda c: c.channel, ("channel", "via", "met via", "how we met")),
    Column(
        "Date contacted",
        "date",
        lambda c: c.contacted_on,
        ("contacted", "contacted on", "date", "date reached out"),
    ),
    Column("What I learned", "learned", lambda c: c.learned, ("learned", "lessons", "notes")),
    Column("Next step", "next", lambda c: c.next_step, ("next steps", "next", "next action")),
    Column(
        "Follow-up date",
        "follow-up",
        lambda c: c.follow_up,
        ("follow up", "followup", "follow-up", "follow up date", "follow up on"),
    ),
)

PRACTICE_COLUMNS = (
    Column("Date", "date", lambda p: p.day, ("day",)),
    Column("Minutes", "minutes", lambda p: p.minutes, ("duration", "time", "mins")),
    Column("What", "what", lambda p: p.what, ("description", "topic", "what i practised")),
    Column("Link", "link", lambda p: p.link, ("url", "commit")),
    Column("Source", "source", lambda p: p.source, ()),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "applications": APPLICATION_COLUMNS,
    "contacts": CONTACT_COLUMNS,
    "practice": PRACTICE_COLUMNS,
}
SHEET_TITLES = {"applications": "Applications", "contacts": "Contacts", "practice": "Practice log"}
MODELS = {"applications": Application, "contacts": Contact, "practice": PracticeLog}


def normalise_heading(text: str) -> str:
    """``Follow_up Date `` -> ``follow up date``: compare headings loosely."""
    return re.sub(r"[\s_\-:./]+", " ", str(text).strip().lower()).strip()


def heading_index(kind: str) -> dict[str, str]:
    """Every accepted heading (normalised) -> the column key, for one kind of sheet."""
    index: dict[str, str] = {}
    for column in COLUMNS[kind]:
        for name in (column.key, *column.aliases, column.heading):
            index.setdefault(normalise_heading(name), column.key)
    return index


def import_keys(kind: str) -> tuple[str, ...]:
    """The column keys ``map=`` may name for ``kind`` (``id`` and ``source`` are export-only)."""
    return tuple(c.key for c in COLUMNS[kind] if c.key not in ("id", "source"))
