"""/review and /privacy through the console: the page's content, permissions, export, forget."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from sqlalchemy import select

from adapters.console import ConsoleAdapter
from storage.models import (
    Application,
    Barrier,
    Goal,
    Kudos,
    Member,
    PracticeLog,
    SearchPlan,
    StageChange,
    WeekPlanBlock,
)
from storage.scope import system_session
from tests.planning.helpers import count, files, ok, refused, rows

# -- /review ---------------------------------------------------------------------------------------


async def fill_plan(console: ConsoleAdapter) -> None:
    """alice: an offer date, a week plan, a goal, a career row, a barrier and some activity."""
    for line in (
        "/plan offer-by 2027-03-31",
        "/plan template",
        '/goal add "20 applications" specific="fintech backend roles" measurable="20 sent" '
        'actionable="4 a day" resonant="payments" timely=2026-12-18 metric=applications target=20',
        '/career set 1y goal="junior backend developer" skills="SQL | Go" next="apply daily"',
        '/barrier add "no CS degree" overcome="<b>strong</b> projects"',
        '/apply Stripe "Backend Engineer"',
        "/app stage A1 interview",
        "/practice 45m katas",
        "/hours outreach 2h",
        '/retro worked="mornings" didnt="evenings" adjust="start at 8"',
        '/reflect stage="teacher turned developer" priority=4 overlap="ed-tech backend"',
        '/interview log technical mock=yes with="Sam" went="solved it" improve="talk first"',
    ):
        await ok(console, "alice", line)


async def test_review_is_a_one_page_markdown_and_html_summary(cohort: ConsoleAdapter) -> None:
    await fill_plan(cohort)
    reply = await ok(cohort, "alice", "/review")
    assert "Portfolio review of your plan and progress" in reply.plain_text()
    docs = files(reply)
    md = docs["review-alice-2026-11-18.md"]
    page = docs["review-alice-2026-11-18.html"]
    assert md.mime_type == "text/markdown" and page.mime_type == "text/html"
    text = md.content.decode()
    assert text.startswith(
        "# Portfolio review: alice\n\nFall 2026 · searching · prepared Wed Nov 18"
    )
    for heading in (
        "## Backwards plan",
        "## This week (Nov 16-22) against the targets",
        "## Planned week (40h) vs actual",
        "## Last four weeks",
        "## Practice streak",
        "## Funnel",
        "## SMART goals",
        "## Reflection",
        "## Career plan",
        "## Barriers",
        "## Interview practice (last 10)",
        "## Last weekly review (Nov 16-22)",
    ):
        assert heading in text, heading
    assert "- Offer by Wed Mar 31 2027 (133 days left); apply by Wed Mar 3" in text
    assert "- Applications this week: 1/10, 3 applications behind this week" in text
    assert "| Applications | 1 | 10 |" in text
    assert "| Dec 2026 | 46 | 46 |" in text
    assert "| Oct 26-Nov 1 | 0 | 0 | 0 | 0h | applications, outreach, practice, hours |" in text
    assert "| Nov 16-22 | 1 | 0 | 1 | 2h 45m | this week |" in text
    assert "| Coding | 10h | 45m | 9h 15m |" in text
    assert "| Outreach & networking | 7h 30m | 2h | 5h 30m |" in text
    assert "| interview or later | 1 |" in text
    assert "| G1 | 20 applications | fintech backend roles | 20 sent | 2026-12-18 |" in text
    assert "1/20 applications" in text
    assert "| 1 year | junior backend developer | SQL \\| Go |" in text
    assert "| no CS degree | &lt;b>strong&lt;/b> projects |" in text  # text, not HTML
    assert "- Adjust: start at 8" in text
    assert "- Job search priority: 4/5 (high)" in text and "- Where they meet: ed-tech" in text
    assert "| Wed Nov 18 | technical (mock) |   | Sam | solved it | talk first |" in text
    assert "Current 1 day, longest 1; 1 practice day this week" in text
    html = page.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert "&lt;b&gt;strong&lt;/b&gt; projects" in html and "<b>strong</b>" not in html
    assert "<h2>Career plan</h2>" in html and "<td>SQL | Go</td>" in html
    cohort.render(reply)
    assert (cohort.files_dir / "review-alice-2026-11-18.md").read_bytes() == md.content


async def test_review_of_an_empty_plan_says_what_to_fill_in(cohort: ConsoleAdapter) -> None:
    text = files(await ok(cohort, "bob", "/review"))["review-bob-2026-11-18.md"].content.decode()
    assert "No offer date set yet (/plan offer-by DATE)." in text
    assert "No week planned yet; the 40-hour template would be:" in text
    assert "_No goals set yet (/goal add)._" in text
    assert "_No career plan yet" in text and "_No barriers named yet" in text
    assert "Last weekly review" not in text


async def test_coaches_review_members_of_their_cohort_members_only_themselves(
    cohort: ConsoleAdapter,
) -> None:
    await fill_plan(cohort)
    reply = await ok(cohort, "coach", "/review member=@alice")
    assert "Portfolio review of alice's plan" in reply.plain_text()
    text = files(reply)["review-alice-2026-11-18.md"].content.decode()
    assert "junior backend developer" in text
    assert "Only coaches" in await refused(cohort, "bob", "/review member=@alice")
    await cohort.say("mallory", '/cohort create "Other cohort"')
    assert "can't find alice" in await refused(cohort, "mallory", "/review member=@alice")


# -- /privacy --------------------------------------------------------------------------------------


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


async def test_export_gives_all_my_data_as_json_and_csv(cohort: ConsoleAdapter) -> None:
    await fill_plan(cohort)
    await ok(cohort, "alice", '/apply "=HYPERLINK(1)" Dev notes="+1 -2"')
    await ok(cohort, "bob", "/apply BobCorp Dev")
    await ok(cohort, "bob", "/kudos @alice thanks!")
    reply = await ok(cohort, "alice", "/privacy export")
    (archive,) = files(reply).values()
    assert archive.filename == "offerbound-data-2026-11-18.zip"
    assert archive.mime_type == "application/zip"
    content = unzip(archive.content)
    assert {"data.json", "README.txt", "csv/applications.csv", "csv/goals.csv"} <= set(content)
    data = json.loads(content["data.json"])["tables"]
    assert [m["display_name"] for m in data["members"]] == ["alice"]
    assert sorted(a["company"] for a in data["applications"]) == [
        "=HYPERLINK(1)",
        "Stripe",
    ]
    assert {c["stage"] for c in data["stage_changes"]} == {"applied", "interview"}
    assert data["search_plans"][0]["offer_by"] == "2027-03-31"
    assert len(data["week_plan_blocks"]) == 30
    assert data["barriers"][0]["overcome"] == "<b>strong</b> projects"
    assert data["kudos"][0]["message"] == "thanks!"
    assert data["interviews"][0]["improve"] == "talk first"
    assert data["reflections"][0]["priority"] == 4
    assert all("tenant_id" not in row for table in data.values() for row in table)
    assert "BobCorp" not in content["data.json"].decode()
    apps = list(csv.DictReader(io.StringIO(content["csv/applications.csv"].decode())))
    evil = next(a for a in apps if "HYPERLINK" in a["company"])
    assert evil["company"] == "'=HYPERLINK(1)"
    assert evil["notes"] == "'+1 -2"


async def test_forget_asks_first_then_deletes_everything_of_mine(cohort: ConsoleAdapter) -> None:
    await fill_plan(cohort)
    await ok(cohort, "bob", "/apply BobCorp Dev")
    await ok(cohort, "bob", "/kudos @alice thanks!")
    await ok(cohort, "alice", "/kudos @bob you too")
    text = (await ok(cohort, "alice", "/privacy forget")).plain_text()
    assert "/privacy forget confirm=yes" in text
    assert (
        "Nothing was deleted"
        in (await ok(cohort, "alice", "/privacy forget confirm=no")).plain_text()
    )
    assert await count(cohort, Goal) == 1
    text = (await ok(cohort, "alice", "/privacy forget confirm=yes")).plain_text()
    assert "You have been forgotten" in text
    async with system_session(cohort.app.sessions) as session:
        names = (await session.scalars(select(Member.platform_user_id))).all()
    assert "alice" not in names and "bob" in names
    for model in (SearchPlan, WeekPlanBlock, Goal, Barrier, PracticeLog, Kudos):
        assert await count(cohort, model) == 0, model
    assert [a.company for a in await rows(cohort, Application)] == ["BobCorp"]
    assert {c.application_id for c in await rows(cohort, StageChange)} == {
        (await rows(cohort, Application))[0].id
    }
    assert "You're in Fall 2026" in await cohort.say("alice", '/cohort join "Fall 2026"')


async def test_forget_refuses_a_bad_confirmation_and_the_last_coach(
    cohort: ConsoleAdapter,
) -> None:
    assert "must be one of yes, no" in await refused(cohort, "alice", "/privacy forget confirm=ok")
    text = await refused(cohort, "coach", "/privacy forget confirm=yes")
    assert "only coach of Fall 2026" in text
    async with system_session(cohort.app.sessions) as session:
        names = (await session.scalars(select(Member.platform_user_id))).all()
    assert {"alice", "coach"} <= set(names)
