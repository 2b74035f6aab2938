"""Slack's tables in Offerbound's database: installations, OAuth states and events already seen.

Installations use slack_sdk's own SQLAlchemy stores (migration 0002 creates their tables), so a
multi-workspace deployment keeps its tokens next to the data, on SQLite or PostgreSQL; every
token column is encrypted (``SECRETS``, ``EncryptedText``, widened to text by migration 0007).
Event ids are remembered in the database too, so a retry that lands on another replica is
still recognised; an event counts as handled only once its handler finished.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock
from storage.secrets import EncryptedText, SecretBox, SecretColumns

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


_TOKENS = ("bot_token", "bot_refresh_token")
SECRETS = (
    SecretColumns(BOTS_TABLE, _TOKENS),
    SecretColumns(
        INSTALLATIONS_TABLE,
        (*_TOKENS, "user_token", "user_refresh_token", "incoming_webhook_url"),
    ),
)
"""Every column of Slack's tables that holds a credential (a webhook URL is one too)."""


def installation_tables(metadata: MetaData, box: SecretBox | None) -> tuple[Table, Table]:
    """slack_sdk's ``slack_installations`` and ``slack_bots`` tables, their secret columns
    encrypted with ``box``: every read and write through these tables, slack_sdk's own
    included, passes the encryption."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    installations = SQLAlchemyInstallationStore.build_installations_table(
        metadata, INSTALLATIONS_TABLE
    )
    bots = SQLAlchemyInstallationStore.build_bots_table(metadata, BOTS_TABLE)
    for found in SECRETS:
        for name in found.columns:
            metadata.tables[found.table].c[name].type = EncryptedText(box)
    return installations, bots


def slack_metadata() -> MetaData:
    """Every Slack table as the code expects it: slack_sdk's definitions (tokens encrypted, so
    stored as text) plus ``slack_events``.

    The migrations must build exactly these; a test compares them.
    """
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    metadata = MetaData()
    installation_tables(metadata, None)
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, OAUTH_STATES_TABLE)
    seen_events.to_metadata(metadata)
    return metadata


class Claim(StrEnum):
    """What ``EventLog.claim`` found for an event id."""

    NEW = "new"  # not seen (or its handler crashed long ago): handle it, then ``done`` it
    DONE = "done"  # handled already: a retry or a duplicate, ignore it
    IN_FLIGHT = "in_flight"  # being handled right now (here or on another replica)


class EventLog:
    """Remembers Events API event ids, so an event Slack retries is handled once, and only once
    it was handled.

    An event is *claimed* before its handler runs (the ``event_id`` row) and marked *done* after
    the handler finished (a second row, ``event_id#done``); a handler that failed *releases* its
    claim, so Slack's next retry runs it again. A claim nobody finished within ``lease`` belongs
    to a process that died mid-way: the next retry takes it over. The two rows live in the one
    ``slack_events`` table of migration 0002, so no schema change was needed.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        clock: Clock,
        keep: timedelta = timedelta(hours=1),
        purge_every: int = 200,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.keep = keep
        self.purge_every = purge_every
        self.lease = lease
        self._inserted = 0
        self._running: set[str] = set()  # claimed by this process and not finished yet

    def _now(self) -> datetime:
        return self.clock.now().astimezone(UTC).replace(tzinfo=None)

    async def claim(self, event_id: str) -> Claim:
        """Claim ``event_id`` for handling: NEW (handle it, then ``done`` or ``release`` it),
        DONE or IN_FLIGHT (leave it alone)."""
        key = _key(event_id)
        now = self._now()
        if await self._insert_claim(key, now):
            self._inserted += 1
            if (self._inserted - 1) % self.purge_every == 0:  # the first insert, then every Nth
                await self.purge(now)
            return Claim.NEW
        async with self.engine.begin() as conn:
            rows = dict(
                (
                    await conn.execute(
                        select(seen_events.c.event_id, seen_events.c.received_at).where(
                            seen_events.c.event_id.in_([key, key + DONE])
                        )
                    )
                ).all()
            )
        if key + DONE in rows:
            return Claim.DONE
        claimed_at = rows.get(key)
        if claimed_at is None:  # released since our insert failed: claim it now
            return Claim.NEW if await self._insert_claim(key, now) else Claim.IN_FLIGHT
        if key in self._running or now - claimed_at < self.lease:
            return Claim.IN_FLIGHT
        # The claim outlived its lease unfinished: the process holding it died. Take it over,
        # unless another retry just did (the update then matches no row).
        async with self.engine.begin() as conn:
            taken = await conn.execute(
                update(seen_events)
                .where(seen_events.c.event_id == key, seen_events.c.received_at == claimed_at)
                .values(received_at=now)
            )
        if taken.rowcount != 1:
            return Claim.IN_FLIGHT
        log.info("event %s was claimed at %s and never finished: handling it", key, claimed_at)
        self._running.add(key)
        return Claim.NEW

    async def _insert_claim(self, key: str, now: datetime) -> bool:
        try:
            async with self.engine.begin() as conn:
                await conn.execute(insert(seen_events).values(event_id=key, received_at=now))
        except IntegrityError:
            return False
        self._running.add(key)
        return True

    async def done(self, event_id: str) -> None:
        """The event was handled: every later delivery of it is ignored."""
        key = _key(event_id)
        try:
            async with self.engine.begin() as conn:
                await conn.execute(
                    insert(seen_events).values(event_id=key + DONE, received_at=self._now())
                )
        except IntegrityError:
            pass  # already marked (a duplicate finish)
        finally:
            self._running.discard(key)

    async def release(self, event_id: str) -> None:
        """Handling failed: forget the claim, so Slack's next retry runs the event again."""
        key = _key(event_id)
        try:
            async with self.engine.begin() as conn:
                await conn.execute(delete(seen_events).where(seen_events.c.event_id == key))
        finally:
            self._running.discard(key)

    async def purge(self, now: datetime) -> None:
        """Forget events older than ``keep``; Slack stops retrying long before that."""
        async with self.engine.begin() as conn:
            await conn.execute(
                delete(seen_events).where(seen_events.c.received_at < now - self.keep)
            )


DONE = "#done"
_MAX_KEY = 64 - len(DONE)  # slack_events.event_id is String(64)


def _key(event_id: str) -> str:
    """The row key of an event id (Slack's are about a dozen characters; a longer one is hashed
    so its ``#done`` row still fits the column)."""
    if len(event_id) <= _MAX_KEY:
        return event_id
    return "sha256:" + hashlib.sha256(event_id.encode()).hexdigest()[: _MAX_KEY - 7]
