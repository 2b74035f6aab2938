"""Turn a member's GitHub activity into practice days on their own local calendar.

Each local day (the member's time zone, DST included) with activity becomes one PracticeLog with
``source='github'``, zero minutes and a link to the commits; syncing again updates that row instead
of adding another, and a 304 (unchanged ETag) writes nothing. The hourly job and ``/github sync``
share this code, in two parts: ``fetch`` talks to GitHub with no database connection held,
``record`` writes what it learnt.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.domain.calendar import local_today
from bot.github.client import Activity, Fetched, GithubClient, GithubError, RateLimited
from bot.settings import Settings
from storage.models import GithubLink, Member, PracticeLog
from storage.repository import TenantRepository
from storage.scope import system_session

log = logging.getLogger("offerbound.github")

LOOKBACK = timedelta(days=30)  # how far back a sync may add practice days
SOURCE = "github"


@dataclass(frozen=True)
class DaySummary:
    """One local day's activity: how many commits (or pushes) where, and a link to them."""

    day: date
    commits: int
    pushes: int
    repos: tuple[str, ...]
    link: str

    def what(self) -> str:
        """``3 commits in daily_practice``: what /history and the standup line show."""
        where = ", ".join(_short(r) for r in self.repos) or "GitHub"
        if self.commits:
            return f"{self.commits} commit{'s' if self.commits != 1 else ''} in {where}"[:300]
        return f"{self.pushes} push{'es' if self.pushes != 1 else ''} in {where}"[:300]


@dataclass
class SyncResult:
    """What one sync did, for the command's reply and the job's log."""

    not_modified: bool = False
    added: list[date] = field(default_factory=list)
    updated: list[date] = field(default_factory=list)
    error: str = ""
    retry_at: datetime | None = None


def _short(repo: str) -> str:
    return repo.rpartition("/")[2] or repo


def client_for(settings: Settings, clock: Clock) -> GithubClient:
    token = settings.github_token.get_secret_value() if settings.github_token else None
    return GithubClient(settings.github_api_url, token, clock=clock.now)


def local_days(
    activities: Sequence[Activity], timezone: str, since: date, until: date
) -> list[DaySummary]:
    """Group activity by the member's local day, keeping days in ``[since, until]``."""
    zone = ZoneInfo(timezone)
    by_day: dict[date, list[Activity]] = {}
    for activity in activities:
        day = activity.at.astimezone(zone).date()
        if since <= day <= until:
            by_day.setdefault(day, []).append(activity)
    summaries = []
    for day, items in sorted(by_day.items()):
        items.sort(key=lambda a: a.at)
        repos = tuple(dict.fromkeys(a.repo for a in items if a.repo))
        latest = items[-1]
        link = latest.url
        commits = sum(a.commits for a in items)
        if commits > 1 and len(repos) == 1 and "/commit/" in link:
            link = link.replace("/commit/", "/commits/", 1)  # the history from that day's last
        summaries.append(DaySummary(day, commits, len(items), repos, link[:500]))
    return summaries


async def link_of(repo: TenantRepository, member_id: int) -> GithubLink | None:
    return await repo.scalar(select(GithubLink).where(GithubLink.member_id == member_id))


async def github_logs(
    repo: TenantRepository, member_id: int, since: date, until: date
) -> dict[date, PracticeLog]:
    rows = await repo.scalars(
        select(PracticeLog).where(
            PracticeLog.member_id == member_id,
            PracticeLog.source == SOURCE,
            PracticeLog.day >= since,
            PracticeLog.day <= until,
        )
    )
    return {row.day: row for row in rows}


@dataclass(frozen=True)
class Outcome:
    """What GitHub answered for one link: read without any database connection held."""

    fetched: Fetched | None = None
    error: str = ""
    retry_at: datetime | None = None
    waiting: bool = False  # the link waits for a rate-limit reset: GitHub was not asked


