"""The hot queries at campus scale: a member's week, a cohort's leaderboard, due follow-ups.

Rows are generated inside the database (generate_series / a recursive CTE), then each query is
timed at two sizes, and its plan is shown to be an index search, not a table scan.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bot.progress import week_totals
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Member
from storage.repository import TenantRepository
from tests.perf.stats import markdown_table

SIZES = [(10_000, 50), (100_000, 50)]  # members, log rows per member (20 apps, 15 + 15)
PER_COHORT = 100
NOW = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


def _series(dialect: str, n: int) -> str:
    """SQL yielding integers 1..n as column ``i``."""
    if dialect == "postgresql":
        return f"SELECT generate_series(1, {n}) AS i"
    return (
        f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) "
        "SELECT i FROM s"
    )


async def _seed(conn, dialect: str, members: int, per_member: int) -> None:
    cohorts = members // PER_COHORT
    now = "'2026-10-01 00:00:00'"
    await conn.execute(
        text(
            f"INSERT INTO tenants (id, platform, external_id, name, created_at) "
            f"VALUES (1, 'slack', 'T1', 'Campus', {now})"
        )
    )
    await conn.execute(
        text(
            "INSERT INTO cohorts (id, tenant_id, name, channel_id, timezone, standup_time, "
            "standup_days, reminder_time, summary_time, retro_day, retro_time, "
            "target_applications, target_outreach, target_practice_days, target_hours, "
            "streak_freezes, mention_missing, "
            "apps_per_interview, interviews_per_offer, created_at) "
            f"SELECT i, 1, 'Cohort ' || i, 'C' || i, 'UTC', '09:00:00', '0,1,2,3,4', '13:00:00', "
            f"'17:00:00', 4, '16:00:00', 10, 10, 5, 40, 2, false, 10, 4, {now} "
            f"FROM ({_series(dialect, cohorts)}) AS s"
        )
    )
    await conn.execute(
        text(
            "INSERT INTO members (id, tenant_id, cohort_id, platform_user_id, display_name, role, "
            "timezone, status, leaderboard, joined_at, unreachable_reason) "
            f"SELECT i, 1, (i - 1) / {PER_COHORT} + 1, 'U' || i, 'member ' || i, 'member', 'UTC', "
            f"'searching', 'shown', {now}, '' FROM ({_series(dialect, members)}) AS s"
        )
    )
    apps, contacts = per_member * 2 // 5, per_member * 3 // 10
    practice = per_member - apps - contacts
    day = (
        "date '2026-11-19' - ((i * 7) % 120)"
        if dialect == "postgresql"
        else "date('2026-11-19', '-' || ((i * 7) % 120) || ' days')"
    )
    follow = (
        "date '2026-11-19' + ((i % 30) - 15)"
        if dialect == "postgresql"
        else "date('2026-11-19', ((i % 30) - 15) || ' days')"
    )
    await conn.execute(
        text(
            "INSERT INTO applications (tenant_id, number, member_id, company, role, url, stage, "
            "contact, notes, next_step, follow_up, applied_on, created_at, updated_at) "
            f"SELECT 1, i, (i - 1) % {members} + 1, 'Company ' || (i % 997), 'Engineer', '', "
            f"'applied', '', '', '', CASE WHEN i % 4 = 0 THEN {follow} END, {day}, {now}, {now} "
            f"FROM ({_series(dialect, members * apps)}) AS s"
        )
    )
    await conn.execute(
        text(
            "INSERT INTO contacts (tenant_id, number, member_id, name, company, role, channel, "
            "learned, next_step, follow_up, contacted_on, created_at, updated_at) "
            f"SELECT 1, i, (i - 1) % {members} + 1, 'Person ' || i, '', '', 'linkedin', '', '', "
            f"CASE WHEN i % 5 = 0 THEN {follow} END, {day}, {now}, {now} "
            f"FROM ({_series(dialect, members * contacts)}) AS s"
        )
    )
    await conn.execute(
        text(
            "INSERT INTO practice_logs (tenant_id, member_id, day, minutes, what, link, source, "
            f"created_at) SELECT 1, (i - 1) % {members} + 1, {day}, 30, '', '', 'manual', {now} "
            f"FROM ({_series(dialect, members * practice)}) AS s"
        )
    )
    if dialect == "postgresql":
        for table in ("members", "applications", "contacts", "practice_logs", "hour_logs"):
            await conn.execute(text(f"ANALYZE {table}"))
    else:
        await conn.execute(text("ANALYZE"))


async def _timed(fn, rounds: int = 30) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


async def _plan(conn, dialect: str, sql: str) -> str:
    if dialect == "postgresql":
        rows = (await conn.execute(text("EXPLAIN " + sql))).scalars().all()
        return " / ".join(r.strip() for r in rows if "Scan" in r)[:160]
    rows = (await conn.execute(text("EXPLAIN QUERY PLAN " + sql))).all()
    return " / ".join(str(r[-1]) for r in rows)[:160]


async def _measure(url: str, members: int, per_member: int) -> tuple[list, list]:
    engine = create_engine(url)
    await upgrade(engine)
    dialect = engine.dialect.name
    start = time.perf_counter()
    async with engine.begin() as conn:
        await _seed(conn, dialect, members, per_member)
    seeded = time.perf_counter() - start
    sessions = session_factory(engine)
    member_id = members // 2
    cohort_id = (member_id - 1) // PER_COHORT + 1
    async with sessions() as session:
        repo = TenantRepository(session, 1)
        me = await repo.get(Member, member_id)
        cohort_members = list(await repo.cohort_members(cohort_id))

        async def my_week():
            await week_totals(repo, [me], NOW)

        async def leaderboard():
            await week_totals(repo, cohort_members, NOW)
            await repo.practice_days([m.id for m in cohort_members])

        async def followups():
            await repo.due_followups(member_id, TODAY)

        timings = [
            ("a member's week (stats)", await _timed(my_week)),
            (
                "a cohort's leaderboard (100 members: week totals and streak days)",
                await _timed(leaderboard, 10),
            ),
            ("a member's due follow-ups", await _timed(followups)),
        ]
    since = (TODAY - timedelta(days=TODAY.weekday())).isoformat()
    lit = f"'{since}'" if dialect == "sqlite" else f"date '{since}'"
    async with engine.connect() as conn:
        plans = [
            (
                "member's week",
                await _plan(
                    conn,
                    dialect,
                    "SELECT member_id, applied_on, count(*) FROM applications WHERE tenant_id = 1 "
                    f"AND member_id IN ({member_id}) AND applied_on >= {lit} "
                    "GROUP BY member_id, applied_on",
                ),
            ),
            (
                "due follow-ups",
                await _plan(
                    conn,
                    dialect,
                    "SELECT * FROM applications WHERE tenant_id = 1 "
                    f"AND member_id = {member_id} AND follow_up IS NOT NULL AND follow_up <= {lit}",
                ),
            ),
        ]
    await engine.dispose()
    rows = members * per_member
    return (
        [(f"{members:,} members, {rows:,} log rows", name, f"{ms:.1f}") for name, ms in timings]
        + [
            (
                f"{members:,} members, {rows:,} log rows",
                "seeding (in-database)",
                f"{seeded * 1000:,.0f}",
            )
        ],
        [(f"{members:,} members", name, plan) for name, plan in plans],
    )


async def run() -> str:
    out = [
        "## Hot queries at campus scale",
        "",
        "Each member has 50 log rows (20 applications, 15 contacts, 15 practice days) spread "
        "over four months; cohorts of 100. Median of 30 runs (10 for the leaderboard). The "
        "plans show each query is answered from the (tenant, member, day) indexes: ten times "
        "the rows costs about the same.",
    ]
    pg = os.environ.get("OFFERBOUND_TEST_DATABASE_URL")
    for label in ["SQLite", *(["PostgreSQL"] if pg else [])]:
        timing_rows, plan_rows = [], []
        for members, per_member in SIZES:
            with tempfile.TemporaryDirectory() as tmp:
                if label == "SQLite":
                    t, p = await _measure(f"sqlite:///{Path(tmp) / 'q.db'}", members, per_member)
                else:
                    from tests.perf.pg import fresh_database

                    async with fresh_database(pg) as private:  # type: ignore[arg-type]
                        t, p = await _measure(private, members, per_member)
            timing_rows += t
            plan_rows += p
        out += [
            "",
            f"### {label}",
            "",
            markdown_table(("data", "query", "ms"), timing_rows),
            "",
            markdown_table(("data", "query", "plan"), plan_rows),
        ]
    return "\n".join(out) + "\n"
