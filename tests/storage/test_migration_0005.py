"""Migration 0005 on databases with data: per-tenant numbers, old ids kept, composite keys.

Each test builds a database at revision 0004 (SQLite, and PostgreSQL when configured), fills it
with plain SQL the way the previous release left it, migrates it and uses it through the console.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, func, inspect, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.console import ConsoleAdapter
from bot.app import App, build_app
from bot.entities import LEGACY_IDS_UNTIL
from bot.settings import Settings
from storage.engine import create_engine
from storage.migrate import current_revision, downgrade, script_head, upgrade
from storage.models import Application, Barrier, Base, Contact, Counter, Goal, StageChange
from tests.conftest import PG_URL, WEDNESDAY, _postgres_param

NOW = datetime(2026, 11, 10, 12, 0)  # naive: the 0004 schema stores UTC without a zone
DAY = date(2026, 11, 10)
NOTE = f"old ids work until {LEGACY_IDS_UNTIL.isoformat()}"


@pytest.fixture(params=["sqlite", _postgres_param()])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own (migrations start from nothing)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
        return
    if not PG_URL:
        pytest.fail("OFFERBOUND_REQUIRE_POSTGRES=1 but OFFERBOUND_TEST_DATABASE_URL is not set")
    base = make_url(PG_URL)
    name = f"{base.database or 'offerbound'}_m{os.getpid()}_{uuid.uuid4().hex[:6]}"

    async def admin(statement: str) -> None:
        engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(statement))
        finally:
            await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def engine(empty_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(empty_url)
    await upgrade(engine, "0004")
    try:
        yield engine
    finally:
        await engine.dispose()


def _filler(column: Any) -> Any:
    """A value for a NOT NULL column the seed does not care about."""
    kind = column.type.python_type
    return {str: "", int: 0, bool: False, date: DAY, datetime: NOW, time: time(9, 0)}[kind]


async def seed(engine: AsyncEngine, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert rows (ids included) into the 0004 tables as the previous release wrote them."""

    def run(conn: Connection) -> None:
        meta = MetaData()
        meta.reflect(conn)
        for name, items in rows.items():
            table = meta.tables[name]
            for item in items:
                values = {
                    c.name: _filler(c)
                    for c in table.columns
                    if not c.nullable and c.server_default is None and c.name not in item
                }
                conn.execute(table.insert().values({**values, **item}))
            if conn.dialect.name == "postgresql" and "id" in table.c:
                sequence = f"pg_get_serial_sequence('{name}', 'id')"
                conn.execute(text(f"SELECT setval({sequence}, max(id)) FROM {name}"))

    async with engine.begin() as conn:
        await conn.run_sync(run)


def people(*members: tuple[int, int, str]) -> dict[str, list[dict[str, Any]]]:
    tenants = sorted({t for _, t, _ in members})
    return {
        "tenants": [
            {"id": t, "platform": "console", "external_id": ["local", "other"][t - 1]}
            for t in tenants
        ],
        "members": [
            {
                "id": i,
                "tenant_id": t,
                "platform_user_id": name,
                "display_name": name,
                "role": "member",
                "timezone": "UTC",
                "status": "searching",
                "leaderboard": "shown",
            }
            for i, t, name in members
        ],
    }


def apps(*rows: tuple[int, int, int, str]) -> dict[str, list[dict[str, Any]]]:
    return {
        "applications": [
            {
                "id": i,
                "tenant_id": t,
                "member_id": m,
                "company": c,
                "role": "Developer",
                "stage": "applied",
                "applied_on": DAY,
            }
            for i, t, m, c in rows
        ],
        "stage_changes": [
            {"id": i, "tenant_id": t, "application_id": i, "stage": "applied", "day": DAY}
            for i, t, _, _ in rows
        ],
    }


EXTRA = {"contacts": {"channel": "other"}, "goals": {"status": "open"}}


def owned(table: str, *rows: tuple[int, int, int, str], field: str) -> dict[str, list[Any]]:
    return {
        table: [
            {"id": i, "tenant_id": t, "member_id": m, field: v, **EXTRA.get(table, {})}
            for i, t, m, v in rows
        ]
    }


