"""Scheduling at campus scale: planning a standup for 10,000 members, and delivery throughput."""

from __future__ import annotations

import os
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import func, insert, select

from adapters.slack.capabilities import CAPABILITIES as SLACK
from bot.clock import ManualClock
from bot.delivery import Delivered, Outcome, Target
from bot.replies import Reply
from bot.scheduling.pacer import Pacer, limits_of
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.worker import DeliveryWorker
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Cohort, Member, OutboxMessage, Tenant
from storage.scope import system_session
from tests.perf.stats import markdown_table

COHORTS = 100
PER_COHORT = 100
NOW = datetime(2026, 11, 19, 9, 0, 30, tzinfo=UTC)  # a Thursday, just after 09:00 UTC


class CountingDeliverer:
    """Accepts every message at once: measures the worker, not a network (with Slack's limits)."""

    name = "slack"
    capabilities = SLACK

    def __init__(self) -> None:
        self.count = 0

    async def send(self, target: Target, reply: Reply, key: str) -> Outcome:
        self.count += 1
        return Delivered(ref=str(self.count))

    async def was_delivered(self, target: Target, key: str) -> bool | None:
        return False


async def _seed(sessions) -> None:
    joined = NOW - timedelta(days=30)
    async with system_session(sessions) as session:
        tenant_ids = []
        for t in range(COHORTS):
            tenant_ids.append(
                (
                    await session.execute(
                        insert(Tenant)
                        .values(
                            platform="slack",
                            external_id=f"T{t:04}",
                            name=f"Campus {t}",
                            created_at=joined,
                        )
                        .returning(Tenant.id)
                    )
                ).scalar_one()
            )
        cohort_ids = []
        for t, tenant_id in enumerate(tenant_ids):
            cohort_ids.append(
                (
                    await session.execute(
                        insert(Cohort)
                        .values(
                            tenant_id=tenant_id,
                            name=f"Cohort {t}",
                            channel_id=f"C{t}",
                            timezone="UTC",
                            standup_time=clock_time(9),
                            standup_days="0,1,2,3,4",
                            reminder_time=clock_time(13),
                            summary_time=clock_time(17),
                            retro_day=4,
                            retro_time=clock_time(16),
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
            )
        rows = [
            dict(
                tenant_id=tenant_id,
                cohort_id=cohort_id,
                platform_user_id=f"U{t}{i:03}",
                display_name=f"member {i}",
                role="member",
                timezone=("UTC", "Europe/London", "Africa/Abidjan")[i % 3],
                status="searching",
                leaderboard="shown",
                joined_at=joined,
                unreachable_reason="",
            )
            for t, (tenant_id, cohort_id) in enumerate(zip(tenant_ids, cohort_ids, strict=True))
            for i in range(PER_COHORT)
        ]
        await session.execute(insert(Member), rows)
        await session.commit()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _measure(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    await _seed(sessions)
    out = []
    start = time.perf_counter()
    written = await PromptPlanner(sessions).plan_all(NOW - timedelta(minutes=5), NOW)
    plan_s = time.perf_counter() - start
    out.append(
        (
            f"plan and write {written:,} outbox rows (standup + follow-ups, "
            f"{COHORTS * PER_COHORT:,} members in {COHORTS} cohorts)",
            f"{plan_s:.2f} s",
        )
    )
    start = time.perf_counter()
    again = await PromptPlanner(sessions).plan_all(NOW - timedelta(minutes=5), NOW)
    out.append(
        (
            f"plan the same window again ({again} new rows: idempotent)",
            f"{time.perf_counter() - start:.2f} s",
        )
    )

    deliverer = CountingDeliverer()
    worker = DeliveryWorker(
        sessions,
        {"slack": deliverer},
        ManualClock(NOW),
        "bench",
        pacer=Pacer(enabled=False),
        batch=200,
        concurrency=16,
    )
    start = time.perf_counter()
    handled = await worker.drain(limit=100_000)
    took = time.perf_counter() - start
    async with system_session(sessions) as session:
        sent = await session.scalar(select(func.count()).where(OutboxMessage.status == "sent"))
    out.append(
        (
            f"deliver {handled:,} rows, pacer off ({sent:,} sent, the rest had nothing due)",
            f"{took:.2f} s = {handled / took:,.0f} rows/s",
        )
    )

    # Pacer on: one workspace's fan-out, measured against Slack's configured 10 messages/s.
    counting = CountingDeliverer()
    paced = DeliveryWorker(
        sessions,
        {"slack": counting},
        ManualClock(NOW),
        "paced",
        pacer=Pacer(limits_of({"slack": counting}), enabled=True),
        batch=50,
        concurrency=8,
    )
    async with system_session(sessions) as session:
        tenant_id = await session.scalar(select(Tenant.id).order_by(Tenant.id))
        ids = (
            await session.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.tenant_id == tenant_id, OutboxMessage.kind == "standup")
                .limit(40)
            )
        ).all()
        from sqlalchemy import update

        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(status="pending", claimed_by="", lease_until=None)
        )
        await session.commit()
    start = time.perf_counter()
    handled = await paced.drain()
    took = time.perf_counter() - start
    burst = 10
    sustained = (handled - burst) / took
    out.append(
        (
            f"deliver {handled} messages to one Slack workspace, pacer on "
            f"(10 messages/s, bursts of "
            f"{burst})",
            f"{took:.2f} s: the first {burst} at once, then {sustained:.1f} msg/s "
            f"({sustained / 10:.0%} of the limit)",
        )
    )
    out.append(("peak resident memory of the benchmark process", f"{_rss_mb():.0f} MB"))
    await engine.dispose()
    return out


async def run() -> str:
    sections = [
        "## Scheduling and delivery",
        "",
        "Seeded directly: 100 Slack workspaces with one cohort of 100 members each, "
        "in three time zones that share 09:00 UTC. The deliverer accepts each message "
        "in-process, so the figures are the worker's own cost (database claims, rendering "
        "and bookkeeping), not a network's.",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("SQLite", f"sqlite:///{Path(tmp) / 'sched.db'}")]
        pg = os.environ.get("OFFERBOUND_TEST_DATABASE_URL")
        for label, url in backends + ([("PostgreSQL", pg)] if pg else []):
            if label == "PostgreSQL":
                from tests.perf.pg import fresh_database

                async with fresh_database(url) as private:
                    rows = await _measure(private)
            else:
                rows = await _measure(url)
            sections += ["", f"### {label}", "", markdown_table(("what", "result"), rows)]
    return "\n".join(sections) + "\n"
