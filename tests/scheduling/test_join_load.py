"""2,000 members join one cohort through three `offerbound run --platform slack` replicas on one
PostgreSQL, by signed slash commands from 16 concurrent clients (issue 13, finding 4).

Every request is acknowledged (HTTP 200, within Slack's 3 seconds), every join lands (a reply on
each response_url, a member row each), no replica logs a pool timeout, a traceback or an error,
no connection is left idle in a transaction, and the joiners are planned into the next standup.
The figures (throughput, ack latency, connections in use per replica) are printed for
docs/benchmarks.md; only Slack's hard 3-second limit is asserted.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.prompt_rules import Kind, Planned
from bot.scheduling.planner import PromptPlanner
from storage.engine import create_engine, session_factory
from storage.models import Cohort, Member
from storage.scope import system_session
from tests.fakes.slack_api import FakeSlackAPI
from tests.perf.stats import percentile
from tests.scheduling.replicas import (
    free_port,
    led,
    log_of,
    start_replica,
    stop_replicas,
    until,
    until_answered,
)
from tests.slack.harness import BOT_TOKEN, SIGNING_SECRET, signed_slash

MEMBERS = 2000
CLIENTS = 16
REPLICAS = 3
COHORT = "Fall 2026"
ACK_LIMIT = 3.0  # seconds: Slack shows the user an error when the acknowledgement is later
STUCK = timedelta(seconds=2)  # longer idle in a transaction than this is a leak

ACTIVITY = text(
    """
    SELECT application_name, state, count(*) AS n,
           coalesce(max(extract(epoch FROM now() - state_change)), 0) AS oldest
    FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
    GROUP BY application_name, state
    """
)


def joiner(i: int) -> str:
    return f"UJOIN{i:05d}"


@dataclass
class Activity:
    """Peaks seen in pg_stat_activity while the load ran, per replica (its application_name)."""

    busy: dict[str, int] = field(default_factory=dict)  # active or in a transaction
    open: dict[str, int] = field(default_factory=dict)  # every connection, idle ones included
    stuck: float = 0.0  # the longest "idle in transaction" seen, in seconds

    async def sample(self, engine: AsyncEngine) -> list[tuple[str, str, int, float]]:
        async with engine.connect() as conn:
            rows = [tuple(r) for r in (await conn.execute(ACTIVITY)).all()]
        busy: dict[str, int] = {}
        opened: dict[str, int] = {}
        for name, state, n, oldest in rows:
            opened[name] = opened.get(name, 0) + n
            if state in ("active", "idle in transaction"):
                busy[name] = busy.get(name, 0) + n
            if state == "idle in transaction":
                self.stuck = max(self.stuck, float(oldest))
        for seen, peak in ((busy, self.busy), (opened, self.open)):
            for name, n in seen.items():
                peak[name] = max(peak.get(name, 0), n)
        return rows  # type: ignore[return-value]

    async def watch(self, engine: AsyncEngine, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.sample(engine)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.1)


async def healthy(http: aiohttp.ClientSession, base: str) -> bool:
    try:
        async with http.get(f"{base}/healthz") as response:
            return response.status == 200
    except aiohttp.ClientError:
        return False


async def joined(engine: AsyncEngine) -> tuple[int, set[int], set[int]]:
    """The cohort's id, its joiners' member ids, and those of them with a standup planned on
    the cohort's next standup day (the cohort is in UTC)."""
    sessions = session_factory(engine)
    async with system_session(sessions) as session:
        cohort = (await session.scalars(select(Cohort).where(Cohort.name == COHORT))).one()
        members = set(
            await session.scalars(
                select(Member.id).where(
                    Member.cohort_id == cohort.id, Member.platform_user_id.like("UJOIN%")
                )
            )
        )
        planned: list[Planned] = []
        for ahead in range(1, 8):
            day = datetime.now(UTC).date() + timedelta(days=ahead)
            at = datetime.combine(day, cohort.standup_time, tzinfo=UTC)
            minute = timedelta(minutes=1)
            planned = await PromptPlanner(sessions).planned(
                cohort, session, at - minute, at + minute
            )
            if planned:
                break
    standups = {p.member_id for p in planned if p.kind is Kind.STANDUP and p.member_id}
    return cohort.id, members, standups


