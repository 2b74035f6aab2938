"""/plan through the console: the backwards plan, pace, the funnel, the week, stats and retro."""

from __future__ import annotations

from datetime import date, time

import pytest

from adapters.console import ConsoleAdapter
from storage.models import Cohort, SearchPlan, WeekPlanBlock
from tests.planning.helpers import count, fields, ok, refused, rows, tables

# -- /plan offer-by and /plan show ------------------------------------------------------------


async def test_offer_by_derives_monthly_weekly_and_daily_goals(cohort: ConsoleAdapter) -> None:
    reply = await ok(cohort, "alice", "/plan offer-by 2027-03-31")
    text = reply.plain_text()
    assert "Offer by Wed Mar 31 2027" in text
    f = fields(reply)
    assert f["Time left"] == "133 days (~19 weeks)"
    assert f["Apply by"].startswith("Wed Mar 3")
    assert f["Applications"] == "40 for one offer; 0 sent, 40 to go"
    assert f["Weekly"] == "10 applications, 10 outreach"
    assert f["Monthly"] == "44 applications, 44 outreach"
    assert f["Daily (Mon-Fri)"] == "2 applications, 2 outreach"
    months = tables(reply)["Month by month"]
    assert months.rows[0] == ("Nov 2026", "18", "18")
    assert months.rows[-1] == ("Mar 2027", "6", "6")
    assert [r[0] for r in months.rows] == [
        "Nov 2026",
        "Dec 2026",
        "Jan 2027",
        "Feb 2027",
        "Mar 2027",
    ]
    assert "10 applications per interview (cohort), 4 interviews per offer (cohort)" in text
    (plan,) = await rows(cohort, SearchPlan)
    assert plan.offer_by == date(2027, 3, 31)


async def test_setting_the_offer_date_again_updates_the_one_plan(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", "/plan offer-by 2027-03-31")
    reply = await ok(cohort, "alice", "/plan offer-by 2026-12-30")
    assert fields(reply)["Weekly"] == "19 applications, 19 outreach"
    assert "short horizon" not in reply.plain_text()
    (plan,) = await rows(cohort, SearchPlan)
    assert plan.offer_by == date(2026, 12, 30)


async def test_a_three_week_horizon_is_consistent_and_warned_about(cohort: ConsoleAdapter) -> None:
    """Issue 14: three weeks out it said 36 a week, 156 a month and "Dec: 8"."""
    reply = await ok(cohort, "alice", "/plan offer-by 2026-12-09")
    text = reply.plain_text()
    f = fields(reply)
    assert f["Apply by"].startswith("Tue Nov 24")
    assert f["Weekly"] == "40 applications, 40 outreach"
    assert f["Monthly"] == "40 applications, 40 outreach (the whole window, to Tue Nov 24)"
    assert f["Daily (Mon-Fri)"] == "8 applications, 8 outreach"
    assert tables(reply)["Month by month"].rows == (("Nov 2026", "40", "40"),)
    assert "⏳ A short horizon" in text and "40 applications in the week to Tue Nov 24" in text
    assert "⏳ A short horizon" in (await ok(cohort, "alice", "/plan show")).plain_text()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "is not in the future"),
        ("today", "is not in the future"),
        ("2026-02-30", "not a real calendar date"),
        ("2026-13-01", "not a real calendar date"),
        ("someday", "Use YYYY-MM-DD"),
        ("2030-01-01", "at most two years"),
    ],
)
async def test_bad_offer_dates_are_refused_and_nothing_is_written(
    cohort: ConsoleAdapter, value: str, message: str
) -> None:
    text = await refused(cohort, "alice", f"/plan offer-by {value}")
    assert message in text and "Example: `/plan offer-by 2027-03-31`" in text
    assert await count(cohort, SearchPlan) == 0