async def numbers(engine: AsyncEngine, model: type) -> list[tuple[int, int, int, int | None]]:
    """(id, tenant, number, legacy id) of every row, by id."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(model.id, model.tenant_id, model.number, model.legacy_id).order_by(model.id)
        )
        return [tuple(r) for r in rows]


async def counters(engine: AsyncEngine) -> dict[tuple[int, str], int]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(Counter.tenant_id, Counter.kind, Counter.value))
        return {(t, k): v for t, k, v in rows}


async def schema_diff(engine: AsyncEngine) -> list[Any]:
    def compare(conn: Connection) -> list[Any]:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, _: (
                    type_ != "table" or name in Base.metadata.tables
                ),
            },
        )
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        return await conn.run_sync(compare)


async def console_on(engine: AsyncEngine) -> tuple[App, ConsoleAdapter, ConsoleAdapter]:
    url = engine.url.render_as_string(hide_password=False)
    url = url.replace("+aiosqlite", "").replace("+asyncpg", "")
    settings = Settings(database_url=url, default_timezone="UTC", _env_file=None)
    app = await build_app(settings, migrate=False)
    return app, ConsoleAdapter(app), ConsoleAdapter(app, tenant="other")


async def test_two_tenants_are_renumbered_and_old_ids_still_resolve(
    engine: AsyncEngine, time_machine: Any, tmp_path: Path
) -> None:
    time_machine.move_to(WEDNESDAY, tick=False)
    # Ids interleave across the two tenants, as a shared database hands them out.
    await seed(engine, people((1, 1, "alice"), (2, 2, "alice"), (3, 1, "bob")))
    await seed(
        engine,
        {
            **apps(
                (1, 1, 1, "Stripe"),
                (2, 2, 2, "Acme"),
                (3, 1, 1, "Globex"),
                (4, 2, 2, "Initech"),
                (5, 2, 2, "Hooli"),
                (6, 1, 3, "Umbrella"),
            ),
            **owned("contacts", (1, 2, 2, "Jane"), (2, 1, 1, "Sam"), field="name"),
            **owned("goals", (1, 1, 1, "twenty"), (2, 2, 2, "ten"), field="title"),
            **owned("barriers", (1, 2, 2, "time"), (3, 1, 1, "degree"), field="barrier"),
        },
    )
    await upgrade(engine)
    assert await current_revision(engine) == script_head()
    assert await schema_diff(engine) == []

    assert await numbers(engine, Application) == [
        (1, 1, 1, 1),
        (2, 2, 1, 2),
        (3, 1, 2, 3),
        (4, 2, 2, 4),
        (5, 2, 3, 5),
        (6, 1, 3, 6),
    ]
    assert await numbers(engine, Contact) == [(1, 2, 1, 1), (2, 1, 1, 2)]
    assert await numbers(engine, Goal) == [(1, 1, 1, 1), (2, 2, 1, 2)]
    # tenant 1's barrier keeps the gap its own history left (id 2 was deleted long ago)
    assert await numbers(engine, Barrier) == [(1, 2, 1, 1), (3, 1, 2, 3)]
    assert await counters(engine) == {
        (1, "applications"): 3,
        (2, "applications"): 3,
        (1, "contacts"): 1,
        (2, "contacts"): 1,
        (1, "goals"): 1,
        (2, "goals"): 1,
        (1, "barriers"): 2,
        (2, "barriers"): 1,
    }

    app, local, other = await console_on(engine)
    local.files_dir = other.files_dir = tmp_path
    try:
        listing = await local.say("alice", "/apps")
        assert "A2" in listing and "Globex" in listing and "A1" in listing
        assert "A3" not in listing and "Umbrella" not in listing

        # A new id first; an old one that is nobody's new id finds its row, with a note.
        shown = await other.say("alice", "/app show A5")
        assert "Hooli" in shown and f"A5 is now A3; {NOTE}." in shown
        shown = await other.say("alice", "/app show A3")
        assert "Hooli" in shown and "is now" not in shown
        shown = await local.say("alice", "/app show A3")  # A3 is bob's now; old A3 is Globex
        assert "Globex" in shown and f"A3 is now A2; {NOTE}." in shown
        reply = await local.say("alice", "/app stage A3 interview")
        assert "A2 (Developer at Globex) is now at interview" in reply
        assert f"A3 is now A2; {NOTE}." in reply
        # An old id of another workspace finds nothing.
        assert (await local.say("alice", "/app show A4")).startswith(
            "⚠️ You have no application A4."
        )
        assert (await other.say("alice", "/contact show C2")).startswith(
            "⚠️ You have no contact C2."
        )
        shown = await local.say("alice", "/contact show C2")
        assert "Sam" in shown and f"C2 is now C1; {NOTE}." in shown
        shown = await other.say("alice", "/goal show G2")
        assert "ten" in shown and f"G2 is now G1; {NOTE}." in shown
        reply = await local.say("alice", "/barrier remove B3")
        assert "Removed barrier B2: degree" in reply and f"B3 is now B2; {NOTE}." in reply

        # Numbering carries on from the migrated rows.
        assert "Logged application A4" in await local.say("alice", "/apply Initrode Dev")
        assert "Logged application A4" in await other.say("alice", "/apply Vandelay Dev")
        assert "Logged contact C2" in await other.say("alice", '/outreach "Lee"')

        # After the deprecation date old ids stop working.
        last_day = datetime.combine(LEGACY_IDS_UNTIL, time(12), UTC)
        time_machine.move_to(last_day, tick=False)
        assert "Hooli" in await other.say("alice", "/app show A5")
        time_machine.move_to(last_day + timedelta(days=1), tick=False)
        assert (await other.say("alice", "/app show A5")).startswith(
            "⚠️ You have no application A5."
        )
    finally:
        await app.close()
    async with engine.connect() as conn:
        globex = await conn.scalar(select(Application.stage).where(Application.id == 3))
        changes = await conn.scalar(
            select(func.count()).select_from(StageChange).where(StageChange.application_id == 3)
        )
    assert (globex, changes) == ("interview", 2)


async def test_in_a_single_tenant_database_the_numbers_equal_the_old_ids(
    engine: AsyncEngine, time_machine: Any, tmp_path: Path
) -> None:
    time_machine.move_to(WEDNESDAY, tick=False)
    await seed(engine, people((1, 1, "alice"), (2, 1, "bob")))
    await seed(
        engine,
        {
            # application 3 and barrier 1 were deleted before the upgrade
            **apps((1, 1, 1, "Stripe"), (2, 1, 2, "Acme"), (4, 1, 1, "Globex")),
            **owned("contacts", (1, 1, 1, "Jane"), (2, 1, 2, "Sam"), field="name"),
            **owned("goals", (1, 1, 1, "twenty"), field="title"),
            **owned("barriers", (2, 1, 1, "time"), field="barrier"),
        },
    )
    await upgrade(engine)
    for model in (Application, Contact, Goal, Barrier):
        rows = await numbers(engine, model)
        assert rows and all(row_id == number == legacy for row_id, _, number, legacy in rows)
    app, local, _ = await console_on(engine)
    local.files_dir = tmp_path
    try:
        shown = await local.say("alice", "/app show A4")
        assert "Globex" in shown and "is now" not in shown
        assert "Logged application A5" in await local.say("alice", "/apply Initech Dev")
        assert "Barrier B3" in await local.say("alice", '/barrier add "nerves" overcome="mocks"')
    finally:
        await app.close()


async def test_downgrade_and_upgrade_again(engine: AsyncEngine) -> None:
    await seed(engine, people((1, 1, "alice"), (2, 2, "alice")))
    await seed(engine, apps((1, 2, 2, "Acme"), (2, 1, 1, "Stripe")))
    await upgrade(engine)
    await downgrade(engine, "0004")
    assert await current_revision(engine) == "0004"
    async with engine.connect() as conn:
        columns = await conn.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("applications")}
        )
        tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert "number" not in columns and "legacy_id" not in columns and "counters" not in tables
    await upgrade(engine)
    assert await schema_diff(engine) == []
    assert await numbers(engine, Application) == [(1, 2, 1, 1), (2, 1, 1, 2)]
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(StageChange)) == 2
