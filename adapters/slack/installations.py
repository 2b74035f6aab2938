"""Where each workspace's Slack tokens live: encrypted, and refreshed before they expire.

slack_sdk's SQLAlchemy store, with two changes. Its token columns are ``EncryptedText``
(``store.installation_tables``), so nothing it writes is stored in clear. And with token rotation
on (https://docs.slack.dev/authentication/using-token-rotation: tokens expire after 12 hours and
each refresh token works once), every lookup refreshes a token that expires within
``REFRESH_MINUTES`` before handing it out. Bolt's authorize (commands, events) and the pusher
(scheduled deliveries) both look tokens up here, so both paths get a live token, and bolt's own
rotator never has anything left to do.

Concurrent lookups of one workspace refresh once: the refresh runs under a per-workspace lock
and re-reads the row first. Across replicas, the refresh token one replica spent is refused to
the other (``invalid_refresh_token``), which then re-reads what the first one stored; and every
write is conditional on the stored token expiring sooner, so a newer token is never replaced by
an older one.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from time import time
from typing import Any

from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import MetaData, Table, desc, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.store import installation_tables
from storage.secrets import SecretBox

log = logging.getLogger("offerbound.slack")

# Bolt's default window too: a token with less than two hours left is refreshed before use.
REFRESH_MINUTES = 120
OTHER_REPLICA_WAITS, OTHER_REPLICA_WAIT_SECONDS = 5, 0.2

Workspace = tuple[str | None, str | None]  # (enterprise id, team id; None for an org install)


@dataclass(frozen=True)
class Tokens:
    """One access token with the refresh token that replaces it, and when it expires."""

    access: str
    refresh: str | None
    expires_at: datetime  # naive UTC, as the columns store it


def due(refresh_token: str | None, expires_at: int | None, minutes: int) -> bool:
    """Whether a token must be refreshed now: it can be, and expires within ``minutes``."""
    return bool(refresh_token) and expires_at is not None and expires_at <= time() + minutes * 60


class Installations(AsyncSQLAlchemyInstallationStore):
    """slack_sdk's installation store over our engine, encrypted, refreshing expiring tokens."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        engine: AsyncEngine,
        box: SecretBox,
        client: AsyncWebClient,
        minutes: int = REFRESH_MINUTES,
    ) -> None:
        super().__init__(client_id=client_id, engine=engine, logger=log)
        self.metadata = MetaData()
        self.installations, self.bots = installation_tables(self.metadata, box)
        self.client_secret = client_secret
        self.client = client
        self.minutes = minutes
        self._locks: dict[Workspace, asyncio.Lock] = {}

    # -- lookups (slack_sdk's, refreshing first) -------------------------------------------

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        where = dict(enterprise_id=enterprise_id, team_id=team_id)
        bot = await super().async_find_bot(**where, is_enterprise_install=is_enterprise_install)
        if bot is not None and due(bot.bot_refresh_token, bot.bot_token_expires_at, self.minutes):
            await self.refresh((enterprise_id, None if is_enterprise_install else team_id))
            bot = await super().async_find_bot(**where, is_enterprise_install=is_enterprise_install)
        return bot

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        where: dict[str, Any] = dict(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        found = await super().async_find_installation(**where)
        if found is not None and (
            due(found.bot_refresh_token, found.bot_token_expires_at, self.minutes)
            or due(found.user_refresh_token, found.user_token_expires_at, self.minutes)
        ):
            workspace = (enterprise_id, None if is_enterprise_install else team_id)
            await self.refresh(workspace, user_id=found.user_id)
            found = await super().async_find_installation(**where)
        return found

    # -- refreshing ---------------------------------------------------------------------------

    async def refresh(self, workspace: Workspace, *, user_id: str | None = None) -> None:
        """Refresh the workspace's bot token (and ``user_id``'s user token) if they are due,
        once however many lookups ask at the same time."""
        lock = self._locks.setdefault(workspace, asyncio.Lock())
        async with lock:
            await self._refresh_kind(workspace, "bot", None)
            if user_id is not None:
                await self._refresh_kind(workspace, "user", user_id)

    async def _refresh_kind(self, workspace: Workspace, kind: str, user_id: str | None) -> None:
        current = await self._stored(workspace, kind, user_id)
        if current is None or not due(current.refresh, _epoch(current.expires_at), self.minutes):
            return  # nothing to refresh, or another lookup refreshed it while we waited
        try:
            fresh = await self._exchange(current.refresh)
        except SlackTokenRotationError:
            # Another replica may have spent this refresh token a moment ago: use what it
            # stores, once it has stored it.
            for _ in range(OTHER_REPLICA_WAITS):
                stored = await self._stored(workspace, kind, user_id)
                if stored is not None and stored.access != current.access:
                    return
                await asyncio.sleep(OTHER_REPLICA_WAIT_SECONDS)
            raise
        await self._save(workspace, kind, user_id, fresh)
        log.info("refreshed the %s token of Slack workspace %s", kind, workspace[1] or workspace[0])

    async def _exchange(self, refresh_token: str | None) -> Tokens:
        """Slack's oauth.v2.access with grant_type=refresh_token: new access and refresh tokens
        (https://docs.slack.dev/reference/methods/oauth.v2.access)."""
        try:
            answer = await self.client.oauth_v2_access(
                client_id=self.client_id,
                client_secret=self.client_secret,
                grant_type="refresh_token",
                refresh_token=refresh_token,
            )
        except SlackApiError as exc:
            raise SlackTokenRotationError(exc) from None
        expires = datetime.fromtimestamp(int(time()) + int(answer["expires_in"]), UTC)
        return Tokens(answer["access_token"], answer.get("refresh_token"), _naive(expires))

    def _tables(self, kind: str) -> list[Table]:
        """A bot token is kept in both tables (bolt reads installations, the pusher bots)."""
        return [self.bots, self.installations] if kind == "bot" else [self.installations]

    async def _stored(self, workspace: Workspace, kind: str, user_id: str | None) -> Tokens | None:
        """The workspace's latest token of ``kind`` as stored, read straight from its row."""
        table = self._tables(kind)[0]
        c = table.c
        query = (
            select(c[f"{kind}_token"], c[f"{kind}_refresh_token"], c[f"{kind}_token_expires_at"])
            .where(*self._workspace(table, workspace, user_id), c[f"{kind}_token"].is_not(None))
            .order_by(desc(c.installed_at))
            .limit(1)
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None or row[2] is None:
            return None
        return Tokens(row[0], row[1], row[2])

    async def _save(
        self, workspace: Workspace, kind: str, user_id: str | None, fresh: Tokens
    ) -> None:
        """Store ``fresh`` in every row of the workspace that holds an older token of ``kind``
        (the refresh token it replaces was revoked, so none of them may keep it)."""
        async with self.engine.begin() as conn:
            for table in self._tables(kind):
                expires = table.c[f"{kind}_token_expires_at"]
                await conn.execute(
                    update(table)
                    .where(*self._workspace(table, workspace, user_id))
                    .where(table.c[f"{kind}_token"].is_not(None))
                    .where(or_(expires.is_(None), expires < fresh.expires_at))
                    .values(
                        {
                            f"{kind}_token": fresh.access,
                            f"{kind}_refresh_token": fresh.refresh,
                            f"{kind}_token_expires_at": fresh.expires_at,
                        }
                    )
                )

    def _workspace(self, table: Table, workspace: Workspace, user_id: str | None) -> list[Any]:
        enterprise_id, team_id = workspace
        c = table.c
        found = [c.client_id == self.client_id, c.enterprise_id == enterprise_id]
        found.append(c.team_id == team_id)
        if user_id is not None:
            found.append(c.user_id == user_id)
        return found


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _epoch(stored: datetime) -> int:
    return int(stored.replace(tzinfo=UTC).timestamp())
