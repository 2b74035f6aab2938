"""Secrets at rest: tokens the bot keeps in its database are Fernet-encrypted, column by column.

A stolen backup or a read-only SQL session must not hand out the credentials of every workspace,
so each secret column holds a Fernet token (AES-128-CBC with an HMAC, from ``cryptography``).
Keys come from ``OFFERBOUND_SECRET_KEY``, a comma-separated list: the first key encrypts, every
key decrypts (``MultiFernet``), so a new key is put first, ``offerbound secrets reencrypt``
moves every row onto it, and only then is the old key removed. Values written before encryption
existed (plaintext, never shaped like a Fernet token) are still read as they are, and
re-encrypting turns them into ciphertext. Errors name the setting and never carry the value.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Dialect, Text, TypeDecorator

SETTING = "OFFERBOUND_SECRET_KEY"
FERNET_VERSION = 0x80  # the first byte of every Fernet token
NEW_KEY_HINT = "generate one with `offerbound secrets new-key`"


class SecretKeyError(ValueError):
    """The secret key is missing, malformed, or not the one a stored secret was encrypted with.

    The message names ``OFFERBOUND_SECRET_KEY`` and what to do; it never includes a secret."""


def new_key() -> str:
    """A fresh random Fernet key (32 bytes, url-safe base64)."""
    return Fernet.generate_key().decode()


def looks_encrypted(value: str) -> bool:
    """Whether ``value`` is shaped like a Fernet token (so is not legacy plaintext).

    Slack tokens (``xox...``) and URLs never decode to base64 starting with Fernet's version
    byte, so the two kinds of stored values cannot be mistaken for one another."""
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
    except (ValueError, binascii.Error, UnicodeEncodeError):
        return False
    return len(raw) >= 57 and raw[0] == FERNET_VERSION


class SecretBox:
    """Encrypts with the first of ``keys`` and decrypts with any of them."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise SecretKeyError(f"{SETTING} is not set; {NEW_KEY_HINT}")
        fernets = []
        for position, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.strip().encode()))
            except (ValueError, binascii.Error):
                raise SecretKeyError(
                    f"{SETTING}: key {position} of {len(keys)} is not a Fernet key "
                    f"(44 url-safe base64 characters); {NEW_KEY_HINT}"
                ) from None
        self._current = fernets[0]
        self._all = MultiFernet(fernets)

    @classmethod
    def from_setting(cls, value: str | None) -> SecretBox:
        """The box for a comma-separated ``OFFERBOUND_SECRET_KEY`` value."""
        return cls([k for k in (value or "").split(",") if k.strip()])

    def encrypt(self, value: str) -> str:
        return self._current.encrypt(value.encode()).decode()

    def decrypt(self, value: str, *, where: str = "a stored secret") -> str:
        """The plaintext of ``value``; legacy plaintext is returned as it is."""
        if not looks_encrypted(value):
            return value
        try:
            return self._all.decrypt(value.encode()).decode()
        except InvalidToken:
            raise SecretKeyError(
                f"{where} was encrypted with a key that is not in {SETTING} "
                "(put the key it was written with back into the list)"
            ) from None

    def is_current(self, value: str) -> bool:
        """Encrypted with the first key already (nothing for ``reencrypt`` to do)."""
        if not looks_encrypted(value):
            return False
        try:
            self._current.decrypt(value.encode())
        except InvalidToken:
            return False
        return True

    def reencrypt(self, value: str, *, where: str = "a stored secret") -> str:
        """``value`` (ciphertext under any key, or legacy plaintext) under the first key."""
        return self.encrypt(self.decrypt(value, where=where))


class EncryptedText(TypeDecorator[str]):
    """A text column whose values are encrypted by ``box`` on the way in, decrypted on the way
    out. With no box (schema comparisons, a deployment without a key) nothing can be written,
    and only legacy plaintext can be read."""

    impl = Text
    cache_ok = True

    def __init__(self, box: SecretBox | None = None) -> None:
        super().__init__()
        self.box = box

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if self.box is None:
            raise SecretKeyError(f"{SETTING} is not set, so no secret can be stored")
        return self.box.encrypt(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if self.box is None:
            if looks_encrypted(value):
                raise SecretKeyError(f"{SETTING} is not set, so stored secrets cannot be read")
            return str(value)
        return self.box.decrypt(value)


@dataclass(frozen=True)
class SecretColumns:
    """Where secrets are stored: ``columns`` of ``table``, whose rows are keyed by ``key``."""

    table: str
    columns: tuple[str, ...]
    key: str = "id"


def secret_columns(found: Iterable[Iterable[SecretColumns]]) -> list[SecretColumns]:
    """Every platform's secret columns in one list (each table once)."""
    seen: dict[str, SecretColumns] = {}
    for group in found:
        for item in group:
            seen.setdefault(item.table, item)
    return list(seen.values())
