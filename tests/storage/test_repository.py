"""The tenant-scoped repository: another tenant's rows are invisible even with a guessed id."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from storage.engine import create_engine, session_factory
from storage.models import Application, Member, Tenant
from storage.scope import system_session
from storage.uow import UnitOfWork

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


@pytest.fixture
async def sessions(database_url: str):
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()


async def _seed(sessions) -> tuple[int, int, int]:
    """Two tenants, one member each, one application in tenant A."""
    async with UnitOfWork(sessions) as uow:
        a = await uow.tenants.get_or_create("slack", "T1", "Acme", NOW)
        b = await uow.tenants.get_or_create("slack", "T2", "Other", NOW)
        repo_a = uow.repository(a.id)
        alice = await repo_a.add(Member(platform_user_id="U1", display_name="alice", joined_at=NOW))
        await uow.repository(b.id).add(
            Member(platform_user_id="U1", display_name="mallory", joined_at=NOW)
        )
        app = await repo_a.add(
            Application(
                member_id=alice.id,
                company="Stripe",
                role="SWE",
                applied_on=date(2026, 11, 18),
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await uow.commit()
        return a.id, b.id, app.id


async def test_guessed_ids_from_another_tenant_find_nothing(sessions) -> None:
    tenant_a, tenant_b, app_id = await _seed(sessions)
    async with UnitOfWork(sessions) as uow:
        other = uow.repository(tenant_b)
        assert await other.get(Application, app_id) is None
        mallory = await other.member_by_platform_id("U1")
        assert mallory is not None and mallory.display_name == "mallory"
        assert await other.application(mallory.id, app_id) is None
        alice = await uow.repository(tenant_a).member_by_platform_id("U1")
        assert await other.applications(alice.id) == []
        assert await other.application(alice.id, app_id) is None
        assert (await other.daily_counts([alice.id], date(2026, 1, 1), date(2027, 1, 1)))[
            "applications"
        ] == {}


async def test_rows_are_written_into_the_repository_tenant(sessions) -> None:
    tenant_a, tenant_b, app_id = await _seed(sessions)
    async with UnitOfWork(sessions) as uow:
        row = await uow.repository(tenant_a).scalar(
            select(Application).where(Application.id == app_id)
        )
        assert row.tenant_id == tenant_a
        with pytest.raises(PermissionError):
            await uow.repository(tenant_b).delete(row)


async def test_same_platform_user_id_in_two_tenants_is_two_members(sessions) -> None:
    await _seed(sessions)
    async with system_session(sessions) as session:
        members = (await session.scalars(select(Member))).all()
        assert sorted(m.display_name for m in members) == ["alice", "mallory"]


async def test_unit_of_work_rolls_back_unless_committed(sessions) -> None:
    async with UnitOfWork(sessions) as uow:
        await uow.tenants.get_or_create("discord", "G1", "Guild", NOW)
    async with system_session(sessions) as session:
        assert (await session.scalars(select(Tenant))).all() == []


async def test_instants_round_trip_as_aware_utc(sessions) -> None:
    local = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    async with UnitOfWork(sessions) as uow:
        await uow.tenants.get_or_create("console", "local", "", local)
        await uow.commit()
    async with system_session(sessions) as session:
        tenant = await session.scalar(select(Tenant))
        assert tenant.created_at == local
        assert tenant.created_at.tzinfo == UTC


async def test_naive_datetimes_are_refused(sessions) -> None:
    async with UnitOfWork(sessions) as uow:
        with pytest.raises(Exception, match="naive"):
            await uow.tenants.get_or_create("console", "x", "", datetime(2026, 1, 1))
