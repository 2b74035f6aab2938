"""The pure planning rules: funnel ratios, the backwards plan, pace, the week template, the page."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, time

from bot.commands.privacy import build_archive, safe_cell
from bot.planning.backwards import (
    HIRING_LAG_DAYS,
    backwards_plan,
    expected_by,
    monthly_breakdown,
    pace,
    working_days,
)
from bot.planning.funnel import (
    Funnel,
    FunnelCounts,
    count_funnel,
    member_funnel,
)
from bot.planning.review import Section, render_html, render_markdown
from bot.planning.week import (
    Block,
    behind_plan,
    compare,
    minutes_by_category,
    minutes_by_day,
    next_free_start,
    template,
)

WED = date(2026, 11, 18)


def test_count_funnel_uses_the_furthest_stage_each_application_reached() -> None:
    counts = count_funnel(
        [
            ["interested"],
            ["applied"],
            ["applied", "screen", "rejected"],
            ["applied", "interview", "rejected"],
            ["applied", "screen", "interview", "offer"],
        ]
    )
    assert counts == FunnelCounts(sent=4, screens=3, interviews=2, offers=1)


def test_member_funnel_keeps_cohort_defaults_until_there_is_enough_data() -> None:
    thin = member_funnel(FunnelCounts(sent=19, interviews=3, offers=1), 10, 4)
    assert (thin.apps_per_interview, thin.apps_source) == (10, "cohort")
    assert (thin.interviews_per_offer, thin.interviews_source) == (4, "cohort")
    own = member_funnel(FunnelCounts(sent=30, interviews=5, offers=1), 10, 4)
    assert (own.apps_per_interview, own.apps_source) == (6, "own")
    assert (own.interviews_per_offer, own.interviews_source) == (5, "own")


def test_applications_for_one_offer_is_the_product_of_the_ratios() -> None:
    assert Funnel(10, 4).applications_for() == 40
    assert Funnel(7.5, 3).applications_for() == 23


def test_backwards_plan_spreads_what_is_left_over_the_weeks_before_apply_by() -> None:
    plan = backwards_plan(
        WED,
        date(2027, 1, 13),
        Funnel(20, 4),
        applications_sent=10,
        target_applications=10,
        target_outreach=10,
    )
    assert plan.apply_by == date(2026, 12, 16)
    assert (plan.offer_by - plan.apply_by).days == HIRING_LAG_DAYS
    assert plan.applications_needed == 80 and plan.applications_remaining == 70
    # 29 days in the window: 70 / (29/7) = 16.9 -> 17 a week; outreach keeps the 1:1 ratio.
    assert (plan.weekly_applications, plan.weekly_outreach) == (17, 17)
    assert plan.daily_applications == 4 and plan.monthly_applications == 74
    assert not plan.tight


def test_backwards_plan_never_drops_below_the_cohort_targets() -> None:
    plan = backwards_plan(
        WED,
        date(2027, 11, 1),
        Funnel(10, 4),
        applications_sent=0,
        target_applications=12,
        target_outreach=6,
    )
    assert (plan.weekly_applications, plan.weekly_outreach) == (12, 6)


def test_a_short_window_is_tight_and_puts_everything_in_one_week() -> None:
    plan = backwards_plan(
        WED,
        date(2026, 12, 1),
        Funnel(10, 4),
        applications_sent=0,
        target_applications=10,
        target_outreach=10,
    )
    # The window is stretched to this week (not just today), so week and month agree.
    assert plan.apply_by == date(2026, 11, 24) and plan.tight and plan.short
    assert plan.weekly_applications == 40 and plan.monthly_applications == 40
    assert monthly_breakdown(WED, plan) == [(date(2026, 11, 1), 40, 40)]


def test_a_window_across_a_month_end_adds_up_to_the_monthly_figure() -> None:
    plan = backwards_plan(
        date(2026, 11, 27),
        date(2027, 1, 10),
        Funnel(10, 4),
        applications_sent=0,
        target_applications=10,
        target_outreach=10,
    )
    assert plan.short and not plan.tight
    months = monthly_breakdown(date(2026, 11, 27), plan)
    assert plan.monthly_applications == sum(apps for _, apps, _ in months)


def test_pace_counts_only_the_working_days_before_today() -> None:
    assert expected_by(date(2026, 11, 16), 10) == 0  # Monday
    assert expected_by(WED, 10) == 4
    assert expected_by(date(2026, 11, 22), 10) == 10  # Sunday
    assert pace(1, WED, 10, "application") == "3 applications behind this week"
    assert pace(3, WED, 10, "application") == "1 application behind this week"
    assert pace(4, WED, 10, "application") == "on pace"


def test_the_template_is_forty_hours_monday_to_friday_with_coding_first() -> None:
    blocks = template()
    assert sum(b.minutes for b in blocks) == 40 * 60
    assert minutes_by_day(blocks) == {0: 480, 1: 480, 2: 480, 3: 480, 4: 480, 5: 0, 6: 0}
    by_category = minutes_by_category(blocks)
    assert by_category["coding"] == 600 and set(by_category) >= {"interview-prep", "other"}
    assert min(blocks, key=lambda b: (b.weekday, b.start)).category == "coding"


def test_a_new_block_takes_its_template_slot_or_goes_after_the_day() -> None:
    blocks = [b for b in template() if b.weekday == 0 and b.category != "research"]
    assert next_free_start(blocks, 0, "research") == time(13, 30)
    crowded = [Block(0, "coding", time(9, 0), 8 * 60)]
    assert next_free_start(crowded, 0, "outreach") == time(17, 0)
    assert next_free_start([], 5, "other") == time(17, 30)


def test_compare_and_behind_plan() -> None:
    rows = compare({"coding": 600, "outreach": 450}, {"coding": 300, "research": 60})
    assert [(r.category, r.gap) for r in rows] == [
        ("coding", 300),
        ("outreach", 450),
        ("research", -60),
    ]
    assert [r.category for r in behind_plan(rows)] == ["coding", "outreach"]


def test_review_page_renders_the_same_sections_as_markdown_and_escaped_html() -> None:
    sections = [
        Section("Plan", ("Offer by Mar 31",)),
        Section("Goals", columns=("goal", "status"), rows=(("a | b", "open"),)),
        Section("Barriers", columns=("barrier",), empty="None yet."),
    ]
    md = render_markdown("Review: <Alice>", "Fall 2026", sections)
    assert md.startswith("# Review: &lt;Alice>\n")  # text, never an HTML tag
    assert "- Offer by Mar 31" in md
    assert "| a \\| b | open |" in md
    assert "_None yet._" in md
    page = render_html("Review: <Alice>", "Fall 2026", sections)
    assert "<h1>Review: &lt;Alice&gt;</h1>" in page
    assert "<td>a | b</td>" in page and "<script" not in page


def test_user_text_in_the_markdown_review_stays_text() -> None:
    hostile = "[free nitro](https://evil.example) <img src=x onerror=alert(1)> **big** `x`"
    md = render_markdown("Review", "", [Section("Notes", (hostile,), ("c",), ((hostile,),))])
    assert "](" in md and "\\](" in md  # the bracket is escaped: never a link
    assert "<img" not in md and "&lt;img" in md
    assert "\\*\\*big\\*\\*" in md and "\\`x\\`" in md


def test_working_days_and_the_month_by_month_goals() -> None:
    assert working_days(WED, WED) == 1
    assert working_days(date(2026, 11, 21), date(2026, 11, 22)) == 0  # a weekend
    assert working_days(date(2026, 11, 16), date(2026, 11, 29)) == 10
    plan = backwards_plan(
        WED,
        date(2027, 2, 1),
        Funnel(10, 4),
        applications_sent=0,
        target_applications=10,
        target_outreach=5,
    )
    assert plan.apply_by == date(2027, 1, 4)
    assert monthly_breakdown(WED, plan) == [
        (date(2026, 11, 1), 18, 9),  # Nov 18-30: 9 working days
        (date(2026, 12, 1), 46, 23),  # 23 working days
        (date(2027, 1, 1), 4, 2),  # Jan 1 (a Friday) and Mon Jan 4
    ]


def test_export_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert [safe_cell(v) for v in ("+1", "-2", "@x", "\tx", "ok", None, 3)] == [
        "'+1",
        "'-2",
        "'@x",
        "'\tx",
        "ok",
        "",
        "3",
    ]
    assert safe_cell(date(2026, 11, 18)) == "2026-11-18"


def test_the_archive_has_json_every_table_and_csv_for_tables_with_rows() -> None:
    content = build_archive(
        {
            "goals": [{"id": 1, "tenant_id": 9, "title": "=1+1", "timely": date(2026, 12, 1)}],
            "calendar_tokens": [{"id": 2, "token": "secret", "revoked_at": None}],
            "barriers": [],
        },
        datetime(2026, 11, 18, 15, tzinfo=UTC),
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        document = json.loads(archive.read("data.json"))
        goals_csv = archive.read("csv/goals.csv").decode()
    assert names == {"data.json", "README.txt", "csv/goals.csv", "csv/calendar_tokens.csv"}
    assert document["exported_at"] == "2026-11-18T15:00:00+00:00"
    assert document["tables"]["goals"] == [{"id": 1, "title": "=1+1", "timely": "2026-12-01"}]
    assert document["tables"]["calendar_tokens"] == [{"id": 2, "revoked_at": None}]
    assert document["tables"]["barriers"] == []
    assert goals_csv.splitlines() == ["id,title,timely", "1,'=1+1,2026-12-01"]
