"""``offerbound secrets reencrypt``: every stored secret moved onto the first key.

Run after putting a new key first in ``OFFERBOUND_SECRET_KEY`` (then the old key can go), or
once after upgrading, to turn secrets stored before encryption existed into ciphertext. It reads
the raw columns, so it needs no knowledge of the tables beyond their names, and each update is
conditional on the value it read: a token the running bot refreshed meanwhile is never
overwritten with the older one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import column, inspect, select, table, update
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.secrets import SecretBox, SecretColumns


async def reencrypt(engine: AsyncEngine, box: SecretBox, where: Sequence[SecretColumns]) -> int:
    """Re-encrypt every secret in ``where`` with ``box``'s first key; return how many rows
    changed. Raises ``SecretKeyError`` (naming the row, never its value) for a secret no key
    decrypts, before anything is written."""
    async with engine.connect() as conn:
        present = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    plans: list[tuple[SecretColumns, object, dict[str, tuple[str, str]]]] = []
    for spec in where:
        if spec.table not in present:
            continue
        async with engine.connect() as conn:
            rows: Sequence[Any] = (
                await conn.execute(
                    select(column(spec.key), *map(column, spec.columns)).select_from(
                        table(spec.table)
                    )
                )
            ).all()
        for row in rows:
            key, values = row[0], row[1:]
            changes = {
                name: (
                    old,
                    box.reencrypt(old, where=f"{spec.table}.{name} of row {spec.key}={key}"),
                )
                for name, old in zip(spec.columns, values, strict=True)
                if old is not None and not box.is_current(old)
            }
            if changes:
                plans.append((spec, key, changes))
    changed = 0
    for spec, key, changes in plans:
        target = table(spec.table, column(spec.key), *map(column, changes))
        statement = (
            update(target)
            .where(target.c[spec.key] == key)
            .where(*(target.c[name] == old for name, (old, _) in changes.items()))
            .values({name: new for name, (_, new) in changes.items()})
        )
        async with engine.begin() as conn:
            changed += (await conn.execute(statement)).rowcount
    return changed
