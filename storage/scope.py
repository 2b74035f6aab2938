"""Tenant scoping by construction: every statement on a tenant-owned table is limited to one tenant.

SQLAlchemy's "global WHERE criteria" recipe, enforced on every session ``session_factory`` makes:

- A statement run with the execution option ``offerbound_tenant=<id>`` (``TenantRepository``
  sets it on everything it runs) gets ``tenant_id = <id>`` added for every tenant-owned entity
  in it (``with_loader_criteria``): the SELECT, its joins and subqueries, ORM UPDATE and DELETE.
  An INSERT must carry that tenant on every row. A Core statement on a tenant table (``select(
  Model.__table__)``, ``table.delete()``) cannot be scoped this way and is refused.
- A statement touching a tenant-owned table with no tenant raises ``UnscopedQuery`` (default
  deny), unless the session was opened with ``system_session()``: the few cross-tenant jobs (the
  outbox store, the scheduler's planner and jobs, the delivery worker's bulk load of recipients,
  the calendar-token directory, dashboard sign-in links, GitHub sync scheduling). Grep for
  ``system_session(`` to see them.
- A flush refuses a new row of another tenant than the repository that added it, fills a missing
  ``tenant_id`` from it, and refuses any change of ``tenant_id`` on an existing row.

The tenant travels with each statement, not with the session, so one session can serve several
tenants' repositories one after another (the delivery worker renders a batch that way).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table, event, inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, with_loader_criteria
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ColumnClause, TextClause

from storage.models import TENANT_TABLES, TenantOwned

TENANT = "offerbound_tenant"  # execution option: the tenant a statement is limited to
SYSTEM = "offerbound_system"  # session.info flag: a cross-tenant session (system_session)
_OWNERS = "offerbound_owners"  # session.info: new row -> the tenant of the repository adding it

_TENANT_TABLE_NAMES = frozenset(t.name for t in TENANT_TABLES)


class UnscopedQuery(RuntimeError):
    """A statement on tenant-owned rows ran without a tenant, outside a system session."""


class CrossTenantWrite(PermissionError):
    """A write would put a row into another tenant than the one in scope."""


class ScopedSession(Session):
    """The sync session behind every ``AsyncSession`` of ``session_factory``: scoping applies."""


def system_session(sessions: async_sessionmaker[AsyncSession]) -> AsyncSession:
    """Open a session that may read and write across tenants (only for the cross-tenant jobs).

    Statements run through a ``TenantRepository`` on it are still limited to that repository's
    tenant; only statements without a tenant may see every tenant's rows.
    """
    return sessions(info={SYSTEM: True})


def is_system(session: AsyncSession | Session) -> bool:
    return bool(session.info.get(SYSTEM))


def require_system(session: AsyncSession | Session, who: str) -> None:
    """Refuse to run cross-tenant code (``who``) on a session that is not a system session."""
    if not is_system(session):
        raise UnscopedQuery(f"{who} reads across tenants: open its session with system_session()")


def is_scoped(session: AsyncSession | Session) -> bool:
    """Whether the session enforces scoping (it was made by ``storage.engine.session_factory``)."""
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    return isinstance(sync, ScopedSession)


def note_owner(session: AsyncSession, row: object, tenant_id: int) -> None:
    """Record that ``row`` is being added by ``tenant_id``'s repository (checked at flush)."""
    owners = session.info.setdefault(_OWNERS, weakref.WeakKeyDictionary())
    owners[row] = tenant_id


def _criteria(tenant_id: int) -> Any:
    return with_loader_criteria(
        TenantOwned,
        lambda cls: cls.tenant_id == tenant_id,
        include_aliases=True,
    )


def _tenant_tables(statement: Any) -> tuple[set[str], set[str]]:
    """Tenant tables the statement touches, and those it names only as plain Core tables.

    ORM statements carry annotated tables and columns (they know their mapped class, so the
    criteria reach them). A tenant table that never appears annotated was named through Core
    (``Model.__table__``, ``table.delete()``): the criteria can't reach it. (Naming one table both
    ways in one statement is not detected: don't.)
    """
    touched: set[str] = set()
    annotated: set[str] = set()
    for element in visitors.iterate(statement):
        if isinstance(element, Table):
            table = element
        elif isinstance(element, ColumnClause) and isinstance(element.table, Table):
            table = element.table
        else:
            continue
        if table.name not in _TENANT_TABLE_NAMES:
            continue
        touched.add(table.name)
        if "parententity" in element._annotations:
            annotated.add(table.name)
    return touched, touched - annotated


