"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storage.engine import async_url, create_engine
from storage.migrate import current_revision, script_head, upgrade
from storage.models import TENANT_TABLES, Base


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Compare the models' tables; adapters' own tables (slack_*) have their own drift tests."""
    return type_ != "table" or name in Base.metadata.tables


async def test_migrations_match_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(
                        sync, opts={"compare_type": True, "include_name": include_name}
                    ),
                    Base.metadata,
                )
            )
        assert diff == [], f"models and migrations differ: {diff}"
        assert await current_revision(engine) == script_head()
    finally:
        await engine.dispose()


async def test_upgrade_is_idempotent(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        await upgrade(engine)
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert {t.name for t in Base.metadata.sorted_tables} <= names
    finally:
        await engine.dispose()


def test_every_table_but_tenants_carries_a_tenant() -> None:
    """Only the tenants themselves and the pacer's buckets (a platform's pace, shared by every
    replica and keyed by workspace) have no tenant column."""
    tables = {t.name for t in Base.metadata.sorted_tables}
    assert {t.name for t in TENANT_TABLES} == tables - {"tenants", "pace_buckets"}


async def test_hot_queries_have_indexes(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            indexes = await conn.run_sync(
                lambda sync: {
                    table: [tuple(i["column_names"]) for i in inspect(sync).get_indexes(table)]
                    for table in ("applications", "contacts", "practice_logs", "hour_logs")
                }
            )
    finally:
        await engine.dispose()
    assert ("tenant_id", "member_id", "applied_on") in indexes["applications"]
    assert ("tenant_id", "member_id", "follow_up") in indexes["applications"]
    assert ("tenant_id", "member_id", "contacted_on") in indexes["contacts"]
    assert ("tenant_id", "member_id", "day") in indexes["practice_logs"]


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'nested' / 'x.db'}")
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await engine.dispose()


def test_plain_urls_get_the_async_driver() -> None:
    assert async_url("sqlite:///x.db").drivername == "sqlite+aiosqlite"
    assert async_url("postgresql://u@h/db").drivername == "postgresql+asyncpg"
    assert async_url("postgres://u@h/db").drivername == "postgresql+asyncpg"
    assert async_url("postgresql+psycopg://u@h/db").drivername == "postgresql+asyncpg"


def test_unsupported_urls_are_explained() -> None:
    import pytest

    with pytest.raises(ValueError, match="use sqlite:///"):
        async_url("mysql://u@h/db")
