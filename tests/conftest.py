"""Shared fixtures: an app per test on SQLite and, when configured, on PostgreSQL too.

Set OFFERBOUND_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run every
database-backed test on PostgreSQL as well; with OFFERBOUND_REQUIRE_POSTGRES=1 (as in CI) a
missing server fails the run instead of skipping.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from adapters.console import ConsoleAdapter
from bot.app import App, build_app
from bot.settings import Settings
from storage.engine import create_engine
from storage.migrate import upgrade
from storage.models import Base

PG_URL = os.environ.get("OFFERBOUND_TEST_DATABASE_URL", "")
# Tests never reach the real GitHub: `/github link` checks the account there, and a refused
# connection (nothing listens on port 9) links it unchecked. GitHub tests use tests/fakes.
os.environ.setdefault("OFFERBOUND_GITHUB_API_URL", "http://127.0.0.1:9")
REQUIRE_PG = os.environ.get("OFFERBOUND_REQUIRE_POSTGRES") == "1"

# A Wednesday afternoon, so "this week" has days on both sides.
WEDNESDAY = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def _postgres_param() -> object:
    marks = [pytest.mark.postgres]
    if not PG_URL and not REQUIRE_PG:
        marks.append(pytest.mark.skip(reason="OFFERBOUND_TEST_DATABASE_URL is not set"))
    return pytest.param("postgres", marks=marks)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating per test would be slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def migrate() -> None:
        engine = create_engine(f"sqlite:///{path}")
        await upgrade(engine)
        async with engine.begin() as conn:
            await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        await engine.dispose()

    asyncio.run(migrate())
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A private PostgreSQL database for this test session, migrated once and dropped at the end.

    It is created next to the one OFFERBOUND_TEST_DATABASE_URL names, so concurrent test runs
    on one server never see each other's rows.
    """
    if not PG_URL:
        pytest.fail("OFFERBOUND_REQUIRE_POSTGRES=1 but OFFERBOUND_TEST_DATABASE_URL is not set")
    base = make_url(PG_URL)
    name = f"{base.database or 'offerbound'}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    private = base.set(database=name).render_as_string(hide_password=False)

    async def admin(statement: str) -> None:
        engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(statement))
        finally:
            await engine.dispose()

    async def create() -> None:
        await admin(f'CREATE DATABASE "{name}"')
        engine = create_engine(private)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    try:
        asyncio.run(create())
    except OSError as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL at {base.host}:{base.port} is unreachable: {exc}")
        pytest.skip(f"PostgreSQL at {base.host}:{base.port} is unreachable: {exc}")
    yield private
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", _postgres_param()])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database for one test."""
    if request.param == "sqlite":
        target = tmp_path / "offerbound.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url

    async def truncate() -> None:
        engine = create_engine(url)
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await engine.dispose()

    asyncio.run(truncate())


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, default_timezone="UTC", _env_file=None)


@pytest.fixture
def frozen(time_machine) -> datetime:
    """Freeze time on a Wednesday afternoon (UTC) unless a test travels elsewhere."""
    time_machine.move_to(WEDNESDAY, tick=False)
    return WEDNESDAY


@pytest.fixture
async def app(settings: Settings, frozen: datetime) -> AsyncIterator[App]:
    application = await build_app(settings, migrate=False)
    try:
        yield application
    finally:
        await application.close()


@pytest.fixture
def console(app: App, tmp_path: Path) -> ConsoleAdapter:
    return ConsoleAdapter(app, files_dir=tmp_path / "files")


@pytest.fixture
async def cohort(console: ConsoleAdapter) -> ConsoleAdapter:
    """A cohort "Fall 2026" in UTC with coach "coach" and members alice and bob."""
    reply = await console.say("coach", '/cohort create "Fall 2026" timezone=UTC')
    assert "Created cohort Fall 2026" in reply
    for name in ("alice", "bob"):
        assert "You're in Fall 2026" in await console.say(name, '/cohort join "Fall 2026"')
    return console
