"""Slack's tables in Offerbound's database: installations, OAuth states and events already seen.

Installations use slack_sdk's own SQLAlchemy stores (migration 0002 creates their tables), so a
multi-workspace deployment keeps its tokens next to the data, on SQLite or PostgreSQL.
Event ids are remembered in the database too, so a retry that lands on another replica is
still recognised.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, Index, MetaData, String, Table, delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock

log = logging.getLogger("offerbound.slack")

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
OAUTH_STATES_TABLE = "slack_oauth_states"
EVENTS_TABLE = "slack_events"
SLACK_TABLES = (INSTALLATIONS_TABLE, BOTS_TABLE, OAUTH_STATES_TABLE, EVENTS_TABLE)

events_metadata = MetaData()
seen_events = Table(
    EVENTS_TABLE,
    events_metadata,
    Column("event_id", String(64), primary_key=True),
    Column("received_at", DateTime, nullable=False),
    Index(f"{EVENTS_TABLE}_received_at_idx", "received_at"),
)


def slack_metadata() -> MetaData:
    """Every Slack table as the code expects it: slack_sdk's definitions plus ``slack_events``.

    The migration must build exactly these; a test compares them.
    """
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    metadata = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(metadata, INSTALLATIONS_TABLE)
    SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS_TABLE)
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, OAUTH_STATES_TABLE)
    seen_events.to_metadata(metadata)
    return metadata


class EventLog:
    """Remembers event ids for a while, so an event Slack retries is processed only once."""

    def __init__(
        self,
        engine: AsyncEngine,
        clock: Clock,
        keep: timedelta = timedelta(hours=1),
        purge_every: int = 200,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.keep = keep
        self.purge_every = purge_every
        self._inserted = 0

    async def first_time(self, event_id: str) -> bool:
        """Record ``event_id``; False when it was already recorded (a retry or a duplicate)."""
        now = self.clock.now().astimezone(UTC).replace(tzinfo=None)
        try:
            async with self.engine.begin() as conn:
                await conn.execute(insert(seen_events).values(event_id=event_id, received_at=now))
        except IntegrityError:
            return False
        self._inserted += 1
        if (self._inserted - 1) % self.purge_every == 0:  # the first insert, then every Nth
            await self.purge(now)
        return True

    async def purge(self, now: datetime) -> None:
        """Forget events older than ``keep``; Slack stops retrying long before that."""
        async with self.engine.begin() as conn:
            await conn.execute(
                delete(seen_events).where(seen_events.c.received_at < now - self.keep)
            )
