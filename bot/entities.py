"""Things members refer to by a short id (A3, C7, G2, B1): one registry that parameters,
autocomplete and forms share.

An ``Entity`` knows its prefix, how to load one of the caller's rows by its per-tenant number
(with the old global ids of migration 0005 still found, and a note saying the new id), and how to
list the caller's rows matching what they typed. A command declares ``ref(APPLICATION)`` and its
handler receives the row itself, already checked to be the caller's own.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import func, or_, select

from bot.errors import NotFound, UsageError
from bot.params import Kind, Param
from bot.replies import Text, t
from storage.models import (
    Application,
    Barrier,
    Contact,
    Goal,
    HourLog,
    Interview,
    Numbered,
    PracticeLog,
)
from storage.repository import TenantRepository

N = TypeVar("N", bound=Numbered)

LEGACY_IDS_UNTIL = date(2027, 6, 30)
"""Until then an id from before numbers were per workspace (migration 0005) still finds its
row, with a note saying its new id."""

MAX_SUGGESTIONS = 25


@dataclass(frozen=True)
class Entity(Generic[N]):
    """A kind of row members refer to by ``prefix`` + per-tenant number."""

    prefix: str
    noun: str  # "application"
    plural: str  # "applications"
    model: type[N]
    lister: str  # the command that lists them: "apps"
    describe: Callable[[N], str]  # how a suggestion reads after the id
    searched: tuple[str, ...]  # columns a typed fragment is looked up in
    newest_first: str  # the column suggestions are ordered by, newest first

    @property
    def article(self) -> str:
        return "an" if self.noun[0] in "aeiou" else "a"

    def label(self, row: N) -> str:
        """How users see the row: ``A12`` (its per-tenant number, never its primary key)."""
        return f"{self.prefix}{row.number}"

    def parse(self, raw: str, param: str) -> int:
        """``A12``, ``a12``, ``#12`` or ``12`` -> 12; a usage error naming ``param`` otherwise."""
        m = re.fullmatch(rf"(?:{self.prefix})?#?(\d{{1,12}})", raw.strip(), re.IGNORECASE)
        if not m:
            raise UsageError(
                t(
                    "`{raw}` is not {article} {noun} id; ids look like {prefix}12.",
                    raw=raw.strip()[:30],
                    article=self.article,
                    noun=self.noun,
                    prefix=self.prefix,
                ),
                param=param,
            )
        return int(m[1])

    async def load(
        self, repo: TenantRepository, member_id: int, number: int, today: date
    ) -> tuple[N | None, Text | None]:
        """The member's row shown as ``number`` (or by its old id, with a note saying so)."""
        found = await repo.numbered(self.model, member_id, number, legacy=today <= LEGACY_IDS_UNTIL)
        note = None
        if found is not None and found.number != number:
            note = Text(
                f"ℹ️ {self.prefix}{number} is now {self.label(found)}; "
                f"old ids work until {LEGACY_IDS_UNTIL.isoformat()}."
            )
        return found, note

    async def search(
        self, repo: TenantRepository, member_id: int, typed: str, limit: int = MAX_SUGGESTIONS
    ) -> list[tuple[str, str]]:
        """``(label, id)`` of the member's rows matching ``typed``, newest first."""
        model: Any = self.model
        query = select(model).where(model.member_id == member_id)
        words = typed.strip()
        number = re.fullmatch(rf"(?:{self.prefix})?#?(\d{{1,12}})", words, re.IGNORECASE)
        if number:
            query = query.where(model.number == int(number[1]))
        elif words:
            fragment = f"%{words.lower()}%"
            query = query.where(
                or_(*(func.lower(getattr(model, c)).like(fragment) for c in self.searched))
            )
        query = query.order_by(getattr(model, self.newest_first).desc(), model.number.desc())
        rows = await repo.scalars(query.limit(limit))
        return [(f"{self.label(r)} · {self.describe(r)}", self.label(r)) for r in rows]


def _at(company: str) -> str:
    return f" at {company}" if company else ""


