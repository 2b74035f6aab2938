"""Scoping by construction: statements that forget the tenant still see and touch only their own.

Every test runs on SQLite and, with OFFERBOUND_TEST_DATABASE_URL, on PostgreSQL, against the
real migrated schema; nothing of ours is mocked.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, exists, func, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.engine import create_engine, session_factory
from storage.models import Application, Cohort, Kudos, Member, StageChange, Tenant
from storage.repository import TenantRepository
from storage.scope import CrossTenantWrite, UnscopedQuery, system_session
from storage.uow import UnitOfWork

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
DAY = date(2026, 11, 18)
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class World:
    """Two tenants with one member each: A has three applications, B has two."""

    sessions: async_sessionmaker[AsyncSession]
    tenant_a: int
    tenant_b: int
    alice: int
    mallory: int
    cohort_b: int


def _app(member_id: int, company: str) -> Application:
    return Application(
        member_id=member_id,
        company=company,
        role="Developer",
        applied_on=DAY,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        a = await uow.tenants.get_or_create("slack", "T1", "Acme", NOW)
        b = await uow.tenants.get_or_create("slack", "T2", "Other", NOW)
        repo_a, repo_b = uow.repository(a.id), uow.repository(b.id)
        alice = await repo_a.add(Member(platform_user_id="U1", display_name="alice", joined_at=NOW))
        mallory = await repo_b.add(
            Member(platform_user_id="U1", display_name="mallory", joined_at=NOW)
        )
        cohort_b = await repo_b.add(Cohort(name="B", created_at=NOW))
        for company in ("A-one", "A-two", "A-three"):
            app = await repo_a.add(_app(alice.id, company))
            await repo_a.add(
                StageChange(application_id=app.id, stage="applied", day=DAY, created_at=NOW)
            )
        for company in ("B-one", "B-two"):
            app = await repo_b.add(_app(mallory.id, company))
            await repo_b.add(
                StageChange(application_id=app.id, stage="applied", day=DAY, created_at=NOW)
            )
        await uow.commit()
        ids = (a.id, b.id, alice.id, mallory.id, cohort_b.id)
    try:
        yield World(sessions, *ids)
    finally:
        await engine.dispose()


async def _companies(world: World) -> dict[int, list[str]]:
    """Every tenant's application companies in id order, read across tenants."""
    async with system_session(world.sessions) as session:
        rows = await session.execute(
            select(Application.tenant_id, Application.company).order_by(Application.id)
        )
        out: dict[int, list[str]] = {}
        for tenant_id, company in rows:
            out.setdefault(tenant_id, []).append(company)
        return out


async def test_a_read_that_forgets_the_tenant_filter_sees_only_its_own_rows(world: World) -> None:
    async with UnitOfWork(world.sessions) as uow:
        repo = uow.repository(world.tenant_a)
        apps = await repo.scalars(select(Application))
        assert sorted(a.company for a in apps) == ["A-one", "A-three", "A-two"]
        assert await repo.scalar(select(func.count()).select_from(Application)) == 3
        assert await repo.get(Member, world.mallory) is None
        # joins, subqueries and EXISTS are limited too
        joined = await repo.execute(
            select(StageChange.id, Application.company).join(
                Application, Application.id == StageChange.application_id
            )
        )
        assert sorted(company for _, company in joined) == ["A-one", "A-three", "A-two"]
        mallorys = select(Application.id).where(Application.member_id == world.mallory)
        assert (
            await repo.scalars(select(StageChange).where(StageChange.application_id.in_(mallorys)))
            == []
        )
        assert not await repo.scalar(
            select(or_(exists().where(Application.member_id == world.mallory)))
        )
        # the named methods rely on the same criteria
        assert await repo.applications(world.mallory) == []
        assert await repo.cohort_members(world.cohort_b) == []


async def test_one_session_serves_several_tenants_one_after_another(world: World) -> None:
    """The delivery worker renders a batch of several tenants' rows in one session."""
    async with system_session(world.sessions) as session:
        everything = (await session.scalars(select(Application))).all()
        assert len(everything) == 5  # all of them are in this session's identity map now
        for tenant, member, expected in (
            (world.tenant_a, world.alice, 3),
            (world.tenant_b, world.mallory, 2),
            (world.tenant_a, world.alice, 3),
        ):
            repo = TenantRepository(session, tenant)
            assert len(await repo.scalars(select(Application))) == expected
            assert len(await repo.applications(member)) == expected
            other = world.mallory if member == world.alice else world.alice
            assert await repo.get(Member, other) is None


