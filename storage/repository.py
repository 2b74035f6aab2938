"""Tenant-scoped data access. The tenant is given once; every query below filters by it.

There is deliberately no method that takes a bare id without the tenant: a guessed id from another
workspace or guild finds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    TENANT_TABLES,
    Application,
    Barrier,
    Base,
    CalendarToken,
    CareerPlanRow,
    Cohort,
    Contact,
    Goal,
    HourLog,
    Kudos,
    Member,
    Pause,
    PracticeLog,
    RetroResponse,
    SearchPlan,
    StageChange,
    StandupResponse,
    Tenant,
    WeekPlanBlock,
)

M = TypeVar("M", bound=Base)

# Columns that tie a row to a member (owner, sender, recipient or subject).
_MEMBER_COLUMNS = frozenset({"member_id", "from_member_id", "to_member_id", "subject_id"})


class TenantsDirectory:
    """Finds or registers tenants: the one lookup that cannot be tenant-scoped."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_or_create(
        self, platform: str, external_id: str, name: str, now: datetime
    ) -> Tenant:
        found = await self.session.scalar(
            select(Tenant).where(Tenant.platform == platform, Tenant.external_id == external_id)
        )
        if found is not None:
            if name and found.name != name:
                found.name = name
            return found
        tenant = Tenant(platform=platform, external_id=external_id, name=name, created_at=now)
        self.session.add(tenant)
        await self.session.flush()
        return tenant


