"""Three real `offerbound run` processes on PostgreSQL and a fake Discord; the leader is killed
with SIGKILL in the middle of a fan-out. Every member still gets exactly one standup, and another
process takes over the scheduler.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, insert, select

from storage.engine import create_engine, session_factory
from storage.models import Cohort, Member, OutboxMessage, Tenant
from storage.scope import system_session
from tests.fakes.discord_server import API, FakeDiscord
from tests.scheduling.replicas import free_port, led, start_replica, stop_replicas, until

MEMBERS = 2000
GUILD = "500000000000000001"


def midday_zone(now: datetime) -> str:
    """A fixed-offset zone where it is about noon now, so a whole day of standups lies ahead."""
    offset = 12 - now.hour
    offset = offset - 24 if offset > 14 else offset + 24 if offset < -12 else offset
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


async def seed(url: str, channel_id: str, zone: str) -> None:
    engine = create_engine(url)
    joined = datetime.now(UTC) - timedelta(days=30)
    async with system_session(session_factory(engine)) as session:
        tenant_id = (
            await session.execute(
                insert(Tenant)
                .values(
                    platform="discord",
                    external_id=GUILD,
                    name="Campus",
                    created_at=joined,
                )
                .returning(Tenant.id)
            )
        ).scalar_one()
        cohort_id = (
            await session.execute(
                insert(Cohort)
                .values(
                    tenant_id=tenant_id,
                    name="Fall",
                    channel_id=channel_id,
                    timezone=zone,
                    standup_time=clock_time(11, 0),
                    standup_days="0,1,2,3,4,5,6",
                    reminder_time=clock_time(23, 59),
                    summary_time=clock_time(23, 59),
                    retro_day=(datetime.now(UTC).weekday() + 3) % 7,
                    retro_time=clock_time(23, 0),
                    target_applications=10,
                    target_outreach=10,
                    target_practice_days=5,
                    target_hours=40,
                    streak_freezes=2,
                    mention_missing=False,
                    created_at=joined,
                )
                .returning(Cohort.id)
            )
        ).scalar_one()
        await session.execute(
            insert(Member),
            [
                dict(
                    tenant_id=tenant_id,
                    cohort_id=cohort_id,
                    platform_user_id=str(600000000000000000 + i),
                    display_name=f"member {i}",
                    role="member",
                    timezone=zone,
                    status="searching",
                    leaderboard="shown",
                    joined_at=joined,
                    unreachable_reason="",
                )
                for i in range(MEMBERS)
            ],
        )
        await session.commit()
    await engine.dispose()


async def outbox_statuses(url: str) -> dict[str, int]:
    engine = create_engine(url)
    async with system_session(session_factory(engine)) as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.kind == "standup")
            .group_by(OutboxMessage.status)
        )
        result = dict(rows.all())
    await engine.dispose()
    return result


def start_worker(
    index: int, url: str, fake: FakeDiscord, logs: Path, port: int
) -> subprocess.Popen:
    env = dict(
        OFFERBOUND_DATABASE_URL=url,
        DISCORD_TOKEN="fake-token",
        OFFERBOUND_DISCORD_API_URL=fake.api_url,
        OFFERBOUND_DISCORD_GATEWAY_URL=fake.gateway_url,
        OFFERBOUND_DELIVERY_PACER="false",
        OFFERBOUND_DELIVERY_LEASE_SECONDS="5",
    )
    return start_replica(index, "discord", port, logs, env)


async def test_killing_the_leader_mid_fan_out_loses_and_repeats_nothing(
    database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share PostgreSQL (advisory lock, SKIP LOCKED); SQLite is one process")
    fake = await FakeDiscord().start()
    fake.add_guild(GUILD, "Campus", [])
    await seed(database_url, fake.channel_id(GUILD), midday_zone(datetime.now(UTC)))
    dm_channels = {fake.dm_channel(str(600000000000000000 + i)) for i in range(MEMBERS)}
    ports = [free_port() for _ in range(3)]
    workers = [start_worker(i, database_url, fake, tmp_path, ports[i]) for i in range(3)]

    def accepted() -> set[str]:
        """DM channels that received a (first, nonce-enforced) message."""
        return {channel for channel, _ in fake.nonces} & dm_channels

    try:
        await until(lambda: any(led(tmp_path, i) for i in range(3)), 60, "a leader")
        leader = next(i for i in range(3) if led(tmp_path, i))
        await until(lambda: len(accepted()) >= 150, 60, "the fan-out to start")
        assert len(accepted()) < MEMBERS, "the fan-out finished before the kill"
        os.kill(workers[leader].pid, signal.SIGKILL)
        await asyncio.to_thread(workers[leader].wait, 10)
        others = [i for i in range(3) if i != leader]
        await until(lambda: any(led(tmp_path, i) for i in others), 30, "a new leader")
        try:
            await until(lambda: len(accepted()) == MEMBERS, 120, "every member's standup")
        except AssertionError as exc:
            raise AssertionError(
                f"{exc}: {len(accepted())} of {MEMBERS} reached, outbox "
                f"{await outbox_statuses(database_url)}"
            ) from None
        await asyncio.sleep(6)  # longer than a lease: any straggler would show up now
        statuses = await outbox_statuses(database_url)
        survivor = others[0]
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{ports[survivor]}/readyz") as response:
                ready = await response.json()
            async with http.get(f"http://127.0.0.1:{ports[survivor]}/metrics") as response:
                metrics = await response.text()
    finally:
        stop_replicas(workers)
        await fake.close()
    standups = [
        r
        for r in fake.sent("POST", rf"{API}/channels/\d+/messages")
        if r.status == 200 and (r.json.get("nonce") or "")
    ]
    per_channel: dict[str, set[str]] = {}
    for r in standups:
        per_channel.setdefault(r.path.split("/")[-2], set()).add(str(r.json["nonce"]))
    assert dm_channels <= set(per_channel), "somebody was skipped"
    assert all(len(per_channel[c]) == 1 for c in dm_channels), "somebody got two prompts"
    assert statuses == {"sent": MEMBERS}
    assert ready == {
        "ok": True,
        "database": "ok",
        "platform": "connected",
        "platforms": {"discord": "connected"},
    }
    assert 'offerbound_deliveries_total{platform="discord",status="sent"}' in metrics
    print(f"resent after the kill and dropped by the nonce: {fake.nonce_repeats}")