async def test_orm_update_and_delete_without_a_filter_touch_only_the_own_tenant(
    world: World,
) -> None:
    async with UnitOfWork(world.sessions) as uow:
        repo = uow.repository(world.tenant_b)
        result = await repo.execute(update(Application).values(company="renamed"))
        assert result.rowcount == 2  # type: ignore[attr-defined]
        assert await repo.update_where(Application, Application.stage == "applied", notes="x") == 2
        result = await repo.execute(delete(StageChange))
        assert result.rowcount == 2  # type: ignore[attr-defined]
        assert await repo.delete_where(Application) == 2
        await uow.commit()
    companies = await _companies(world)
    assert companies == {world.tenant_a: ["A-one", "A-two", "A-three"]}
    async with system_session(world.sessions) as session:
        changes = await session.scalar(select(func.count()).select_from(StageChange))
        notes = set((await session.scalars(select(Application.notes))).all())
    assert changes == 3
    assert notes == {""}


async def test_update_with_returning_is_scoped(world: World) -> None:
    async with UnitOfWork(world.sessions) as uow:
        repo = uow.repository(world.tenant_a)
        returned = await repo.execute(
            update(Application).values(notes="seen").returning(Application.company)
        )
        assert sorted(returned.scalars()) == ["A-one", "A-three", "A-two"]


async def test_statements_without_a_tenant_are_refused_in_a_plain_session(world: World) -> None:
    async with world.sessions() as session:
        refused = [
            select(Application),
            select(func.count()).select_from(StageChange),
            select(Tenant.id).join(Member, Member.tenant_id == Tenant.id),
            update(Application).values(notes="x"),
            delete(StageChange),
            select(Application.__table__),
            Application.__table__.delete(),
        ]
        for statement in refused:
            with pytest.raises(UnscopedQuery):
                await session.execute(statement)
        with pytest.raises(UnscopedQuery):
            await session.get(Member, world.alice)
        with pytest.raises(UnscopedQuery):
            await session.execute(text("SELECT company FROM applications"))
        with pytest.raises(UnscopedQuery):
            await session.execute(insert(Cohort), [{"tenant_id": world.tenant_a, "name": "x"}])
        session.add(Cohort(tenant_id=world.tenant_a, name="sneaky", created_at=NOW))
        with pytest.raises(UnscopedQuery):
            await session.flush()
        await session.rollback()
        # the tenants directory is not tenant-owned: any session may read it
        assert len((await session.scalars(select(Tenant))).all()) == 2


async def test_a_system_session_reads_across_tenants(world: World) -> None:
    async with system_session(world.sessions) as session:
        assert await session.scalar(select(func.count()).select_from(Application)) == 5
        members = (await session.scalars(select(Member.display_name))).all()
        assert sorted(members) == ["alice", "mallory"]
        assert (await session.execute(text("SELECT count(*) FROM stage_changes"))).scalar() == 5


async def test_core_statements_are_refused_inside_a_tenant_scope(world: World) -> None:
    async with UnitOfWork(world.sessions) as uow:
        repo = uow.repository(world.tenant_a)
        table = Application.__table__
        for statement in (
            select(table),
            table.update().values(notes="x"),
            table.delete(),
            select(Application.id).join(
                StageChange.__table__, StageChange.__table__.c.application_id == Application.id
            ),
        ):
            with pytest.raises(UnscopedQuery):
                await repo.execute(statement)
        with pytest.raises(UnscopedQuery):
            await repo.execute(text("SELECT 1"))
    assert len((await _companies(world))[world.tenant_a]) == 3


async def test_inserting_another_tenants_row_through_a_scoped_repository_is_refused(
    world: World,
) -> None:
    async with UnitOfWork(world.sessions) as uow:
        repo = uow.repository(world.tenant_a)
        stray = _app(world.mallory, "stray")
        stray.tenant_id = world.tenant_b
        with pytest.raises(CrossTenantWrite):
            await repo.add(stray)
        with pytest.raises(CrossTenantWrite):
            await repo.add_all([_app(world.alice, "fine"), stray])
        with pytest.raises(CrossTenantWrite):
            await repo.execute(
                insert(Cohort), [{"tenant_id": world.tenant_b, "name": "x", "created_at": NOW}]
            )
        with pytest.raises(CrossTenantWrite):
            await repo.enqueue_prompts([{"tenant_id": world.tenant_b, "key": "x"}])
    async with UnitOfWork(world.sessions) as uow:
        # rows never change tenant: not by an UPDATE...
        repo = uow.repository(world.tenant_a)
        with pytest.raises(CrossTenantWrite):
            await repo.update_where(Application, Application.member_id == world.alice, tenant_id=2)
        with pytest.raises(CrossTenantWrite):
            await repo.execute(update(Cohort).values(tenant_id=world.tenant_b, name="moved"))
    async with UnitOfWork(world.sessions) as uow:
        # ...nor by changing a loaded row
        mine = (await uow.repository(world.tenant_a).applications(world.alice))[0]
        mine.tenant_id = world.tenant_b
        with pytest.raises(CrossTenantWrite):
            await uow.repository(world.tenant_a).flush()
    async with UnitOfWork(world.sessions) as uow:
        # ...and another tenant's repository can't delete it
        mine = (await uow.repository(world.tenant_a).applications(world.alice))[0]
        with pytest.raises(CrossTenantWrite):
            await uow.repository(world.tenant_b).delete(mine)
    assert await _companies(world) == {
        world.tenant_a: ["A-one", "A-two", "A-three"],
        world.tenant_b: ["B-one", "B-two"],
    }