class TenantRepository:
    """Every read and write of one tenant's rows."""

    def __init__(self, session: AsyncSession, tenant_id: int) -> None:
        self.session = session
        self.tenant_id = tenant_id

    # -- generic, tenant-filtered building blocks -------------------------------------------

    def select(self, model: type[M], *columns: Any) -> Select[Any]:
        """``SELECT model`` (or just ``columns`` of it) limited to this tenant's rows."""
        query = select(*columns) if columns else select(model)
        return query.where(model.tenant_id == self.tenant_id)  # type: ignore[attr-defined]

    async def get(self, model: type[M], row_id: int) -> M | None:
        return await self.session.scalar(
            self.select(model).where(model.id == row_id)  # type: ignore[attr-defined]
        )

    async def add(self, row: M) -> M:
        row.tenant_id = self.tenant_id  # type: ignore[attr-defined]
        self.session.add(row)
        await self.session.flush()
        return row

    async def delete(self, row: Base) -> None:
        if getattr(row, "tenant_id", None) != self.tenant_id:
            raise PermissionError("refusing to delete another tenant's row")
        await self.session.delete(row)
        await self.session.flush()

    # -- cohorts and members -----------------------------------------------------------------

    async def cohort_by_name(self, name: str) -> Cohort | None:
        return await self.session.scalar(
            self.select(Cohort).where(func.lower(Cohort.name) == name.strip().lower())
        )

    async def cohorts(self) -> Sequence[Cohort]:
        return (await self.session.scalars(self.select(Cohort).order_by(Cohort.name))).all()

    async def member_by_platform_id(self, platform_user_id: str) -> Member | None:
        return await self.session.scalar(
            self.select(Member).where(Member.platform_user_id == platform_user_id)
        )

    async def members_named(self, name: str, cohort_id: int | None) -> Sequence[Member]:
        query = self.select(Member).where(func.lower(Member.display_name) == name.strip().lower())
        if cohort_id is not None:
            query = query.where(Member.cohort_id == cohort_id)
        return (await self.session.scalars(query)).all()

    async def cohort_members(self, cohort_id: int) -> Sequence[Member]:
        return (
            await self.session.scalars(
                self.select(Member)
                .where(Member.cohort_id == cohort_id)
                .order_by(func.lower(Member.display_name))
            )
        ).all()

    async def pauses(self, member_ids: Iterable[int]) -> dict[int, list[tuple[date, date]]]:
        ids = list(member_ids)
        result: dict[int, list[tuple[date, date]]] = defaultdict(list)
        if not ids:
            return result
        rows = await self.session.execute(
            select(Pause.member_id, Pause.start_day, Pause.end_day).where(
                Pause.tenant_id == self.tenant_id, Pause.member_id.in_(ids)
            )
        )
        for member_id, start, end in rows:
            result[member_id].append((start, end))
        return result

    # -- applications --------------------------------------------------------------------------

    async def application(self, member_id: int, app_id: int) -> Application | None:
        return await self.session.scalar(
            self.select(Application).where(
                Application.id == app_id, Application.member_id == member_id
            )
        )

    async def applications(
        self,
        member_id: int,
        *,
        stage: str | None = None,
        company: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
    ) -> Sequence[Application]:
        query = self.select(Application).where(Application.member_id == member_id)
        if stage:
            query = query.where(Application.stage == stage)
        if company:
            query = query.where(func.lower(Application.company).contains(company.lower()))
        if since:
            query = query.where(Application.applied_on >= since)
        if until:
            query = query.where(Application.applied_on <= until)
        query = query.order_by(Application.applied_on.desc(), Application.id.desc())
        if limit:
            query = query.limit(limit)
        return (await self.session.scalars(query)).all()

    async def stage_history(self, app_ids: Sequence[int]) -> dict[int, list[StageChange]]:
        result: dict[int, list[StageChange]] = defaultdict(list)
        if not app_ids:
            return result
        rows = await self.session.scalars(
            self.select(StageChange)
            .where(StageChange.application_id.in_(list(app_ids)))
            .order_by(StageChange.day, StageChange.id)
        )
        for change in rows:
            result[change.application_id].append(change)
        return result

    # -- contacts --------------------------------------------------------------------------------

    async def contact(self, member_id: int, contact_id: int) -> Contact | None:
        return await self.session.scalar(
            self.select(Contact).where(Contact.id == contact_id, Contact.member_id == member_id)
        )

    async def contacts(
        self,
        member_id: int,
        *,
        channel: str | None = None,
        company: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
    ) -> Sequence[Contact]:
        query = self.select(Contact).where(Contact.member_id == member_id)
        if channel:
            query = query.where(Contact.channel == channel)
        if company:
            query = query.where(func.lower(Contact.company).contains(company.lower()))
        if since:
            query = query.where(Contact.contacted_on >= since)
        if until:
            query = query.where(Contact.contacted_on <= until)
        query = query.order_by(Contact.contacted_on.desc(), Contact.id.desc())
        if limit:
            query = query.limit(limit)
        return (await self.session.scalars(query)).all()

    # -- follow-ups ------------------------------------------------------------------------------

    async def due_followups(
        self, member_id: int, on_or_before: date
    ) -> tuple[Sequence[Application], Sequence[Contact]]:
        apps = await self.session.scalars(
            self.select(Application)
            .where(
                Application.member_id == member_id,
                Application.follow_up.is_not(None),
                Application.follow_up <= on_or_before,
            )
            .order_by(Application.follow_up, Application.id)
        )
        contacts = await self.session.scalars(
            self.select(Contact)
            .where(
                Contact.member_id == member_id,
                Contact.follow_up.is_not(None),
                Contact.follow_up <= on_or_before,
            )
            .order_by(Contact.follow_up, Contact.id)
        )
        return apps.all(), contacts.all()

    # -- practice and hours ----------------------------------------------------------------------

    async def practice_logs(
        self, member_id: int, since: date | None = None, until: date | None = None
    ) -> Sequence[PracticeLog]:
        query = self.select(PracticeLog).where(PracticeLog.member_id == member_id)
        if since:
            query = query.where(PracticeLog.day >= since)
        if until:
            query = query.where(PracticeLog.day <= until)
        return (await self.session.scalars(query.order_by(PracticeLog.day, PracticeLog.id))).all()

    async def practice_days(self, member_ids: Iterable[int]) -> dict[int, set[date]]:
        """Every local day each member practised (all time: streaks need the whole run)."""
        ids = list(member_ids)
        result: dict[int, set[date]] = defaultdict(set)
        if not ids:
            return result
        rows = await self.session.execute(
            select(PracticeLog.member_id, PracticeLog.day)
            .where(PracticeLog.tenant_id == self.tenant_id, PracticeLog.member_id.in_(ids))
            .group_by(PracticeLog.member_id, PracticeLog.day)
        )
        for member_id, day in rows:
            result[member_id].add(day)
        return result

    async def hour_logs(
        self, member_id: int, since: date | None = None, until: date | None = None
    ) -> Sequence[HourLog]:
        query = self.select(HourLog).where(HourLog.member_id == member_id)
        if since:
            query = query.where(HourLog.day >= since)
        if until:
            query = query.where(HourLog.day <= until)
        return (await self.session.scalars(query.order_by(HourLog.day, HourLog.id))).all()

    # -- per-day counts for many members at once (leaderboard, report, stats) ----------------

    async def daily_counts(
        self, member_ids: Iterable[int], since: date, until: date
    ) -> dict[str, dict[int, dict[date, int]]]:
        """Applications, outreach, practice minutes and hour minutes per member and local day.

        One grouped query per kind (not per member), bounded by the date range so it stays on
        the (tenant, member, day) indexes.
        """
        ids = list(member_ids)
        out: dict[str, dict[int, dict[date, int]]] = {
            k: defaultdict(dict) for k in ("applications", "outreach", "practice", "hours")
        }
        if not ids:
            return out
        specs: list[tuple[str, Any, Any, Any]] = [
            ("applications", Application, Application.applied_on, func.count()),
            ("outreach", Contact, Contact.contacted_on, func.count()),
            ("practice", PracticeLog, PracticeLog.day, func.sum(PracticeLog.minutes)),
            ("hours", HourLog, HourLog.day, func.sum(HourLog.minutes)),
        ]
        for key, model, day_col, agg in specs:
            rows = await self.session.execute(
                select(model.member_id, day_col, agg)
                .where(
                    model.tenant_id == self.tenant_id,
                    model.member_id.in_(ids),
                    day_col >= since,
                    day_col <= until,
                )
                .group_by(model.member_id, day_col)
            )
            for member_id, day, value in rows:
                out[key][member_id][day] = int(value or 0)
        return out

    async def hours_by_category(self, member_id: int, since: date, until: date) -> dict[str, int]:
        rows = await self.session.execute(
            select(HourLog.category, func.sum(HourLog.minutes))
            .where(
                HourLog.tenant_id == self.tenant_id,
                HourLog.member_id == member_id,
                HourLog.day >= since,
                HourLog.day <= until,
            )
            .group_by(HourLog.category)
        )
        return {category: int(minutes or 0) for category, minutes in rows}

    # -- standups, retros, kudos -------------------------------------------------------------

    async def standup(self, member_id: int, day: date) -> StandupResponse | None:
        return await self.session.scalar(
            self.select(StandupResponse).where(
                StandupResponse.member_id == member_id, StandupResponse.day == day
            )
        )

    async def latest_standup(self, member_id: int, before: date) -> StandupResponse | None:
        return await self.session.scalar(
            self.select(StandupResponse)
            .where(StandupResponse.member_id == member_id, StandupResponse.day < before)
            .order_by(StandupResponse.day.desc())
            .limit(1)
        )

    async def standups(
        self, member_ids: Iterable[int], since: date, until: date
    ) -> Sequence[StandupResponse]:
        return (
            await self.session.scalars(
                self.select(StandupResponse)
                .where(
                    StandupResponse.member_id.in_(list(member_ids)),
                    StandupResponse.day >= since,
                    StandupResponse.day <= until,
                )
                .order_by(StandupResponse.day, StandupResponse.id)
            )
        ).all()

    async def retro(self, member_id: int, week_start: date) -> RetroResponse | None:
        return await self.session.scalar(
            self.select(RetroResponse).where(
                RetroResponse.member_id == member_id, RetroResponse.week_start == week_start
            )
        )

    async def latest_retro(self, member_id: int) -> RetroResponse | None:
        return await self.session.scalar(
            self.select(RetroResponse)
            .where(RetroResponse.member_id == member_id)
            .order_by(RetroResponse.week_start.desc())
            .limit(1)
        )

    async def kudos_between(self, cohort_id: int, since: date, until: date) -> Sequence[Kudos]:
        return (
            await self.session.scalars(
                self.select(Kudos)
                .where(Kudos.cohort_id == cohort_id, Kudos.day >= since, Kudos.day <= until)
                .order_by(Kudos.created_at, Kudos.id)
            )
        ).all()

    # -- the member's plan: backwards plan, week, goals, career plan, barriers ----------------

    async def search_plan(self, member_id: int) -> SearchPlan | None:
        return await self.session.scalar(
            self.select(SearchPlan).where(SearchPlan.member_id == member_id)
        )

    async def week_plan(self, member_id: int) -> Sequence[WeekPlanBlock]:
        return (
            await self.session.scalars(
                self.select(WeekPlanBlock)
                .where(WeekPlanBlock.member_id == member_id)
                .order_by(WeekPlanBlock.weekday, WeekPlanBlock.start, WeekPlanBlock.id)
            )
        ).all()

    async def clear_week_plan(self, member_id: int) -> None:
        await self.session.execute(
            delete(WeekPlanBlock).where(
                WeekPlanBlock.tenant_id == self.tenant_id, WeekPlanBlock.member_id == member_id
            )
        )

    async def goal(self, member_id: int, goal_id: int) -> Goal | None:
        return await self.session.scalar(
            self.select(Goal).where(Goal.id == goal_id, Goal.member_id == member_id)
        )

    async def goals(self, member_id: int, status: str | None = None) -> Sequence[Goal]:
        query = self.select(Goal).where(Goal.member_id == member_id)
        if status:
            query = query.where(Goal.status == status)
        return (await self.session.scalars(query.order_by(Goal.id))).all()

    async def career_plan(self, member_id: int) -> Sequence[CareerPlanRow]:
        return (
            await self.session.scalars(
                self.select(CareerPlanRow).where(CareerPlanRow.member_id == member_id)
            )
        ).all()

    async def barriers(self, member_id: int) -> Sequence[Barrier]:
        return (
            await self.session.scalars(
                self.select(Barrier).where(Barrier.member_id == member_id).order_by(Barrier.id)
            )
        ).all()

    async def barrier(self, member_id: int, barrier_id: int) -> Barrier | None:
        return await self.session.scalar(
            self.select(Barrier).where(Barrier.id == barrier_id, Barrier.member_id == member_id)
        )

    async def stage_histories(self, member_id: int) -> dict[int, list[str]]:
        """Every stage each of the member's applications has been in (current one included)."""
        result: dict[int, list[str]] = defaultdict(list)
        apps = await self.session.execute(
            self.select(Application, Application.id, Application.stage).where(
                Application.member_id == member_id
            )
        )
        for app_id, stage in apps:
            result[app_id].append(stage)
        rows = await self.session.execute(
            select(StageChange.application_id, StageChange.stage)
            .join(Application, Application.id == StageChange.application_id)
            .where(
                StageChange.tenant_id == self.tenant_id,
                Application.tenant_id == self.tenant_id,
                Application.member_id == member_id,
            )
        )
        for app_id, stage in rows:
            result[app_id].append(stage)
        return result

    # -- privacy: everything one member owns, to export or forget ----------------------------

    async def member_data(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row of this tenant that belongs to the member (or names them), by table."""
        out: dict[str, list[dict[str, Any]]] = {}
        member = await self.session.execute(
            select(Member.__table__).where(
                Member.tenant_id == self.tenant_id, Member.id == member_id
            )
        )
        out["members"] = [dict(row._mapping) for row in member]
        for table in TENANT_TABLES:
            owners = [c for c in table.c if c.name in _MEMBER_COLUMNS]
            if table.name == "members" or not owners:
                continue
            if table.name == "stage_changes":
                continue
            query = select(table).where(
                table.c.tenant_id == self.tenant_id, or_(*(c == member_id for c in owners))
            )
            rows = await self.session.execute(query.order_by(table.c.id))
            out[table.name] = [dict(row._mapping) for row in rows]
        changes = await self.session.execute(
            select(StageChange.__table__)
            .join(Application, Application.id == StageChange.application_id)
            .where(
                StageChange.tenant_id == self.tenant_id,
                Application.tenant_id == self.tenant_id,
                Application.member_id == member_id,
            )
            .order_by(StageChange.id)
        )
        out["stage_changes"] = [dict(row._mapping) for row in changes]
        return out

    async def forget_member(self, member_id: int) -> dict[str, int]:
        """Delete every row the member owns or is named in, then the member; counts by table."""
        counts: dict[str, int] = {}
        own_apps = select(Application.id).where(
            Application.tenant_id == self.tenant_id, Application.member_id == member_id
        )
        changes = await self.session.execute(
            delete(StageChange).where(
                StageChange.tenant_id == self.tenant_id,
                StageChange.application_id.in_(own_apps),
            )
        )
        if changes.rowcount:
            counts["stage_changes"] = changes.rowcount
        for table in reversed(TENANT_TABLES):
            owners = [c for c in table.c if c.name in _MEMBER_COLUMNS]
            if table.name == "members" or not owners:
                continue
            result = await self.session.execute(
                table.delete().where(
                    table.c.tenant_id == self.tenant_id, or_(*(c == member_id for c in owners))
                )
            )
            if result.rowcount:
                counts[table.name] = result.rowcount
        await self.session.execute(
            delete(Member).where(Member.tenant_id == self.tenant_id, Member.id == member_id)
        )
        self.session.expunge_all()
        return counts

    # -- bulk writes (tracker import) ------------------------------------------------------------

    async def add_all(self, rows: Sequence[Base]) -> None:
        """Add many rows of this tenant with one flush (an import of thousands of rows)."""
        for row in rows:
            row.tenant_id = self.tenant_id  # type: ignore[attr-defined]
        self.session.add_all(rows)
        await self.session.flush()


class CalendarTokenDirectory:
    """Finds the member behind a calendar subscription token: like tenants, looked up unscoped.

    The token is the credential (only its SHA-256 is stored); it yields exactly one member's
    tenant and id, and every read after that goes through that tenant's ``TenantRepository``.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active(self, token_hash: str) -> CalendarToken | None:
        return await self.session.scalar(
            select(CalendarToken).where(
                CalendarToken.token == token_hash, CalendarToken.revoked_at.is_(None)
            )
        )