async def fetch(link: GithubLink, client: GithubClient, now: datetime) -> Outcome:
    """Ask GitHub about ``link`` (the network part of a sync; it touches no database).

    ``link`` is only read: call this after the transaction that loaded it has ended.
    """
    if link.retry_at is not None and link.retry_at > now:
        return Outcome(error=link.last_error, retry_at=link.retry_at, waiting=True)
    try:
        return Outcome(fetched=await client.activity(link.username, link.repo, link.etag))
    except RateLimited as exc:
        return Outcome(error=exc.message, retry_at=exc.until)
    except GithubError as exc:
        return Outcome(error=exc.message[:300])


async def record(
    repo: TenantRepository, link: GithubLink, member: Member, outcome: Outcome, now: datetime
) -> SyncResult:
    """Write what ``fetch`` learnt: the link's state and its practice days (the database part)."""
    if outcome.waiting:
        return SyncResult(error=outcome.error, retry_at=outcome.retry_at)
    if outcome.fetched is None:
        link.retry_at = outcome.retry_at
        link.last_error = outcome.error[:300]
        return SyncResult(error=outcome.error, retry_at=outcome.retry_at)
    link.retry_at = None
    link.last_error = ""
    link.synced_at = now
    fetched = outcome.fetched
    if fetched.activities is None:
        return SyncResult(not_modified=True)
    link.etag = fetched.etag[:200]
    today = local_today(now, member.timezone)
    since = today - LOOKBACK
    days = local_days(fetched.activities, member.timezone, since, today)
    existing = await github_logs(repo, member.id, since, today)
    result = SyncResult()
    for summary in days:
        row = existing.get(summary.day)
        if row is None:
            await repo.add(
                PracticeLog(
                    member_id=member.id,
                    day=summary.day,
                    minutes=0,
                    what=summary.what(),
                    link=summary.link,
                    source=SOURCE,
                    created_at=now,
                )
            )
            result.added.append(summary.day)
        elif (row.what, row.link) != (summary.what(), summary.link):
            row.what, row.link = summary.what(), summary.link
            result.updated.append(summary.day)
    await repo.flush()
    return result


async def sync_due(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> dict[int, SyncResult]:
    """Sync every link not waiting for a rate-limit reset, one short transaction per link.

    Finding the due links reads every tenant (a system session); each sync then reads its link,
    lets go of the database while GitHub answers, and writes the result in the link's own tenant.
    """
    now = clock.now()
    async with system_session(sessions) as session:
        due = list(
            await session.execute(
                select(GithubLink.id, GithubLink.tenant_id)
                .where(or_(GithubLink.retry_at.is_(None), GithubLink.retry_at <= now))
                .order_by(GithubLink.synced_at.is_not(None), GithubLink.synced_at, GithubLink.id)
            )
        )
    results: dict[int, SyncResult] = {}
    if not due:
        return results
    async with client_for(settings, clock) as client:
        for link_id, tenant_id in due:
            try:
                results[link_id] = await _sync_one(
                    sessions, client, tenant_id, link_id, clock.now()
                )
            except Exception:
                log.exception("GitHub sync of link %s failed", link_id)
    return results


async def _sync_one(
    sessions: async_sessionmaker[AsyncSession],
    client: GithubClient,
    tenant_id: int,
    link_id: int,
    now: datetime,
) -> SyncResult:
    async with sessions() as session:
        link = await TenantRepository(session, tenant_id).get(GithubLink, link_id)
    if link is None:
        return SyncResult()
    outcome = await fetch(link, client, now)  # no connection held meanwhile
    async with sessions() as session:
        repo = TenantRepository(session, tenant_id)
        current = await repo.get(GithubLink, link_id)
        member = await repo.get(Member, link.member_id)
        if current is None or member is None:  # unlinked while GitHub answered
            return SyncResult()
        result = await record(repo, current, member, outcome, now)
        await session.commit()
    if result.error:
        log.info("GitHub sync of %s: %s", link.username, result.error)
    return result


async def standup_line(repo: TenantRepository, member_id: int, yesterday: date) -> str:
    """``GitHub: 3 commits yesterday in daily_practice``, or empty without GitHub activity."""
    row = (await github_logs(repo, member_id, yesterday, yesterday)).get(yesterday)
    if row is None or not row.what:
        return ""
    count, sep, where = row.what.partition(" in ")
    return f"GitHub: {count} yesterday in {where}" if sep else f"GitHub: {row.what} yesterday"