APPLICATION = Entity(
    "A",
    "application",
    "applications",
    Application,
    "apps",
    lambda a: f"{a.role} at {a.company} ({a.stage})",
    ("company", "role"),
    "applied_on",
)
CONTACT = Entity(
    "C",
    "contact",
    "contacts",
    Contact,
    "contacts",
    lambda c: f"{c.name}{_at(c.company)}",
    ("name", "company"),
    "contacted_on",
)
GOAL = Entity("G", "goal", "goals", Goal, "goal list", lambda g: g.title, ("title",), "created_at")
BARRIER = Entity(
    "B",
    "barrier",
    "barriers",
    Barrier,
    "barrier list",
    lambda b: b.barrier,
    ("barrier",),
    "created_at",
)
INTERVIEW = Entity(
    "I",
    "interview",
    "interviews",
    Interview,
    "interview list",
    lambda i: f"{i.kind}{' mock' if i.mock else ''}{_at(i.company)} ({i.day.isoformat()})",
    ("company", "with_whom", "kind"),
    "day",
)
PRACTICE = Entity(
    "P",
    "practice log",
    "practice logs",
    PracticeLog,
    "log kind=practice",
    lambda p: f"{p.minutes}m {p.what}".strip() + f" ({p.day.isoformat()})",
    ("what",),
    "day",
)
HOURS = Entity(
    "H",
    "hours log",
    "hours logs",
    HourLog,
    "log kind=hours",
    lambda h: f"{h.minutes}m {h.category} {h.note}".strip() + f" ({h.day.isoformat()})",
    ("category", "note"),
    "day",
)
ENTITIES: tuple[Entity[Any], ...] = (
    APPLICATION,
    CONTACT,
    GOAL,
    BARRIER,
    INTERVIEW,
    PRACTICE,
    HOURS,
)
LOGS: tuple[Entity[Any], ...] = (APPLICATION, CONTACT, PRACTICE, HOURS)
"""The logs members correct by id: ``/log`` lists them, ``/delete`` and ``/undo`` work on them."""


@dataclass(frozen=True)
class Ref:
    """What a reference parameter accepts: one or more entities, and how a miss is worded."""

    entities: tuple[Entity[Any], ...]
    what: str = ""  # "a follow-up": how a mixed id is named in errors
    missing: str = ""  # e.g. "You have nothing to follow up with id {id}."
    hint: str = ""  # e.g. "See what is due with `/followups`."

    def python_type(self) -> Any:
        """The row type(s) a handler receives: ``Application`` or ``Application | Contact``."""
        return functools.reduce(operator.or_, (e.model for e in self.entities))

    def entity_for(self, raw: str, param: str) -> Entity[Any]:
        """Which entity ``raw`` names: the only one, or the one whose prefix it starts with."""
        if len(self.entities) == 1:
            return self.entities[0]
        text = raw.strip().upper()
        for entity in self.entities:
            if text.startswith(entity.prefix):
                return entity
        kinds = " or ".join(
            f"{e.prefix}{n} for {e.article} {e.noun}"
            for e, n in zip(self.entities, (12, 7, 3, 2), strict=False)
        )
        raise UsageError(
            t(
                "`{raw}` is not {what} id; use {kinds}.",
                raw=raw.strip()[:20],
                what=self.what,
                kinds=kinds,
            ),
            param=param,
        )

    async def resolve(
        self, raw: str, param: str, repo: TenantRepository, member_id: int, today: date
    ) -> tuple[Any, Text | None]:
        """The caller's row ``raw`` names (and a note when an old id found it), or a friendly
        error: malformed, another kind, or not one of theirs (in any tenant)."""
        entity = self.entity_for(raw, param)
        number = entity.parse(raw.strip().upper() if len(self.entities) > 1 else raw, param)
        row, note = await entity.load(repo, member_id, number, today)
        if row is None:
            shown = f"{entity.prefix}{number}"
            if self.missing:
                raise NotFound(t(self.missing, id=shown), hint=t(self.hint) if self.hint else "")
            raise NotFound(
                f"You have no {entity.noun} {shown}.",
                hint=t(
                    "See your {plural} with `/{lister}`.",
                    plural=entity.plural,
                    lister=entity.lister,
                ),
            )
        return row, note

    async def suggest(
        self, repo: TenantRepository, member_id: int, typed: str
    ) -> list[tuple[str, str]]:
        """Autocomplete: the caller's rows of every accepted entity matching ``typed``."""
        found: list[tuple[str, str]] = []
        for entity in self.entities:
            found += await entity.search(repo, member_id, typed)
        return found[:MAX_SUGGESTIONS]


def ref(
    *entities: Entity[Any],
    name: str = "id",
    help: str = "",
    what: str = "",
    missing: str = "",
    hint: str = "",
    required: bool = True,
    positional: bool = True,
) -> Param:
    """A parameter naming one of the caller's rows, e.g. ``ref(APPLICATION)`` (positional) or
    ``ref(APPLICATION, name="app", positional=False)`` for ``app=A3``."""
    spec = Ref(tuple(entities), what=what, missing=missing, hint=hint)
    first = entities[0]
    described = help or (
        f"the {first.noun} id" if len(entities) == 1 else f"{what or 'an item'} id"
    )
    return Param(
        name,
        Kind.REF,
        described,
        required=required,
        positional=positional,
        max_length=20,
        example=f"{first.prefix}1",
        ref=spec,
    )