async def test_show_says_how_far_behind_this_week_or_on_pace(cohort: ConsoleAdapter) -> None:
    text = (await ok(cohort, "alice", "/plan show")).plain_text()
    assert "No offer date yet" in text
    await ok(cohort, "alice", "/plan offer-by 2027-03-31")
    await ok(cohort, "alice", '/apply Stripe "Backend Engineer"')
    text = (await ok(cohort, "alice", "/plan show")).plain_text()
    # Wednesday: Monday and Tuesday are over, so 4 of the 10 should be done.
    assert "Applications this week: 1/10, 3 applications behind this week" in text
    assert "Outreach this week: 0/10, 4 contacts behind this week" in text
    for company in ("Acme", "Initech", "Globex"):
        await ok(cohort, "alice", f"/apply {company} Developer date=mon force=yes")
    text = (await ok(cohort, "alice", "/plan show")).plain_text()
    assert "Applications this week: 4/10, on pace" in text
    assert "40 for one offer; 4 sent, 36 to go" in text


async def test_an_offer_date_that_has_passed_asks_for_a_new_one(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await ok(cohort, "alice", "/plan offer-by 2026-11-20")
    time_machine.move_to("2026-11-25 12:00Z", tick=False)
    text = (await ok(cohort, "alice", "/plan show")).plain_text()
    assert "has passed" in text and "/plan offer-by DATE" in text


async def test_own_ratios_replace_the_cohort_defaults_with_enough_data(
    cohort: ConsoleAdapter,
) -> None:
    for i in range(20):
        await ok(
            cohort, "alice", f"/apply Company{i} Developer date=2026-11-{i % 10 + 1:02d} force=yes"
        )
    for app in ("A1", "A2", "A3", "A4"):
        await ok(cohort, "alice", f"/app stage {app} interview")
    await ok(cohort, "alice", "/app stage A1 offer")
    reply = await ok(cohort, "alice", "/plan offer-by 2027-06-30")
    text = reply.plain_text()
    assert "5 applications per interview (own), 4 interviews per offer (own)" in text
    assert "20 sent, 4 screens, 4 interviews, 1 offers" in text
    assert fields(reply)["Applications"] == "20 for one offer; 20 sent, 0 to go"


async def test_coaches_configure_the_funnel_defaults(cohort: ConsoleAdapter) -> None:
    reply = await ok(
        cohort, "coach", "/cohort settings apps-per-interview=20 interviews-per-offer=3"
    )
    assert "20 applications per interview, 3 interviews per offer" in reply.plain_text()
    (c,) = await rows(cohort, Cohort)
    assert (c.apps_per_interview, c.interviews_per_offer) == (20, 3)
    reply = await ok(cohort, "alice", "/plan offer-by 2027-06-30")
    assert fields(reply)["Applications"] == "60 for one offer; 0 sent, 60 to go"
    text = await refused(cohort, "alice", "/cohort settings apps-per-interview=5")
    assert "Only coaches" in text
    text = await refused(cohort, "coach", "/cohort settings apps-per-interview=0")
    assert "at least 1" in text
    assert (await rows(cohort, Cohort))[0].apps_per_interview == 20


async def test_coaches_see_a_members_plan_and_members_only_their_own(
    cohort: ConsoleAdapter,
) -> None:
    await ok(cohort, "alice", "/plan offer-by 2027-03-31")
    text = (await ok(cohort, "coach", "/plan show member=@alice")).plain_text()
    assert "Backwards plan to an offer by Wed Mar 31 2027" in text
    text = await refused(cohort, "bob", "/plan show member=@alice")
    assert "Only coaches" in text
    text = await refused(cohort, "bob", "/plan week member=@alice")
    assert "Only coaches" in text
    await ok(cohort, "alice", "/plan week coding mon 4h")
    week = tables(await ok(cohort, "coach", "/plan week member=@alice"))
    assert week["alice's planned week (42h)"].rows[0][:2] == ("Coding", "4h")
    assert (
        "bob has not planned a week yet"
        in (await ok(cohort, "coach", "/plan week member=@bob")).plain_text()
    )


# -- /plan week and /plan template --------------------------------------------------------------


async def test_week_shows_the_template_until_the_member_plans(cohort: ConsoleAdapter) -> None:
    reply = await ok(cohort, "alice", "/plan week")
    grid = tables(reply)["Your planned week (template, 40h)"]
    assert grid.columns == ("", "Mon", "Tue", "Wed", "Thu", "Fri", "week")
    assert grid.rows[0] == ("Coding", "2h", "2h", "2h", "2h", "2h", "10h")
    assert grid.rows[-1] == ("Total", "8h", "8h", "8h", "8h", "8h", "40h")
    assert await count(cohort, WeekPlanBlock) == 0


async def test_editing_the_week_starts_from_the_template(cohort: ConsoleAdapter) -> None:
    reply = await ok(cohort, "alice", "/plan week coding mon-fri 3h")
    assert "Planned 3h of Coding on mon-fri. Your week: 45h planned." in reply.plain_text()
    blocks = await rows(cohort, WeekPlanBlock)
    assert len(blocks) == 30
    coding = [b for b in blocks if b.category == "coding"]
    assert {(b.minutes, b.start) for b in coding} == {(180, time(9, 0))}
    reply = await ok(cohort, "alice", "/plan week other sat 2h start=10:00")
    assert "Your week: 47h planned." in reply.plain_text()
    (sat,) = [b for b in await rows(cohort, WeekPlanBlock) if b.weekday == 5]
    assert (sat.category, sat.start, sat.minutes) == ("other", time(10, 0), 120)
    await ok(cohort, "alice", "/plan week housekeeping fri 0")
    assert not [
        b
        for b in await rows(cohort, WeekPlanBlock)
        if b.weekday == 4 and b.category == "housekeeping"
    ]
    reply = await ok(cohort, "alice", "/plan template")
    assert "40h" in reply.plain_text()
    assert sum(b.minutes for b in await rows(cohort, WeekPlanBlock)) == 40 * 60


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/plan week coding", "Say the category, the weekdays and the hours"),
        ("/plan week coding mon", "Say the category, the weekdays and the hours"),
        ("/plan week knitting mon 2", "must be one of"),
        ("/plan week coding funday 2", "not a list of weekdays"),
        ("/plan week coding mon lots", "not a number of hours"),
        ("/plan week coding mon 2", "2 what? Say `2h` or `2m`"),
        ("/plan week coding mon 13h", "at most 12 hours"),
        ("/plan week coding mon 11h", "16 hours a day is the limit"),
        ("/plan week other mon 2h start=23:00", "past midnight"),
        ("/plan week coding mon 2h member=@bob", "Only your own week"),
    ],
)
async def test_bad_week_edits_are_refused_and_nothing_is_written(
    cohort: ConsoleAdapter, line: str, message: str
) -> None:
    assert message in await refused(cohort, "alice", line)
    assert await count(cohort, WeekPlanBlock) == 0


