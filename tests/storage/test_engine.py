"""The engine a process runs on: PostgreSQL statements carry a timeout and the pool its sizes."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.app import build_app
from bot.settings import Settings


async def test_postgres_statements_time_out_and_the_pool_has_its_sizes(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no statement timeout; one process writes at a time")
    settings = Settings(
        database_url=database_url,
        db_pool_size=3,
        db_max_overflow=2,
        db_statement_timeout=1.5,
        _env_file=None,
    )
    app = await build_app(settings, migrate=False)
    try:
        async with app.engine.connect() as conn:
            assert (await conn.execute(text("SHOW statement_timeout"))).scalar() == "1500ms"
            with pytest.raises(Exception, match="statement timeout"):
                await conn.execute(text("SELECT pg_sleep(3)"))
        assert app.engine.pool.size() == 3  # type: ignore[attr-defined]
    finally:
        await app.close()
