"""The leader's lock on PostgreSQL: one replica at a time, on a connection outside the commands'
pool that is never left idle in a transaction (which would hold back VACUUM's horizon)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.scheduling.leader import AdvisoryLockLeadership
from storage.engine import create_engine


async def test_the_lock_connection_is_never_idle_in_a_transaction(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("advisory locks are PostgreSQL's; SQLite is one process")
    engine = create_engine(database_url)
    first, second = AdvisoryLockLeadership(engine), AdvisoryLockLeadership(engine)
    try:
        assert await first.try_acquire()
        assert not await second.try_acquire(), "one leader at a time"
        assert await first.try_acquire()  # the heartbeat: still leading
        async with engine.connect() as conn:
            state = (
                await conn.execute(
                    text("SELECT state FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": first.backend_pid},
                )
            ).scalar()
        assert state == "idle"
        assert engine.pool.checkedout() == 0, "the lock holds no connection of the pool"
        await first.release()
        assert await second.try_acquire(), "released on stop: another replica takes over"
    finally:
        await first.release()
        await second.release()
        await engine.dispose()