async def test_stats_and_plan_week_compare_plan_and_actual(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", "/plan template")
    await ok(cohort, "alice", "/practice 90m katas")
    await ok(cohort, "alice", "/hours coding 1h")
    await ok(cohort, "alice", "/hours research 8h")
    table = tables(await ok(cohort, "alice", "/stats"))["Planned week vs actual"]
    assert table.columns == ("category", "planned", "done", "to go")
    by = {r[0]: r[1:] for r in table.rows}
    assert by["Coding"] == ("10h", "2h 30m", "7h 30m")
    assert by["Research & tracking"] == ("7h 30m", "8h", "✓")
    week = tables(await ok(cohort, "alice", "/plan week"))
    assert "Plan vs actual, Nov 16-22" in week
    assert tables(await ok(cohort, "coach", "/stats member=@alice"))["Planned week vs actual"]
    assert "Planned week vs actual" not in tables(await ok(cohort, "bob", "/stats"))


async def test_the_retro_points_out_categories_behind_the_plan(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", "/plan template")
    await ok(cohort, "alice", "/hours outreach 7h30m")
    reply = await ok(cohort, "alice", "/retro")
    (form,) = reply.forms()
    assert "Behind your planned week: Coding 10h, Research & tracking 7h 30m" in form.intro
    assert "Outreach" not in form.intro
