"""Slack tokens at rest: encrypted in every column, readable after a key rotation, legacy rows
still served, and ``reencrypt`` moving every row onto the first key (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.installations import Installations
from adapters.slack.store import SECRETS
from bot.app import App
from storage.reencrypt import reencrypt
from storage.secrets import SecretBox, SecretKeyError, looks_encrypted, new_key

OLD, NEW = new_key(), new_key()
SECRET_VALUES = {
    "bot_token": "xoxe.xoxb-1-bot-secret",
    "bot_refresh_token": "xoxe-1-bot-refresh-secret",
    "user_token": "xoxe.xoxp-1-user-secret",
    "user_refresh_token": "xoxe-1-user-refresh-secret",
    "incoming_webhook_url": "https://hooks.slack.com/services/T0/B0/webhook-secret",
}


def store(engine: AsyncEngine, keys: str, client_id: str) -> Installations:
    return Installations(
        client_id=client_id,
        client_secret="s",
        engine=engine,
        box=SecretBox.from_setting(keys),
        client=AsyncWebClient(),
    )


def installation(team: str) -> Installation:
    return Installation(
        app_id="A0OFFER",
        team_id=team,
        user_id="UCOACH",
        bot_id="B0",
        bot_user_id="UBOT",
        bot_scopes="chat:write",
        incoming_webhook_channel_id="C0",
        installed_at=datetime(2026, 11, 18, 12).timestamp(),
        **SECRET_VALUES,
    )


async def raw_values(engine: AsyncEngine, team: str) -> list[str]:
    """Every secret column of the team's rows, read with plain SQL."""
    found: list[str] = []
    async with engine.connect() as conn:
        for spec in SECRETS:
            columns = ", ".join(spec.columns)
            rows = await conn.execute(
                text(f"SELECT {columns} FROM {spec.table} WHERE team_id = :t"), {"t": team}
            )
            found += [v for row in rows for v in row if v is not None]
    return found


@pytest.fixture
async def team(app: App) -> str:
    """A workspace of its own, and no other test's Slack rows (they outlive a test on
    PostgreSQL, and ``reencrypt`` reads every row)."""
    async with app.engine.begin() as conn:
        for spec in SECRETS:
            await conn.execute(text(f"DELETE FROM {spec.table}"))
    return "T" + uuid.uuid4().hex[:8].upper()


async def test_no_secret_is_stored_in_clear(app: App, team: str) -> None:
    client_id = uuid.uuid4().hex
    await store(app.engine, OLD, client_id).async_save(installation(team))
    stored = await raw_values(app.engine, team)
    assert len(stored) == 5 + 2  # five in the installation, the bot's two in slack_bots
    assert all(looks_encrypted(v) for v in stored)
    assert not [s for s in SECRET_VALUES.values() if any(s in v for v in stored)]
    found = await store(app.engine, OLD, client_id).async_find_installation(
        enterprise_id=None, team_id=team
    )
    assert found is not None
    assert {k: getattr(found, k) for k in SECRET_VALUES} == SECRET_VALUES


async def test_after_a_key_rotation_old_rows_read_and_reencrypt_moves_them(
    app: App, team: str
) -> None:
    client_id = uuid.uuid4().hex
    await store(app.engine, OLD, client_id).async_save(installation(team))
    rotated = store(app.engine, f"{NEW},{OLD}", client_id)
    bot = await rotated.async_find_bot(enterprise_id=None, team_id=team)
    assert bot is not None and bot.bot_token == SECRET_VALUES["bot_token"]

    box = SecretBox.from_setting(f"{NEW},{OLD}")
    assert await reencrypt(app.engine, box, SECRETS) == 2  # one row in each table
    assert await reencrypt(app.engine, box, SECRETS) == 0  # nothing left to move
    stored = await raw_values(app.engine, team)
    new_only = SecretBox.from_setting(NEW)
    assert sorted(new_only.decrypt(v) for v in stored) == sorted(
        [*SECRET_VALUES.values(), SECRET_VALUES["bot_token"], SECRET_VALUES["bot_refresh_token"]]
    )
    bot = await store(app.engine, NEW, client_id).async_find_bot(enterprise_id=None, team_id=team)
    assert bot is not None and bot.bot_token == SECRET_VALUES["bot_token"]

    with pytest.raises(SecretKeyError) as refused:  # the old key alone: a clear refusal
        await store(app.engine, OLD, client_id).async_find_bot(enterprise_id=None, team_id=team)
    assert "OFFERBOUND_SECRET_KEY" in str(refused.value)
    assert not [s for s in SECRET_VALUES.values() if s in str(refused.value)]


async def test_rows_stored_in_clear_still_work_and_reencrypt_encrypts_them(
    app: App, team: str
) -> None:
    client_id = uuid.uuid4().hex
    async with app.engine.begin() as conn:  # as the previous release stored them
        await conn.execute(
            text(
                "INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, bot_id, "
                "bot_user_id, bot_scopes, bot_refresh_token, is_enterprise_install, installed_at) "
                "VALUES (:c, 'A0', :t, 'xoxb-legacy-plain', 'B0', 'UBOT', 'chat:write', NULL, "
                "false, :at)"
            ),
            {"c": client_id, "t": team, "at": datetime(2026, 11, 1)},
        )
    bots = store(app.engine, OLD, client_id)
    bot = await bots.async_find_bot(enterprise_id=None, team_id=team)
    assert bot is not None and bot.bot_token == "xoxb-legacy-plain"

    assert await reencrypt(app.engine, SecretBox.from_setting(OLD), SECRETS) == 1
    [stored] = await raw_values(app.engine, team)
    assert looks_encrypted(stored) and "legacy" not in stored
    bot = await bots.async_find_bot(enterprise_id=None, team_id=team)
    assert bot is not None and bot.bot_token == "xoxb-legacy-plain"


async def test_a_secret_no_key_opens_stops_reencrypt_before_it_writes(app: App, team: str) -> None:
    client_id = uuid.uuid4().hex
    await store(app.engine, OLD, client_id).async_save(installation(team))
    before = await raw_values(app.engine, team)
    with pytest.raises(
        SecretKeyError, match=r"slack_\w+\.\w+ of row id=\d+ .*OFFERBOUND_SECRET_KEY"
    ):
        await reencrypt(app.engine, SecretBox.from_setting(NEW), SECRETS)
    assert await raw_values(app.engine, team) == before
