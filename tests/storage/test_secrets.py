"""Secrets at rest: the key list (first encrypts, all decrypt), legacy plaintext, clear errors,
and migration 0008 widening the token columns on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import Text, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import create_engine
from storage.migrate import downgrade, upgrade
from storage.secrets import EncryptedText, SecretBox, SecretKeyError, looks_encrypted, new_key
from tests.storage.test_migration_0005 import empty_url  # noqa: F401  (a fixture)

TOKEN = "xoxe.xoxb-1-" + "t" * 150  # rotating tokens are long


def test_the_first_key_encrypts_and_every_key_decrypts() -> None:
    old, new = new_key(), new_key()
    written = SecretBox.from_setting(old).encrypt(TOKEN)
    assert looks_encrypted(written) and TOKEN not in written
    rotated = SecretBox.from_setting(f" {new} , {old} ")
    assert rotated.decrypt(written) == TOKEN
    assert not rotated.is_current(written)
    moved = rotated.reencrypt(written)
    assert rotated.is_current(moved) and SecretBox.from_setting(new).decrypt(moved) == TOKEN


def test_plaintext_is_read_as_it_is_and_encrypted_on_reencrypt() -> None:
    box = SecretBox.from_setting(new_key())
    for legacy in ("xoxb-17653672481-abc", "https://hooks.slack.com/services/T/B/x", ""):
        assert not looks_encrypted(legacy)
        assert box.decrypt(legacy) == legacy
        assert box.decrypt(box.reencrypt(legacy)) == legacy


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("", "OFFERBOUND_SECRET_KEY is not set; generate one with `offerbound secrets new-key`"),
        ("nope", "OFFERBOUND_SECRET_KEY: key 1 of 1 is not a Fernet key"),
        (f"{new_key()},short", "OFFERBOUND_SECRET_KEY: key 2 of 2 is not a Fernet key"),
    ],
)
def test_bad_keys_are_explained(keys: str, message: str) -> None:
    with pytest.raises(SecretKeyError, match=message) as refused:
        SecretBox.from_setting(keys)
    assert "short" not in str(refused.value) and "nope" not in str(refused.value)


def test_an_unknown_key_names_the_setting_not_the_secret() -> None:
    written = SecretBox.from_setting(new_key()).encrypt(TOKEN)
    with pytest.raises(SecretKeyError, match="not in OFFERBOUND_SECRET_KEY") as refused:
        SecretBox.from_setting(new_key()).decrypt(written, where="slack_bots.bot_token")
    assert "slack_bots.bot_token" in str(refused.value)
    assert TOKEN not in str(refused.value) and written not in str(refused.value)
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_without_a_key_nothing_is_written_and_ciphertext_is_not_read() -> None:
    column = EncryptedText(None)
    with pytest.raises(SecretKeyError, match="OFFERBOUND_SECRET_KEY"):
        column.process_bind_param(TOKEN, None)  # type: ignore[arg-type]
    written = SecretBox.from_setting(new_key()).encrypt(TOKEN)
    with pytest.raises(SecretKeyError, match="OFFERBOUND_SECRET_KEY"):
        column.process_result_value(written, None)  # type: ignore[arg-type]
    assert column.process_result_value("xoxb-plain", None) == "xoxb-plain"  # type: ignore[arg-type]


@pytest.fixture
async def at_0007(empty_url: str) -> AsyncIterator[AsyncEngine]:  # noqa: F811
    engine = create_engine(empty_url)
    await upgrade(engine, "0007")
    try:
        yield engine
    finally:
        await engine.dispose()


async def test_migration_0008_widens_the_token_columns_and_keeps_the_rows(
    at_0007: AsyncEngine,
) -> None:
    async with at_0007.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO slack_bots (client_id, app_id, team_id, bot_token, "
                "is_enterprise_install, installed_at) VALUES ('c', 'A', 'T', 'xoxb-plain', "
                "false, :at)"
            ),
            {"at": datetime(2026, 11, 1)},
        )
    await upgrade(at_0007)
    ciphertext = SecretBox.from_setting(new_key()).encrypt(TOKEN)
    assert len(ciphertext) > 200
    async with at_0007.begin() as conn:
        for table in ("slack_bots", "slack_installations"):
            columns = await conn.run_sync(lambda sync, t=table: inspect(sync).get_columns(t))
            types = {c["name"]: c["type"] for c in columns}
            assert isinstance(types["bot_token"], Text)
            assert isinstance(types["bot_refresh_token"], Text)
        assert isinstance(types["user_refresh_token"], Text)
        assert isinstance(types["incoming_webhook_url"], Text)
        assert await conn.scalar(text("SELECT bot_token FROM slack_bots")) == "xoxb-plain"
        await conn.execute(text("UPDATE slack_bots SET bot_token = :v"), {"v": ciphertext})
        assert await conn.scalar(text("SELECT bot_token FROM slack_bots")) == ciphertext
        await conn.execute(text("UPDATE slack_bots SET bot_token = 'xoxb-short'"))
    await downgrade(at_0007, "0007")  # short values: the columns narrow again
    async with at_0007.connect() as conn:
        assert await conn.scalar(text("SELECT bot_token FROM slack_bots")) == "xoxb-short"