async def test_a_missing_tenant_id_is_filled_from_the_repository(world: World) -> None:
    async with UnitOfWork(world.sessions) as uow:
        repo = uow.repository(world.tenant_b)
        app = await repo.add(_app(world.mallory, "B-three"))
        assert app.tenant_id == world.tenant_b
        queued = await repo.enqueue_prompts(
            [
                {
                    "cohort_id": world.cohort_b,
                    "member_id": world.mallory,
                    "subject_id": None,
                    "kind": "standup",
                    "key": "standup:x",
                    "local_day": DAY,
                    "due_at": NOW,
                    "expires_at": NOW,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": NOW,
                    "claimed_by": "",
                    "message_ref": "",
                    "last_error": "",
                    "created_at": NOW,
                }
            ]
        )
        assert queued == 1


async def test_the_repository_needs_a_scoping_session(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        plain = async_sessionmaker(engine)
        async with plain() as session:
            with pytest.raises(TypeError, match="session_factory"):
                TenantRepository(session, 1)
    finally:
        await engine.dispose()


async def test_the_database_refuses_a_cross_tenant_foreign_key(
    world: World, database_url: str
) -> None:
    """Plain SQL, no ORM: the composite keys themselves keep rows inside their tenant."""
    engine = create_engine(database_url)  # SQLite connections have foreign keys on
    naive = NOW.replace(tzinfo=None)  # columns are UTC without a zone
    values = {"a": world.tenant_a, "b": world.tenant_b, "alice": world.alice, "now": naive}
    insert_app = (
        "INSERT INTO applications (tenant_id, member_id, number, company, role, url, stage, "
        "contact, notes, next_step, applied_on, created_at, updated_at) VALUES (:a, :member, "
        ":number, 'x', 'y', '', 'applied', '', '', '', :day, :now, :now)"
    )
    try:
        async with engine.begin() as conn:  # the same statement within the tenant works
            await conn.execute(
                text(insert_app), {**values, "member": world.alice, "number": 90, "day": DAY}
            )
        bad = [
            (insert_app, {"member": world.mallory, "number": 91, "day": DAY}),
            (
                "INSERT INTO kudos (tenant_id, cohort_id, from_member_id, to_member_id, message, "
                "day, created_at) VALUES (:b, :cohort, :mallory, :alice, 'hi', :day, :now)",
                {"cohort": world.cohort_b, "mallory": world.mallory, "day": DAY},
            ),
            (
                "UPDATE members SET cohort_id = :cohort WHERE id = :alice",
                {"cohort": world.cohort_b},
            ),
            (
                "UPDATE stage_changes SET tenant_id = :b WHERE application_id IN "
                "(SELECT id FROM applications WHERE tenant_id = :a)",
                {},
            ),
        ]
        for statement, extra in bad:
            with pytest.raises(IntegrityError):
                async with engine.begin() as conn:
                    await conn.execute(text(statement), {**values, **extra})
    finally:
        await engine.dispose()
    assert len((await _companies(world))[world.tenant_a]) == 4
    async with system_session(world.sessions) as session:
        assert await session.scalar(select(func.count()).select_from(Kudos)) == 0


def test_nothing_outside_storage_touches_a_private_session() -> None:
    """Handlers, prompts, adapters and tests go through repositories or system_session()."""
    private = re.compile(r"\._" + r"session\b")
    repo_session = re.compile(r"\brepo(sitory)?\.session\b|\buow\.session\b")
    offenders = []
    for folder in ("bot", "adapters", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if private.search(line) or repo_session.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
    assert not hasattr(TenantRepository, "session")


def test_bot_writes_no_tenant_predicates_by_hand() -> None:
    """The criteria add ``tenant_id = :tenant``; a hand-written one would hide a missing scope."""
    pattern = re.compile(r"\.tenant_id\s*==")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
