"""Tenant-scoped data access. The tenant is given once; every statement run here is limited to it.

The limit is not a ``where`` each method remembers to write: every statement goes out with the
``offerbound_tenant`` execution option, and ``storage.scope`` adds ``tenant_id = :tenant`` to every
tenant-owned table in it (joins and subqueries included), or refuses it. A guessed id from another
workspace or guild therefore finds nothing, even through the generic ``select``/``scalars``.
The session stays private: handlers and prompts use the methods below.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, TypeVarTuple, overload

from sqlalchemy import Executable, Result, Select, delete, func, inspect, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import affected
from storage.models import (
    CLOSED_STAGES,
    TENANT_MODELS,
    Application,
    Barrier,
    Base,
    CalendarToken,
    CareerPlanRow,
    Cohort,
    Contact,
    Counter,
    DashboardLink,
    Goal,
    HourLog,
    Interview,
    Kudos,
    Member,
    Numbered,
    Pause,
    PracticeLog,
    RetroResponse,
    SearchPlan,
    StageChange,
    StandupResponse,
    Tenant,
    TenantOwned,
    WeekPlanBlock,
)
from storage.scope import (
    TENANT,
    CrossTenantWrite,
    is_scoped,
    note_owner,
    require_system,
    settle_writes,
    wrote,
)

if TYPE_CHECKING:
    from sqlalchemy.sql.selectable import TypedReturnsRows

M = TypeVar("M", bound=Base)
N = TypeVar("N", bound=Numbered)
T = TypeVar("T")
Ts = TypeVarTuple("Ts")
_Params = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None

# Columns that tie a row to a member (owner, sender, recipient or subject).
_MEMBER_COLUMNS = frozenset({"member_id", "from_member_id", "to_member_id", "subject_id"})


class TenantsDirectory:
    """Finds or registers tenants: the one lookup that cannot be tenant-scoped.

    ``tenants`` is not a tenant-owned table, so this works in any session (the command's own).
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find(self, platform: str, external_id: str) -> Tenant | None:
        """The tenant, if it ever used Offerbound (lookups that must not register anyone)."""
        found: Tenant | None = await self._session.scalar(
            select(Tenant).where(Tenant.platform == platform, Tenant.external_id == external_id)
        )
        return found

    async def get_or_create(
        self, platform: str, external_id: str, name: str, now: datetime
    ) -> Tenant:
        found = await self._session.scalar(
            select(Tenant).where(Tenant.platform == platform, Tenant.external_id == external_id)
        )
        if found is not None:
            if name and found.name != name:
                found.name = name
            return found
        tenant = Tenant(platform=platform, external_id=external_id, name=name, created_at=now)
        self._session.add(tenant)
        await self._session.flush()
        return tenant


class TenantRepository:
    """Every read and write of one tenant's rows.

    Generic building blocks (``select``, ``scalar``, ``scalars``, ``execute``, ``add``,
    ``add_all``, ``delete``, ``delete_where``, ``update_where``) serve any statement a handler
    needs; named methods below serve the common reads. Rows added here get this tenant, and
    numbered rows (applications, contacts, goals, barriers) get their next per-tenant number.
    """

    def __init__(self, session: AsyncSession, tenant_id: int) -> None:
        if not is_scoped(session):
            raise TypeError("TenantRepository needs a session from storage.engine.session_factory")
        self._session = session
        self._tenant_id = tenant_id
        self._options: dict[str, Any] = {TENANT: tenant_id}

    @property
    def tenant_id(self) -> int:
        return self._tenant_id

    # -- generic, tenant-scoped building blocks ---------------------------------------------

    def select(self, model: type[M]) -> Select[M]:
        """``SELECT model``; run it here and it sees only this tenant."""
        return select(model)

    @overload
    async def execute(  # type: ignore[overload-overlap]
        self, statement: TypedReturnsRows[*Ts], params: _Params = None
    ) -> Result[*Ts]: ...

    @overload
    async def execute(self, statement: Executable, params: _Params = None) -> Result[Any]: ...

    async def execute(self, statement: Executable, params: _Params = None) -> Result[Any]:
        """Run any ORM statement limited to this tenant (a buffered result); a list of
        ``params`` inserts many rows, each of which must be this tenant's."""
        return await self._session.execute(statement, params, execution_options=self._options)

    @overload
    async def scalar(self, statement: TypedReturnsRows[T]) -> T | None: ...

    @overload
    async def scalar(self, statement: Executable) -> Any: ...

    async def scalar(self, statement: Executable) -> Any:
        """The first column of the first row, or None."""
        return await self._session.scalar(statement, execution_options=self._options)

    @overload
    async def scalars(self, statement: TypedReturnsRows[T]) -> Sequence[T]: ...

    @overload
    async def scalars(self, statement: Executable) -> Sequence[Any]: ...

    async def scalars(self, statement: Executable) -> Sequence[Any]:
        """The first column of every row."""
        result = await self._session.scalars(statement, execution_options=self._options)
        return result.all()

    async def get(self, model: type[M], row_id: int) -> M | None:
        """The row with primary key ``row_id``, if it is this tenant's (a query, never the
        identity map: a session shared by several tenants may hold another tenant's row)."""
        return await self.scalar(select(model).where(model.id == row_id))  # type: ignore[attr-defined]

    async def add(self, row: M) -> M:
        """Insert one row of this tenant (numbered rows get their number) and flush."""
        self._claim(row)
        if isinstance(row, Numbered) and row.number is None:
            row.number = await self._allocate(type(row), 1)
        self._session.add(row)
        await self._session.flush()
        return row

    async def add_all(self, rows: Sequence[Base]) -> None:
        """Add many rows of this tenant with one flush (an import of thousands of rows).

        Numbered rows get consecutive numbers in list order, one counter update per kind.
        """
        unnumbered: dict[type[Numbered], list[Numbered]] = defaultdict(list)
        for row in rows:
            self._claim(row)
            if isinstance(row, Numbered) and row.number is None:
                unnumbered[type(row)].append(row)
        for model, block in unnumbered.items():
            first = await self._allocate(model, len(block))
            for offset, numbered in enumerate(block):
                numbered.number = first + offset
        self._session.add_all(rows)
        await self._session.flush()

    async def delete(self, row: Base) -> None:
        if getattr(row, "tenant_id", None) != self.tenant_id:
            raise CrossTenantWrite("refusing to delete another tenant's row")
        await self._session.delete(row)
        await self._session.flush()

    async def delete_where(self, model: type[Any], *criteria: Any) -> int:
        """``DELETE FROM model WHERE criteria`` (and this tenant); how many rows went."""
        result = await self.execute(delete(model).where(*criteria))
        return max(0, affected(result))

    async def update_where(self, model: type[Any], *criteria: Any, **values: Any) -> int:
        """``UPDATE model SET values WHERE criteria`` (and this tenant); how many rows changed."""
        result = await self.execute(update(model).where(*criteria).values(**values))
        return max(0, affected(result))

    async def flush(self) -> None:
        await self._session.flush()

    async def settle(self) -> None:
        """Flush the bookkeeping done so far (a member registered or renamed) and count it as
        such: a slow outside call may commit it early (``end_reads``), never the command's own
        writes."""
        await self._session.flush()
        settle_writes(self._session)

    @property
    def changed(self) -> bool:
        """Whether this command has added, changed or deleted anything yet."""
        return wrote(self._session)

    async def end_reads(self) -> None:
        """End the transaction so far, before a slow outside call (GitHub, a platform): no
        connection is held while it waits. Only for a command that has changed nothing yet;
        later reads and writes start a new transaction, committed with the command."""
        if self.changed:
            raise RuntimeError("end_reads() after a change would commit half a command")
        await self._session.commit()

    async def enqueue_prompts(self, rows: Sequence[dict[str, Any]]) -> int:
        """Write this tenant's outbox rows (existing keys are left alone); how many were new."""
        from storage.outbox import OutboxStore

        for row in rows:
            if row.setdefault("tenant_id", self.tenant_id) != self.tenant_id:
                raise CrossTenantWrite("refusing to queue a prompt of another tenant")
        return await OutboxStore.enqueue_in(self._session, rows, tenant_id=self.tenant_id)

    def _claim(self, row: Base) -> None:
        """Give a new row this tenant, refusing one that names another tenant."""
        if not isinstance(row, TenantOwned):
            raise TypeError(f"{type(row).__name__} rows don't belong to a tenant")
        if row.tenant_id is None:
            row.tenant_id = self.tenant_id
        elif row.tenant_id != self.tenant_id:
            raise CrossTenantWrite(
                f"refusing to add a {type(row).__name__} of tenant {row.tenant_id} "
                f"through tenant {self.tenant_id}'s repository"
            )
        note_owner(self._session, row, self.tenant_id)

    async def _allocate(self, model: type[Numbered], count: int) -> int:
        """Reserve ``count`` consecutive numbers of ``model`` for this tenant; the first one.

        ``UPDATE counters SET value = value + count ... RETURNING value`` locks the tenant's
        counter row until commit, so concurrent commands get distinct numbers. On first use
        the row is inserted (starting at the highest number already there) with ON CONFLICT DO
        NOTHING: a concurrent first use waits for the other's insert instead of failing, and
        the second UPDATE then counts on from it.
        """
        kind = model.__tablename__  # type: ignore[attr-defined]
        bump = (
            update(Counter)
            .where(Counter.kind == kind)
            .values(value=Counter.value + count)
            .returning(Counter.value)
        )
        last = await self.scalar(bump)
        if last is None:
            start = await self.scalar(select(func.coalesce(func.max(model.number), 0)))
            row = {"tenant_id": self.tenant_id, "kind": kind, "value": int(start or 0)}
            await self.execute(_insert_ignoring(self._session, Counter), [row])
            last = await self.scalar(bump)
        assert last is not None, "the counter row exists now"
        return int(last) - count + 1

    # -- numbered rows: what users call A12, C7, G3, B2 --------------------------------------

    async def numbered(
        self, model: type[N], member_id: int, number: int, *, legacy: bool = True
    ) -> N | None:
        """The member's row shown as ``number``. Failing that, and with ``legacy``, the member's
        row whose old global id was ``number`` (from before numbers were per tenant)."""
        found = await self.scalar(
            select(model).where(model.member_id == member_id, model.number == number)  # type: ignore[attr-defined]
        )
        if found is None and legacy:
            found = await self.scalar(
                select(model).where(model.member_id == member_id, model.legacy_id == number)  # type: ignore[attr-defined]
            )
        return found

    # -- cohorts and members -----------------------------------------------------------------

    async def cohort_by_name(self, name: str) -> Cohort | None:
        return await self.scalar(
            select(Cohort).where(func.lower(Cohort.name) == name.strip().lower())
        )

    async def cohorts(self) -> Sequence[Cohort]:
        return await self.scalars(select(Cohort).order_by(Cohort.name))

    async def member_by_platform_id(self, platform_user_id: str) -> Member | None:
        return await self.scalar(select(Member).where(Member.platform_user_id == platform_user_id))

    async def members_named(self, name: str, cohort_id: int | None) -> Sequence[Member]:
        """Members whose display name is ``name`` (any case); failing that, those who had it
        before (a rename on the platform or with ``/me name=``)."""
        wanted = name.strip().lower()
        query = select(Member).where(func.lower(Member.display_name) == wanted)
        if cohort_id is not None:
            query = query.where(Member.cohort_id == cohort_id)
        found = await self.scalars(query)
        if found or not wanted:
            return found
        formerly = select(Member).where(
            func.lower(Member.former_names).contains(wanted, autoescape=True)
        )
        if cohort_id is not None:
            formerly = formerly.where(Member.cohort_id == cohort_id)
        candidates = await self.scalars(formerly)
        return [m for m in candidates if wanted in (n.lower() for n in m.former())]

    async def cohort_members(self, cohort_id: int) -> Sequence[Member]:
        return await self.scalars(
            select(Member)
            .where(Member.cohort_id == cohort_id)
            .order_by(func.lower(Member.display_name))
        )

    async def pauses(self, member_ids: Iterable[int]) -> dict[int, list[tuple[date, date]]]:
        ids = list(member_ids)
        result: dict[int, list[tuple[date, date]]] = defaultdict(list)
        if not ids:
            return result
        rows = await self.execute(
            select(Pause.member_id, Pause.start_day, Pause.end_day).where(Pause.member_id.in_(ids))
        )
        for member_id, start, end in rows:
            result[member_id].append((start, end))
        return result

    # -- applications --------------------------------------------------------------------------

    async def application(
        self, member_id: int, number: int, *, legacy: bool = True
    ) -> Application | None:
        """The member's application ``A<number>`` (see ``numbered`` for ``legacy``)."""
        return await self.numbered(Application, member_id, number, legacy=legacy)

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
        query = select(Application).where(Application.member_id == member_id)
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
        return await self.scalars(query)

    async def stage_history(self, app_ids: Sequence[int]) -> dict[int, list[StageChange]]:
        result: dict[int, list[StageChange]] = defaultdict(list)
        if not app_ids:
            return result
        rows = await self.scalars(
            select(StageChange)
            .where(StageChange.application_id.in_(list(app_ids)))
            .order_by(StageChange.day, StageChange.id)
        )
        for change in rows:
            result[change.application_id].append(change)
        return result

    # -- contacts --------------------------------------------------------------------------------

    async def contact(self, member_id: int, number: int, *, legacy: bool = True) -> Contact | None:
        """The member's contact ``C<number>`` (see ``numbered`` for ``legacy``)."""
        return await self.numbered(Contact, member_id, number, legacy=legacy)

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
        query = select(Contact).where(Contact.member_id == member_id)
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
        return await self.scalars(query)

    # -- follow-ups ------------------------------------------------------------------------------

    async def due_followups(
        self,
        member_id: int,
        on_or_before: date,
        *,
        since: date | None = None,
        limit: int | None = None,
    ) -> tuple[Sequence[Application], Sequence[Contact]]:
        """Applications and contacts with a follow-up date in ``[since, on_or_before]``, soonest
        first (at most ``limit`` of each). Applications in a closed stage (``CLOSED_STAGES``)
        have nothing to follow up: every place that lists follow-ups reads them here."""
        apps_query = (
            select(Application)
            .where(
                Application.member_id == member_id,
                Application.follow_up.is_not(None),
                Application.follow_up <= on_or_before,
                Application.stage.not_in(CLOSED_STAGES),
            )
            .order_by(Application.follow_up, Application.number)
        )
        contacts_query = (
            select(Contact)
            .where(
                Contact.member_id == member_id,
                Contact.follow_up.is_not(None),
                Contact.follow_up <= on_or_before,
            )
            .order_by(Contact.follow_up, Contact.number)
        )
        if since is not None:
            apps_query = apps_query.where(Application.follow_up >= since)
            contacts_query = contacts_query.where(Contact.follow_up >= since)
        if limit is not None:
            apps_query, contacts_query = apps_query.limit(limit), contacts_query.limit(limit)
        return await self.scalars(apps_query), await self.scalars(contacts_query)

    # -- practice and hours ----------------------------------------------------------------------

    async def practice_logs(
        self, member_id: int, since: date | None = None, until: date | None = None
    ) -> Sequence[PracticeLog]:
        query = select(PracticeLog).where(PracticeLog.member_id == member_id)
        if since:
            query = query.where(PracticeLog.day >= since)
        if until:
            query = query.where(PracticeLog.day <= until)
        return await self.scalars(query.order_by(PracticeLog.day, PracticeLog.id))

    async def practice_days(self, member_ids: Iterable[int]) -> dict[int, set[date]]:
        """Every local day each member practised (all time: streaks need the whole run)."""
        ids = list(member_ids)
        result: dict[int, set[date]] = defaultdict(set)
        if not ids:
            return result
        rows = await self.execute(
            select(PracticeLog.member_id, PracticeLog.day)
            .where(PracticeLog.member_id.in_(ids))
            .group_by(PracticeLog.member_id, PracticeLog.day)
        )
        for member_id, day in rows:
            result[member_id].add(day)
        return result

    async def hour_logs(
        self, member_id: int, since: date | None = None, until: date | None = None
    ) -> Sequence[HourLog]:
        query = select(HourLog).where(HourLog.member_id == member_id)
        if since:
            query = query.where(HourLog.day >= since)
        if until:
            query = query.where(HourLog.day <= until)
        return await self.scalars(query.order_by(HourLog.day, HourLog.id))

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
            rows = await self.execute(
                select(model.member_id, day_col, agg)
                .where(model.member_id.in_(ids), day_col >= since, day_col <= until)
                .group_by(model.member_id, day_col)
            )
            for member_id, day, value in rows:
                out[key][member_id][day] = int(value or 0)
        return out

    async def hours_by_category(self, member_id: int, since: date, until: date) -> dict[str, int]:
        rows = await self.execute(
            select(HourLog.category, func.sum(HourLog.minutes))
            .where(HourLog.member_id == member_id, HourLog.day >= since, HourLog.day <= until)
            .group_by(HourLog.category)
        )
        return {category: int(minutes or 0) for category, minutes in rows}

    # -- standups, retros, kudos -------------------------------------------------------------

    async def standup(self, member_id: int, day: date) -> StandupResponse | None:
        return await self.scalar(
            select(StandupResponse).where(
                StandupResponse.member_id == member_id, StandupResponse.day == day
            )
        )

    async def latest_standup(self, member_id: int, before: date) -> StandupResponse | None:
        return await self.scalar(
            select(StandupResponse)
            .where(StandupResponse.member_id == member_id, StandupResponse.day < before)
            .order_by(StandupResponse.day.desc())
            .limit(1)
        )

    async def standups(
        self, member_ids: Iterable[int], since: date, until: date
    ) -> Sequence[StandupResponse]:
        return await self.scalars(
            select(StandupResponse)
            .where(
                StandupResponse.member_id.in_(list(member_ids)),
                StandupResponse.day >= since,
                StandupResponse.day <= until,
            )
            .order_by(StandupResponse.day, StandupResponse.id)
        )

    async def retro(self, member_id: int, week_start: date) -> RetroResponse | None:
        return await self.scalar(
            select(RetroResponse).where(
                RetroResponse.member_id == member_id, RetroResponse.week_start == week_start
            )
        )

    async def latest_retro(self, member_id: int) -> RetroResponse | None:
        return await self.scalar(
            select(RetroResponse)
            .where(RetroResponse.member_id == member_id)
            .order_by(RetroResponse.week_start.desc())
            .limit(1)
        )

    async def kudos_between(self, cohort_id: int, since: date, until: date) -> Sequence[Kudos]:
        return await self.scalars(
            select(Kudos)
            .where(Kudos.cohort_id == cohort_id, Kudos.day >= since, Kudos.day <= until)
            .order_by(Kudos.created_at, Kudos.id)
        )

    # -- the member's plan: backwards plan, week, goals, career plan, barriers ----------------

    async def search_plan(self, member_id: int) -> SearchPlan | None:
        return await self.scalar(select(SearchPlan).where(SearchPlan.member_id == member_id))

    async def week_plan(self, member_id: int) -> Sequence[WeekPlanBlock]:
        return await self.scalars(
            select(WeekPlanBlock)
            .where(WeekPlanBlock.member_id == member_id)
            .order_by(WeekPlanBlock.weekday, WeekPlanBlock.start, WeekPlanBlock.id)
        )

    async def clear_week_plan(self, member_id: int) -> None:
        await self.delete_where(WeekPlanBlock, WeekPlanBlock.member_id == member_id)

    async def goal(self, member_id: int, number: int, *, legacy: bool = True) -> Goal | None:
        """The member's goal ``G<number>`` (see ``numbered`` for ``legacy``)."""
        return await self.numbered(Goal, member_id, number, legacy=legacy)

    async def goals(self, member_id: int, status: str | None = None) -> Sequence[Goal]:
        query = select(Goal).where(Goal.member_id == member_id)
        if status:
            query = query.where(Goal.status == status)
        return await self.scalars(query.order_by(Goal.id))

    async def career_plan(self, member_id: int) -> Sequence[CareerPlanRow]:
        return await self.scalars(select(CareerPlanRow).where(CareerPlanRow.member_id == member_id))

    async def barriers(self, member_id: int) -> Sequence[Barrier]:
        return await self.scalars(
            select(Barrier).where(Barrier.member_id == member_id).order_by(Barrier.id)
        )

    async def barrier(self, member_id: int, number: int, *, legacy: bool = True) -> Barrier | None:
        """The member's barrier ``B<number>`` (see ``numbered`` for ``legacy``)."""
        return await self.numbered(Barrier, member_id, number, legacy=legacy)

    async def stage_histories(self, member_id: int) -> dict[int, list[str]]:
        """Every stage each of the member's applications has been in (current one included)."""
        result: dict[int, list[str]] = defaultdict(list)
        apps = await self.execute(
            select(Application.id, Application.stage).where(Application.member_id == member_id)
        )
        for app_id, stage in apps:
            result[app_id].append(stage)
        rows = await self.execute(
            select(StageChange.application_id, StageChange.stage)
            .join(Application, Application.id == StageChange.application_id)
            .where(Application.member_id == member_id)
        )
        for app_id, stage in rows:
            result[app_id].append(stage)
        return result

    # -- privacy: everything one member owns, to export or forget ----------------------------

    async def member_data(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row of this tenant that belongs to the member (or names them), by table."""
        out: dict[str, list[dict[str, Any]]] = {}
        member = await self.scalars(select(Member).where(Member.id == member_id))
        out["members"] = [_as_dict(row) for row in member]
        for model in TENANT_MODELS:
            owners = _owner_columns(model)
            if model is Member or model is StageChange or not owners:
                continue
            rows = await self.scalars(
                select(model).where(or_(*(c == member_id for c in owners))).order_by(model.id)  # type: ignore[attr-defined]
            )
            out[model.__tablename__] = [_as_dict(row) for row in rows]  # type: ignore[attr-defined]
        changes = await self.scalars(
            select(StageChange)
            .join(Application, Application.id == StageChange.application_id)
            .where(Application.member_id == member_id)
            .order_by(StageChange.id)
        )
        out["stage_changes"] = [_as_dict(row) for row in changes]
        return out

    async def forget_member(self, member_id: int) -> dict[str, int]:
        """Delete every row the member owns or is named in, then the member; counts by table."""
        counts: dict[str, int] = {}
        # Mock interviews they gave stay with whoever took them, without their name.
        await self.update_where(
            Interview, Interview.given_by_id == member_id, given_by_id=None, with_whom=""
        )
        own_apps = select(Application.id).where(Application.member_id == member_id)
        changes = await self.delete_where(StageChange, StageChange.application_id.in_(own_apps))
        if changes:
            counts["stage_changes"] = changes
        for model in reversed(TENANT_MODELS):
            owners = _owner_columns(model)
            if model is Member or model is StageChange or not owners:
                continue
            deleted = await self.delete_where(model, or_(*(c == member_id for c in owners)))
            if deleted:
                counts[model.__tablename__] = deleted  # type: ignore[attr-defined]
        await self.delete_where(Member, Member.id == member_id)
        self._session.expunge_all()
        return counts


def _insert_ignoring(session: AsyncSession, model: type[Base]) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` (on the primary key) in the session's dialect."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing()


def _owner_columns(model: type[TenantOwned]) -> list[Any]:
    """The ORM attributes of ``model`` that name a member (owner, sender, recipient, subject)."""
    return [getattr(model, name) for name in sorted(_MEMBER_COLUMNS) if hasattr(model, name)]


def _as_dict(row: object) -> dict[str, Any]:
    """A row as ``{column name: value}`` in the table's column order."""
    mapper = inspect(type(row))
    return {
        column.name: getattr(row, mapper.get_property_by_column(column).key)
        for column in mapper.local_table.columns
    }


class CalendarTokenDirectory:
    """Finds the member behind a calendar subscription token: like tenants, looked up unscoped.

    The token is the credential (only its SHA-256 is stored); it yields exactly one member's
    tenant and id, and every read after that goes through that tenant's ``TenantRepository``.
    It reads across tenants, so it only runs on a ``system_session``.
    """

    def __init__(self, session: AsyncSession) -> None:
        require_system(session, "CalendarTokenDirectory")
        self._session = session

    async def active(self, token_hash: str) -> CalendarToken | None:
        return await self._session.scalar(
            select(CalendarToken).where(
                CalendarToken.token == token_hash, CalendarToken.revoked_at.is_(None)
            )
        )


class DashboardLinkDirectory:
    """Finds the member behind a dashboard sign-in token, across tenants (like calendar tokens).

    The token is the credential (only its SHA-256 is stored); it yields one member's tenant and
    id, and everything after that goes through that tenant's ``TenantRepository``. Redeeming is
    one conditional UPDATE, so two requests racing with the same link cannot both sign in.
    """

    def __init__(self, session: AsyncSession) -> None:
        require_system(session, "DashboardLinkDirectory")
        self._session = session

    async def redeem(self, token_hash: str, now: datetime) -> DashboardLink | None:
        """Mark the unused, unexpired link with ``token_hash`` used; None when there is none."""
        found = await self._session.scalar(
            select(DashboardLink).where(DashboardLink.token == token_hash)
        )
        if found is None or found.used_at is not None or found.expires_at <= now:
            return None
        result = await self._session.execute(
            update(DashboardLink)
            .where(DashboardLink.id == found.id, DashboardLink.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return found if affected(result) == 1 else None