def _parameter_sets(parameters: Any) -> Iterable[Mapping[str, Any]]:
    if parameters is None:
        return []
    if isinstance(parameters, Mapping):
        return [parameters]
    return list(parameters)


def _sets_tenant(statement: Any, parameters: Any) -> bool:
    """Whether an UPDATE writes ``tenant_id`` (in ``.values()`` or in its parameter sets)."""
    values = dict(getattr(statement, "_values", None) or {})
    values.update(dict(getattr(statement, "_ordered_values", None) or ()))
    names = {getattr(key, "key", key) for key in values}
    return "tenant_id" in names or any("tenant_id" in row for row in _parameter_sets(parameters))


@event.listens_for(ScopedSession, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    """Add the tenant criteria to a scoped statement; refuse an unscoped one (default deny)."""
    if state.is_column_load or state.is_relationship_load:
        return  # refreshing a row already loaded (by a scoped statement) by its primary key
    tenant_id = state.execution_options.get(TENANT)
    statement = state.statement
    if isinstance(statement, TextClause):
        if tenant_id is not None or not is_system(state.session):
            raise UnscopedQuery("raw SQL text can't be scoped to a tenant; use an ORM statement")
        return
    touched, core = _tenant_tables(statement)
    if not touched:
        return
    if tenant_id is None:
        if is_system(state.session):
            return
        raise UnscopedQuery(
            f"a statement on {', '.join(sorted(touched))} ran without a tenant: go through "
            "TenantRepository, or open a system_session() for cross-tenant work"
        )
    if core:
        raise UnscopedQuery(
            f"a Core statement on {', '.join(sorted(core))} can't be scoped to a tenant; "
            "use the mapped classes (select(Model), delete(Model), insert(Model))"
        )
    if state.is_insert:
        rows = _parameter_sets(state.parameters)
        if not rows:
            raise UnscopedQuery("a scoped INSERT must pass its rows as parameters")
        for row in rows:
            if row.get("tenant_id") != tenant_id:
                raise CrossTenantWrite(
                    f"refusing to insert a row of tenant {row.get('tenant_id')} "
                    f"in tenant {tenant_id}'s scope"
                )
        return
    if state.is_update and _sets_tenant(statement, state.parameters):
        raise CrossTenantWrite("refusing an UPDATE that sets tenant_id: rows never change tenant")
    if state.is_select or state.is_update or state.is_delete:
        state.statement = statement.options(_criteria(tenant_id))
        return
    raise UnscopedQuery(f"can't scope a {type(statement).__name__} statement to a tenant")


@event.listens_for(ScopedSession, "before_flush")
def _check_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    """New rows get their repository's tenant; no row ever moves to another tenant."""
    owners: Mapping[object, int] = session.info.get(_OWNERS) or {}
    for row in session.new:
        if not isinstance(row, TenantOwned):
            continue
        owner = owners.get(row)
        current = row.tenant_id
        if owner is None:
            if current is None or not is_system(session):
                raise UnscopedQuery(
                    f"a new {type(row).__name__} was added outside a tenant's repository"
                )
        elif current is None:
            row.tenant_id = owner
        elif current != owner:
            raise CrossTenantWrite(
                f"refusing to write a {type(row).__name__} of tenant {current} "
                f"through tenant {owner}'s repository"
            )
    for row in session.dirty:
        if isinstance(row, TenantOwned) and inspect(row).attrs.tenant_id.history.has_changes():
            raise CrossTenantWrite(f"a {type(row).__name__}'s tenant can't change")


# -- whether a transaction has written anything yet ------------------------------------------

WROTE = "offerbound.wrote"


def wrote(session: AsyncSession | Session) -> bool:
    """Whether the session's current transaction has written anything (flushed rows or an
    INSERT, UPDATE or DELETE statement): ending it early would commit half a command."""
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    return bool(sync.info.get(WROTE) or sync.new or sync.dirty or sync.deleted)


def settle_writes(session: AsyncSession | Session) -> None:
    """Count the writes so far as bookkeeping (registering a workspace or member on first use,
    a rename) that ``end_reads`` may commit early; only later writes are the command's own."""
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    sync.info.pop(WROTE, None)


@event.listens_for(ScopedSession, "before_flush")
def _note_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[WROTE] = True


@event.listens_for(ScopedSession, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@event.listens_for(ScopedSession, "after_commit")
@event.listens_for(ScopedSession, "after_rollback")
def _transaction_ended(session: Session) -> None:
    session.info.pop(WROTE, None)
