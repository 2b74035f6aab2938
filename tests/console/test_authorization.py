"""The authorization matrix: coach-only commands refused to members; no cross-cohort access."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.commands import REGISTRY
from bot.registry import Role
from storage.models import TENANT_TABLES
from storage.scope import system_session

COACH_ONLY = [c for c in REGISTRY if c.role is Role.COACH]


async def counts(console: ConsoleAdapter) -> dict[str, int]:
    async with system_session(console.app.sessions) as session:
        return {
            t.name: (await session.execute(select(func.count()).select_from(t))).scalar_one()
            for t in TENANT_TABLES
        }


def test_there_are_coach_only_commands() -> None:
    names = {c.name for c in COACH_ONLY}
    assert {"cohort settings", "cohort report", "cohort coach", "cohort prompt"} <= names


@pytest.mark.parametrize("command", COACH_ONLY, ids=lambda c: c.name)
async def test_members_are_refused_every_coach_command(cohort: ConsoleAdapter, command) -> None:
    before = await counts(cohort)
    for example in command.examples:
        reply = await cohort.say("alice", example.text)
        assert f"Only coaches can use `/{command.name}`" in reply
    assert await counts(cohort) == before


@pytest.fixture
async def two_cohorts(cohort: ConsoleAdapter) -> ConsoleAdapter:
    """A second cohort, "Spring", with its own coach (carol) and member (dave)."""
    await cohort.say("carol", '/cohort create "Spring" timezone=UTC')
    await cohort.say("dave", '/cohort join "Spring"')
    await cohort.say("dave", '/apply Acme "Junior Dev"')
    return cohort


@pytest.mark.parametrize(
    "line",
    [
        "/stats member=@dave",
        "/history member=@dave",
        "/cohort coach @dave",
        "/cohort prompt standup member=@dave",
        "/kudos @dave well done",
    ],
)
async def test_a_coach_cannot_reach_into_another_cohort(
    two_cohorts: ConsoleAdapter, line: str
) -> None:
    before = await counts(two_cohorts)
    reply = await two_cohorts.say("coach", line)
    assert "I can't find dave in your cohort" in reply
    assert await counts(two_cohorts) == before


async def test_a_coach_report_lists_only_their_own_cohort(two_cohorts: ConsoleAdapter) -> None:
    report = await two_cohorts.say("coach", "/cohort report")
    assert "alice" in report and "dave" not in report
    other = await two_cohorts.say("carol", "/cohort report")
    assert "dave" in other and "alice" not in other


async def test_members_see_only_their_own_items_even_by_id(two_cohorts: ConsoleAdapter) -> None:
    await two_cohorts.say("alice", '/apply Stripe "Backend Engineer"')
    for line in ("/app show A1", "/app stage A1 interview", "/followup done A1"):
        reply = await two_cohorts.say("bob", line)
        assert "You have no application A1" in reply or "nothing to follow up" in reply
