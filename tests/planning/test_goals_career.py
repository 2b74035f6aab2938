"""/goal, /career and /barrier through the console, and barriers revisited in the retro."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.console import ConsoleAdapter
from storage.models import Barrier, CareerPlanRow, Goal, RetroResponse
from tests.planning.helpers import count, fields, ok, refused, rows, tables

SMART = (
    'specific="backend roles at fintechs" measurable="20 sent" actionable="4 a day" '
    'resonant="I love payments"'
)


async def add_goal(console: ConsoleAdapter, extra: str = "", user: str = "alice") -> str:
    reply = await ok(
        console, user, f'/goal add "20 applications" {SMART} timely=2026-12-18 {extra}'
    )
    return reply.plain_text()


# -- /goal ----------------------------------------------------------------------------------------


async def test_a_smart_goal_is_stored_with_every_part(cohort: ConsoleAdapter) -> None:
    text = await add_goal(cohort, "metric=applications target=20")
    assert "Goal G1 set" in text
    (goal,) = await rows(cohort, Goal)
    assert (goal.title, goal.specific, goal.measurable) == (
        "20 applications",
        "backend roles at fintechs",
        "20 sent",
    )
    assert (goal.actionable, goal.resonant, goal.timely) == (
        "4 a day",
        "I love payments",
        date(2026, 12, 18),
    )
    assert (goal.metric, goal.target, goal.start_day, goal.status) == (
        "applications",
        20,
        date(2026, 11, 18),
        "open",
    )


async def test_a_tracked_goal_shows_progress_from_its_start_day(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", "/apply Old Job date=2026-11-10 force=yes")
    await add_goal(cohort, "metric=applications target=20")
    await add_goal(cohort, "metric=practice-days target=10")
    await ok(cohort, "alice", '/apply Stripe "Backend Engineer"')
    await ok(cohort, "alice", "/apply Acme Developer")
    await ok(cohort, "alice", "/practice 30m")
    table = tables(await ok(cohort, "alice", "/goal list"))["Your goals"]
    assert table.columns == ("id", "goal", "due", "progress", "status")
    progress = {r[0]: r[3] for r in table.rows}
    assert progress["G1"].startswith("2/20 applications")
    assert progress["G2"].startswith("1/10 practice days")
    assert fields(await ok(cohort, "alice", "/goal show G1"))["Progress"].startswith("2/20")


async def test_interview_goals_count_applications_that_reached_an_interview(
    cohort: ConsoleAdapter,
) -> None:
    await add_goal(cohort, "metric=interviews target=3")
    await ok(cohort, "alice", "/apply Stripe Dev")
    await ok(cohort, "alice", "/app stage A1 interview")
    await ok(cohort, "alice", "/app stage A1 offer")
    assert fields(await ok(cohort, "alice", "/goal show G1"))["Progress"].startswith(
        "1/3 interviews"
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('/goal add "x" specific=a measurable=b actionable=c resonant=d', "needs TIMELY"),
        ('/goal add "x" measurable=b actionable=c resonant=d timely=fri', "needs SPECIFIC"),
        (f'/goal add "x" {SMART} timely=yesterday', "in the past"),
        (f'/goal add "x" {SMART} timely=2026-02-30', "not a real calendar date"),
        (f'/goal add "x" {SMART} timely=2029-01-01', "within two years"),
        (f'/goal add "x" {SMART} timely=fri metric=applications', "both metric= and target="),
        (f'/goal add "x" {SMART} timely=fri target=5', "both metric= and target="),
        (f'/goal add "x" {SMART} timely=fri metric=vibes target=5', "must be one of"),
        (f'/goal add "x" {SMART} timely=fri metric=outreach target=0', "at least 1"),
        (f'/goal add "x" {SMART.replace("4 a day", "")} timely=fri', "needs ACTIONABLE"),
    ],
)
async def test_bad_goals_are_refused_and_nothing_is_written(
    cohort: ConsoleAdapter, line: str, message: str
) -> None:
    assert message in await refused(cohort, "alice", line)
    assert await count(cohort, Goal) == 0


async def test_update_and_done(cohort: ConsoleAdapter) -> None:
    await add_goal(cohort)
    text = (await ok(cohort, "alice", "/goal update G1 metric=outreach target=15")).plain_text()
    assert "Updated metric, target of G1" in text
    assert (
        "Updated title" in (await ok(cohort, "alice", '/goal update g1 title="New"')).plain_text()
    )
    assert "Say what to change" in await refused(cohort, "alice", "/goal update G1")
    assert "in the past" in await refused(cohort, "alice", "/goal update G1 timely=yesterday")
    assert "Goal G1 done" in (await ok(cohort, "alice", "/goal done G1")).plain_text()
    (goal,) = await rows(cohort, Goal)
    assert (goal.title, goal.metric, goal.target, goal.status) == ("New", "outreach", 15, "done")
    assert goal.completed_at is not None
    assert "already done" in await refused(cohort, "alice", "/goal done G1")
    open_goals = tables(await ok(cohort, "alice", "/goal list status=open"))["Your goals"]
    assert open_goals.rows == ()
    await ok(cohort, "alice", "/goal update G1 status=open")
    assert (await rows(cohort, Goal))[0].completed_at is None


async def test_goals_are_private_to_their_member(cohort: ConsoleAdapter) -> None:
    await add_goal(cohort)
    assert "no goal G1" in await refused(cohort, "bob", "/goal done G1")
    assert "no goal G1" in await refused(cohort, "bob", "/goal update G1 title=mine")
    assert "Only coaches" in await refused(cohort, "bob", "/goal list member=@alice")
    coach_view = tables(await ok(cohort, "coach", "/goal list member=@alice"))
    assert coach_view["alice's goals"].rows[0][1] == "20 applications"
    assert (await rows(cohort, Goal))[0].status == "open"


# -- /career ---------------------------------------------------------------------------------------


async def test_career_plan_rows_per_horizon(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", '/career set 1y goal="junior developer" skills="SQL" next="apply"')
    await ok(cohort, "alice", '/career set 3-5y goal="tech lead" timeline="by 2030"')
    await ok(cohort, "alice", '/career set 1y resources="mock interviews"')
    table = tables(await ok(cohort, "alice", "/career show"))["Your career plan"]
    assert table.rows == (
        ("1 year", "junior developer", "SQL", "mock interviews", "apply", ""),
        ("3-5 years", "tech lead", "", "", "", "by 2030"),
    )
    assert await count(cohort, CareerPlanRow) == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/career set 1y", "Say what to write"),
        ('/career set 10y goal="x"', "must be one of"),
        ('/career set goal="x"', "needs 1y|2y|3-5y"),
        (f'/career set 2y timeline="{"x" * 201}"', "limited to 200"),
    ],
)
async def test_bad_career_rows_are_refused(cohort: ConsoleAdapter, line: str, message: str) -> None:
    assert message in await refused(cohort, "alice", line)
    assert await count(cohort, CareerPlanRow) == 0


async def test_career_plan_permissions(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", '/career set 2y goal="backend engineer"')
    assert "Only coaches" in await refused(cohort, "bob", "/career show member=@alice")
    shown = tables(await ok(cohort, "coach", "/career show member=@alice"))
    assert shown["alice's career plan"].rows[0][1] == "backend engineer"


# -- /barrier and the retro ------------------------------------------------------------------------


async def test_one_or_two_barriers(cohort: ConsoleAdapter) -> None:
    reply = await ok(cohort, "alice", '/barrier add "no CS degree" overcome="strong projects"')
    assert "Barrier B1 noted" in reply.plain_text()
    await ok(cohort, "alice", '/barrier add interview nerves overcome="weekly mock interviews"')
    text = await refused(cohort, "alice", '/barrier add "time" overcome="calendar"')
    assert "already have 2 barriers (B1, B2)" in text and "/barrier remove B1" in text
    table = tables(await ok(cohort, "alice", "/barrier list"))["Your barriers"]
    assert table.rows == (
        ("B1", "no CS degree", "strong projects"),
        ("B2", "interview nerves", "weekly mock interviews"),
    )
    assert "no barrier B1" in await refused(cohort, "bob", "/barrier remove B1")
    assert "Only coaches" in await refused(cohort, "bob", "/barrier list member=@alice")
    assert "Removed barrier B1" in (await ok(cohort, "alice", "/barrier remove B1")).plain_text()
    assert [b.barrier for b in await rows(cohort, Barrier)] == ["interview nerves"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('/barrier add "no degree"', "needs OVERCOME"),
        ("/barrier add overcome=x", "needs BARRIER"),
        (f'/barrier add "{"x" * 301}" overcome=y', "the limit is 300"),
        ("/barrier remove X9", "not a barrier id"),
    ],
)
async def test_bad_barriers_are_refused(cohort: ConsoleAdapter, line: str, message: str) -> None:
    assert message in await refused(cohort, "alice", line)
    assert await count(cohort, Barrier) == 0


async def test_the_retro_revisits_the_named_barriers(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", '/barrier add "no CS degree" overcome="strong projects"')
    (form,) = (await ok(cohort, "alice", "/retro")).forms()
    barriers = next(q for q in form.questions if q.key == "barriers")
    assert barriers.initial == "no CS degree → strong projects"
    assert "Revisit your barriers below." in form.intro
    reply = await ok(cohort, "alice", "/retro worked=a didnt=b adjust=c")
    text = reply.plain_text()
    assert "Your barriers: B1 no CS degree. Overcome one? `/barrier remove B1`." in text
    (retro,) = await rows(cohort, RetroResponse)
    assert retro.barriers == "no CS degree → strong projects"
