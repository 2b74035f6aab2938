"""The delivery pacer's token buckets shared by every replica, in PostgreSQL.

Each send spends a token from rows keyed by platform and workspace (and channel, and the bot as a
whole), updated atomically with the database server's own clock, so three replicas together send
no faster than one would, and a Retry-After written by one pauses all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, literal, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import PaceBucket
from storage.scope import system_session

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Claim = tuple[str, float, int]  # bucket key, messages a second, burst


class SharedPace:
    """``reserve`` one token in each bucket and say how long to wait for the latest of them."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def reserve(self, claims: Sequence[Claim]) -> float:
        if not claims:
            return 0.0
        now = func.timezone("UTC", func.clock_timestamp())  # naive UTC, like every stamp
        wait = 0.0
        async with system_session(self.sessions) as session:
            for key, rate, burst in sorted(claims):  # a fixed order: no deadlock between replicas
                await session.execute(
                    insert(PaceBucket)
                    .values(key=key, tokens=float(burst), stamp=now, blocked_until=EPOCH)
                    .on_conflict_do_nothing(index_elements=["key"])
                )
                elapsed = func.extract("epoch", now - PaceBucket.stamp)
                tokens, blocked = (
                    await session.execute(
                        update(PaceBucket)
                        .where(PaceBucket.key == key)
                        .values(
                            tokens=func.least(
                                literal(float(burst)), PaceBucket.tokens + elapsed * rate
                            )
                            - 1,
                            stamp=now,
                        )
                        .returning(
                            PaceBucket.tokens,
                            func.extract(
                                "epoch",
                                func.greatest(PaceBucket.blocked_until - now, timedelta(0)),
                            ),
                        )
                        .execution_options(synchronize_session=False)
                    )
                ).one()
                wait = max(wait, float(blocked or 0), -float(tokens) / rate if tokens < 0 else 0)
            await session.commit()
        return wait

    async def block(self, key: str, seconds: float) -> None:
        """A Retry-After: nobody sends through ``key`` for ``seconds``."""
        now = func.timezone("UTC", func.clock_timestamp())  # naive UTC, like every stamp
        until = now + timedelta(seconds=seconds)
        async with system_session(self.sessions) as session:
            await session.execute(
                insert(PaceBucket)
                .values(key=key, tokens=0.0, stamp=now, blocked_until=until)
                .on_conflict_do_update(
                    index_elements=["key"],
                    set_={"blocked_until": func.greatest(PaceBucket.blocked_until, until)},
                )
            )
            await session.commit()
