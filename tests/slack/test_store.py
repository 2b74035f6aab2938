"""Slack's tables: the migration builds exactly slack_sdk's schema; seen events expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from adapters.slack.store import SLACK_TABLES, EventLog, seen_events, slack_metadata
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


async def test_events_are_remembered_then_forgotten(database_url: str) -> None:
    engine = create_engine(database_url)
    clock = ManualClock(datetime(2026, 11, 18, 15, tzinfo=UTC))
    log = EventLog(engine, clock, purge_every=1)
    try:
        event = f"Ev{datetime.now().timestamp()}"
        assert await log.first_time(event) is True
        assert await log.first_time(event) is False
        clock.advance(timedelta(hours=2))
        assert await log.first_time(event + "-later") is True  # purges what is older than 1 h
        assert await log.first_time(event) is True
        async with engine.connect() as conn:
            left = await conn.scalar(
                select(func.count()).where(seen_events.c.event_id.like(f"{event}%"))
            )
        assert left == 2
    finally:
        await engine.dispose()
