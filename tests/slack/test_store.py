"""Slack's tables: the migration builds exactly slack_sdk's schema; events are claimed, finished
or released, and expire."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from adapters.slack.store import SLACK_TABLES, Claim, EventLog, seen_events, slack_metadata
from bot.clock import ManualClock
from storage.engine import create_engine


def only_slack_tables(name: str | None, type_: str, parent_names: object) -> bool:
    return type_ != "table" or name in SLACK_TABLES


async def test_the_migration_builds_slack_sdks_tables(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(
                        sync, opts={"compare_type": True, "include_name": only_slack_tables}
                    ),
                    slack_metadata(),
                )
            )
    finally:
        await engine.dispose()
    assert diff == [], f"migration 0002 and slack_sdk's tables differ: {diff}"


async def test_events_are_claimed_done_and_forgotten(database_url: str) -> None:
    engine = create_engine(database_url)
    clock = ManualClock(datetime(2026, 11, 18, 15, tzinfo=UTC))
    log = EventLog(engine, clock, purge_every=1)
    try:
        event = f"Ev{datetime.now().timestamp()}"
        assert await log.claim(event) is Claim.NEW
        assert await log.claim(event) is Claim.IN_FLIGHT  # not handled yet: not "done"
        await log.done(event)
        assert await log.claim(event) is Claim.DONE
        clock.advance(timedelta(hours=2))
        assert await log.claim(event + "-later") is Claim.NEW  # purges what is older than 1 h
        assert await log.claim(event) is Claim.NEW
        async with engine.connect() as conn:
            left = await conn.scalar(
                select(func.count()).where(seen_events.c.event_id.like(f"{event}%"))
            )
        assert left == 2
    finally:
        await engine.dispose()


async def test_a_released_event_runs_again_and_a_dead_claim_is_taken_over(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    clock = ManualClock(datetime(2026, 11, 18, 15, tzinfo=UTC))
    here = EventLog(engine, clock)
    dead = EventLog(engine, clock)  # another replica, killed while it handled an event
    try:
        failed, crashed = f"EvF{uuid.uuid4().hex[:8]}", f"EvC{uuid.uuid4().hex[:8]}"
        assert await here.claim(failed) is Claim.NEW
        await here.release(failed)  # the handler raised
        assert await here.claim(failed) is Claim.NEW

        assert await dead.claim(crashed) is Claim.NEW
        assert await here.claim(crashed) is Claim.IN_FLIGHT  # within the lease: maybe working
        clock.advance(here.lease + timedelta(seconds=1))
        assert await here.claim(crashed) is Claim.NEW  # taken over, once
        assert await here.claim(crashed) is Claim.IN_FLIGHT  # and now ours, still running
        await here.done(crashed)
        assert await dead.claim(crashed) is Claim.DONE

        long_id = "Ev" + "x" * 100  # longer than the column: hashed, its done row still fits
        assert await here.claim(long_id) is Claim.NEW
        await here.done(long_id)
        assert await here.claim(long_id) is Claim.DONE
    finally:
        await engine.dispose()
