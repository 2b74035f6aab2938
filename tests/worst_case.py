"""A worst-case cohort for any platform's tests: 200 members with long, hostile names, one member
with 300 applications at every field's maximum, 100 long standups and 60 long retros.

``seed_worst_case`` writes it straight into the database (through a tenant repository, so ids are
numbered as the bot numbers them) in a second or two; a platform's tests then run every command
and every scheduled prompt for it through the real SDK into their strict fake.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.calendar import week_start
from storage.models import (
    Application,
    Cohort,
    Contact,
    Member,
    RetroResponse,
    StageChange,
    StandupResponse,
)
from storage.repository import TenantRepository, TenantsDirectory

MEMBERS = 200
APPLICATIONS = 300
STANDUPS = 100
RETROS = 60
#: One scheduled week of the seeded cohort, each moment just after a prompt is due (UTC zone).
PROMPT_TICKS = (
    datetime(2026, 11, 19, 9, 1, tzinfo=UTC),  # Thursday: standups, follow-ups
    datetime(2026, 11, 19, 13, 1, tzinfo=UTC),  # reminders
    datetime(2026, 11, 19, 17, 1, tzinfo=UTC),  # the standup summary
    datetime(2026, 11, 20, 16, 1, tzinfo=UTC),  # Friday: the retro
    datetime(2026, 11, 20, 19, 1, tzinfo=UTC),  # the retro summary
    datetime(2026, 11, 23, 9, 1, tzinfo=UTC),  # Monday: digest and leaderboard
)
HOSTILE = "& <b> > *bold* _it_ `code` [free nitro](https://evil.example) <!here> @everyone 🚀"


def hostile_name(i: int) -> str:
    """An 80-character display name with ``& < >``, markdown and emoji in it."""
    return f"{i:03d} Ada & <Lovelace> 🚀 " + "x" * 80


def long_text(length: int, seed: str = "") -> str:
    """``length`` characters of hostile text (markup, mentions, emoji, ampersands)."""
    base = f"{seed} {HOSTILE} "
    return (base * (length // len(base) + 1))[:length]


@dataclass
class WorstCase:
    """What was seeded: the tenant's ids and the platform user ids to act as."""

    tenant_id: int
    cohort_id: int
    coach: str
    heavy: str  # the member with 300 applications
    members: list[str] = field(default_factory=list)
    day: date = date(2026, 11, 19)


async def seed_worst_case(
    sessions: async_sessionmaker[AsyncSession],
    *,
    platform: str,
    tenant: str,
    channel_id: str,
    user_id: Callable[[int], str],
    coach_id: str,
    day: date = date(2026, 11, 19),
) -> WorstCase:
    """Seed the worst-case cohort for ``tenant`` on ``platform``; ``user_id(i)`` names member i.

    Members joined a month before ``day``; standups are for ``day``, retros for its week.
    """
    joined = datetime.combine(day - timedelta(days=30), time(9), tzinfo=UTC)
    now = datetime.combine(day, time(8), tzinfo=UTC)
    async with sessions() as session:
        row = await TenantsDirectory(session).get_or_create(platform, tenant, "Worst Case", now)
        repo = TenantRepository(session, row.id)
        cohort = await repo.add(
            Cohort(
                name="Fall 2026",
                channel_id=channel_id,
                timezone="UTC",
                mention_missing=True,
                created_at=joined,
            )
        )
        coach = Member(
            cohort_id=cohort.id,
            platform_user_id=coach_id,
            display_name=hostile_name(999)[:80],
            role="coach",
            timezone="UTC",
            status="searching",
            leaderboard="shown",
            joined_at=joined,
        )
        members = [
            Member(
                cohort_id=cohort.id,
                platform_user_id=user_id(i),
                display_name=hostile_name(i)[:80],
                role="member",
                timezone="UTC",
                status="searching",
                leaderboard="shown",
                joined_at=joined,
            )
            for i in range(MEMBERS)
        ]
        await repo.add_all([coach, *members])
        heavy = members[0]
        apps = [
            Application(
                member_id=heavy.id,
                company=long_text(120, f"Company {n}"),
                role=long_text(120, f"Role {n}"),
                url="https://jobs.example.org/" + "a" * 470 + f"/{n:03d}",
                stage=("applied", "screen", "interview", "offer", "rejected")[n % 5],
                contact=long_text(120, "Jane"),
                notes=long_text(2000, "notes"),
                next_step=long_text(300, "next"),
                follow_up=day - timedelta(days=n % 7),
                applied_on=day - timedelta(days=n % 28),
                created_at=now,
                updated_at=now,
            )
            for n in range(APPLICATIONS)
        ]
        await repo.add_all(apps)
        await repo.add_all(
            [
                StageChange(application_id=a.id, stage=a.stage, day=a.applied_on, created_at=now)
                for a in apps
            ]
        )
        await repo.add_all(
            [
                Contact(
                    member_id=heavy.id,
                    name=long_text(120, f"Contact {n}"),
                    company=long_text(120, "Acme"),
                    role=long_text(120, "Manager"),
                    channel="linkedin",
                    learned=long_text(2000, "learned"),
                    next_step=long_text(300, "next"),
                    follow_up=day,
                    contacted_on=day - timedelta(days=n % 7),
                    created_at=now,
                    updated_at=now,
                )
                for n in range(50)
            ]
        )
        await repo.add_all(
            [
                StandupResponse(
                    member_id=m.id,
                    day=day,
                    yesterday=long_text(500, "yesterday"),
                    today=long_text(500, "today"),
                    blockers=long_text(500, "blocked"),
                    created_at=now,
                    updated_at=now,
                )
                for m in members[:STANDUPS]
            ]
        )
        await repo.add_all(
            [
                RetroResponse(
                    member_id=m.id,
                    week_start=week_start(day),
                    worked=long_text(1000, "worked"),
                    didnt=long_text(1000, "didnt"),
                    adjust=long_text(1000, "adjust"),
                    barriers=long_text(500, "barriers"),
                    created_at=now,
                    updated_at=now,
                )
                for m in members[:RETROS]
            ]
        )
        await session.commit()
        return WorstCase(
            tenant_id=row.id,
            cohort_id=cohort.id,
            coach=coach_id,
            heavy=heavy.platform_user_id,
            members=[m.platform_user_id for m in members],
            day=day,
        )