async def test_2000_members_join_through_three_replicas_with_no_failed_command(
    database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("replicas share PostgreSQL (advisory lock, pool per process); SQLite is one")
    began = time.monotonic()
    ports = [free_port() for _ in range(REPLICAS)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    engine = create_engine(database_url)
    activity = Activity()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    async with FakeSlackAPI() as fake, aiohttp.ClientSession() as http:
        env = dict(
            OFFERBOUND_DATABASE_URL=database_url,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            OFFERBOUND_SLACK_API_URL=fake.api_url,
        )
        workers = [start_replica(i, "slack", ports[i], tmp_path, env) for i in range(REPLICAS)]
        try:
            for base in bases:
                await until_answered(lambda b=base: healthy(http, b), 60, f"{base} to start")
            await until(lambda: any(led(tmp_path, i) for i in range(REPLICAS)), 30, "a leader")

            created = f'cohort create "{COHORT}" timezone=UTC'
            assert await signed_slash(http, bases[0], fake, created, user_id="UCOACH") == 200
            [reply] = await fake.wait_for("response_url", timeout=10)
            assert f"Created cohort {COHORT}" in reply.text(), reply.text()

            queue: asyncio.Queue[int] = asyncio.Queue()
            for i in range(MEMBERS):
                queue.put_nowait(i)

            async def client() -> None:
                while not queue.empty():
                    i = queue.get_nowait()
                    sent = time.monotonic()
                    statuses[i] = await signed_slash(
                        http,
                        bases[i % REPLICAS],
                        fake,
                        f'cohort join "{COHORT}"',
                        user_id=joiner(i),
                        user_name=f"joiner{i}",
                        response_url=fake.response_url(joiner(i)),
                    )
                    latencies.append(time.monotonic() - sent)

            stop = asyncio.Event()
            watcher = asyncio.create_task(activity.watch(engine, stop))
            load_began = time.monotonic()
            await asyncio.gather(*(client() for _ in range(CLIENTS)))
            acked = time.monotonic() - load_began
            await fake.wait_for("response_url", MEMBERS + 1, timeout=120)
            answered = time.monotonic() - load_began
            stop.set()
            await watcher
            await asyncio.sleep(STUCK.total_seconds())
            settled = await activity.sample(engine)
            cohort_id, members, standups = await joined(engine)
        finally:
            stop_replicas(workers)
            await engine.dispose()

    replies = {c.path.rsplit("/", 1)[-1]: c.text() for c in fake.calls_to("response_url")}
    logs = [log_of(tmp_path, i).read_text(errors="replace") for i in range(REPLICAS)]
    pids = {w.pid: i for i, w in enumerate(workers)}
    print(
        f"\n{MEMBERS} joins over {CLIENTS} clients and {REPLICAS} replicas: acked in {acked:.1f} s "
        f"({MEMBERS / acked:.0f}/s), all answered in {answered:.1f} s ({MEMBERS / answered:.0f}/s)"
        f"; ack p50 {percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
        f"connections in use at peak {_named(activity.busy, pids)}, "
        f"open at peak {_named(activity.open, pids)}; longest idle in transaction "
        f"{activity.stuck:.2f} s; whole test {time.monotonic() - began:.0f} s"
    )

    assert [i for i, status in statuses.items() if status != 200] == []
    assert len(latencies) == MEMBERS and max(latencies) < ACK_LIMIT
    failed = {u: t for u, t in replies.items() if u.startswith("UJOIN") and "You're in" not in t}
    assert len(failed) == 0, f"{len(failed)} joins failed, e.g. {list(failed.items())[:3]}"
    assert {joiner(i) for i in range(MEMBERS)} <= replies.keys()
    assert len(members) == MEMBERS, f"{len(members)} of {MEMBERS} joiners are in cohort {cohort_id}"
    assert members <= standups, f"{len(members - standups)} joiners have no standup planned"
    for i, log in enumerate(logs):
        for sign in ("QueuePool limit", "Traceback", " ERROR "):
            assert sign not in log, f"replica {i} logged {sign!r}:\n{log[-3000:]}"
    stuck = [r for r in settled if r[1] == "idle in transaction" and r[3] > STUCK.total_seconds()]
    assert stuck == [], f"connections left idle in a transaction: {stuck}"


def _named(peaks: dict[str, int], replicas: dict[int, int]) -> str:
    """``replica 0: 9, replica 0 leader: 1, ...`` from peaks by application_name
    (``offerbound HOST:PID [role]``)."""

    def name(app: str) -> str:
        match = re.fullmatch(r"offerbound \S+:(\d+)( \w+)?", app)
        if match is None or int(match[1]) not in replicas:
            return app or "unnamed"
        return f"replica {replicas[int(match[1])]}{match[2] or ''}"

    return ", ".join(
        f"{name(app)}: {n}" for app, n in sorted(peaks.items(), key=lambda p: name(p[0]))
    )
