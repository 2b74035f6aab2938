"""Charts through the console: real PNGs of the right size, with the data and colours expected."""

from __future__ import annotations

import io
from datetime import time
from typing import Any

import numpy as np
import pytest
from matplotlib.image import imread
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.charts import figures
from bot.commands import charts as chart_commands
from storage.models import Member, WeekPlanBlock
from storage.scope import system_session
from tests.exports.helpers import one_file

PNG = b"\x89PNG\r\n\x1a\n"


def pixels(content: bytes) -> np.ndarray:
    assert content.startswith(PNG)
    return imread(io.BytesIO(content), format="png")


def has_colour(image: np.ndarray, hex_colour: str, at_least: int = 200) -> bool:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    close = np.all(np.abs(image[..., :3] - rgb) < 0.02, axis=-1)
    return int(close.sum()) >= at_least


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Record the data each chart hands matplotlib, and the figure drawn from it."""
    seen: dict[str, list[Any]] = {}
    for name in ("week_figure", "trend_figure", "cohort_figure", "funnel_figure"):
        original = getattr(figures, name)

        def spy(data: Any, original: Any = original, name: str = name) -> Any:
            figure = original(data)
            seen.setdefault(name, []).extend([data, figure])
            return figure

        monkeypatch.setattr(chart_commands, name, spy)
    return seen


def texts(figure: Any) -> str:
    return " ".join(t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")))


async def test_week_chart(cohort: ConsoleAdapter, drawn: dict[str, list[Any]]) -> None:
    for line in (
        "/apply Stripe Dev",
        "/apply Acme Dev date=mon force=yes",
        '/outreach "Jane Doe"',
        "/practice 1h graphs",
        "/hours research 2h",
    ):
        await cohort.say("alice", line)
    reply = await cohort.ask("alice", "/chart week")
    file = one_file(reply)
    assert file.mime_type == "image/png"
    assert file.filename == "offerbound-week-2026-11-18.png"
    image = pixels(file.content)
    assert image.shape[:2] == (figures.HEIGHT_PX, figures.WIDTH_PX)
    assert len(np.unique(image.reshape(-1, image.shape[-1]), axis=0)) > 50
    assert has_colour(image, figures.OKABE_ITO[4])  # "done" bars
    assert has_colour(image, figures.OKABE_ITO[0])  # hours done
    assert has_colour(image, figures.PLAN_COLOUR)  # the plan
    data, figure = drawn["week_figure"]
    assert data.title == "Your week, Nov 16-22"
    assert data.counts == (("Applications", 2, 10), ("Outreach", 1, 10), ("Practice days", 1, 5))
    hours = dict(zip(data.categories, data.actual_hours, strict=True))
    assert hours["Coding"] == 1.0 and hours["Research & tracking"] == 2.0
    planned = dict(zip(data.categories, data.planned_hours, strict=True))
    assert sum(planned.values()) == 40  # the default template
    assert planned["Coding"] == 10
    left, right = figure.axes
    assert [p.get_height() for p in left.patches] == [2, 1, 1]
    assert left.get_title() and left.get_ylabel() and left.get_legend() is not None
    assert right.get_xlabel() == "Hours" and right.get_legend() is not None
    assert "saved to" in cohort.render(reply)


async def test_week_chart_uses_the_members_own_plan(
    cohort: ConsoleAdapter, drawn: dict[str, list[Any]]
) -> None:
    await cohort.say("alice", "/me")
    async with system_session(cohort.app.sessions) as session:
        alice = await session.scalar(select(Member).where(Member.platform_user_id == "alice"))
        session.add_all(
            [
                WeekPlanBlock(
                    tenant_id=alice.tenant_id,
                    member_id=alice.id,
                    weekday=day,
                    category="outreach",
                    start=time(10, 0),
                    minutes=180,
                )
                for day in range(4)
            ]
        )
        await session.commit()
    await cohort.ask("alice", "/chart week")
    data, _ = drawn["week_figure"]
    planned = dict(zip(data.categories, data.planned_hours, strict=True))
    assert planned["Outreach & networking"] == 12 and planned["Coding"] == 0


async def test_trend_chart_covers_eight_weeks(
    cohort: ConsoleAdapter, drawn: dict[str, list[Any]]
) -> None:
    await cohort.say("alice", "/apply Stripe Dev date=2026-11-10 force=yes")
    await cohort.say(
        "alice", "/apply Acme Dev date=2026-09-29 force=yes"
    )  # eight weeks back: shown
    await cohort.say(
        "alice", "/apply Old Dev date=2026-09-22 force=yes"
    )  # nine weeks back: left out
    await cohort.say("alice", "/hours outreach 3h date=2026-10-27 force=yes")
    await cohort.say("alice", "/practice 30m date=2026-11-17 force=yes")
    file = one_file(await cohort.ask("alice", "/chart trend"))
    image = pixels(file.content)
    assert image.shape[:2] == (700, 1200)
    data, figure = drawn["trend_figure"]
    assert data.weeks == (
        "Sep 28", "Oct 5", "Oct 12", "Oct 19", "Oct 26", "Nov 2", "Nov 9", "Nov 16",
    )  # fmt: skip
    assert data.weeks[0] == "Sep 28" and data.weeks[-1] == "Nov 16"
    assert data.applications == (1, 0, 0, 0, 0, 0, 1, 0)
    hours = dict(zip(data.categories, data.hours, strict=True))
    assert hours["Outreach & networking"][4] == 3.0
    assert hours["Coding"][7] == 0.5
    assert data.hours_target == 40
    top, bottom = figure.axes
    assert len(top.patches) == 6 * 8  # six stacked categories for eight weeks
    assert top.get_legend() is not None and bottom.get_legend() is not None


async def test_cohort_chart_shows_totals_but_no_names(
    cohort: ConsoleAdapter, drawn: dict[str, list[Any]]
) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    await cohort.say("bob", "/apply Acme Dev")
    await cohort.say("bob", "/apply Globex Dev date=2026-11-09 force=yes")
    await cohort.say("bob", "/practice 20m")
    await cohort.say("alice", "/practice 20m")
    file = one_file(await cohort.ask("bob", "/chart cohort"))
    assert pixels(file.content).shape[:2] == (700, 1200)
    data, figure = drawn["cohort_figure"]
    series = {label: (values, target) for label, values, target in data.series}
    assert series["Applications"] == ((0, 0, 0, 0, 0, 0, 1, 2), 20)
    assert series["Practice days"][0][-1] == 2
    assert series["Outreach"][1] == 20
    assert "alice" not in texts(figure).lower() and "bob" not in texts(figure).lower()
    await cohort.say("bob", "/me status=hired")
    await cohort.ask("alice", "/chart cohort")
    data, _ = drawn["cohort_figure"][2:]
    assert dict((label, target) for label, _, target in data.series)["Applications"] == 10
    assert "1 searching" in data.title


async def test_cohort_chart_needs_a_cohort(console: ConsoleAdapter) -> None:
    assert "not in a cohort" in await console.say("zed", "/chart cohort")


async def test_funnel_chart(cohort: ConsoleAdapter, drawn: dict[str, list[Any]]) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    await cohort.say("alice", "/apply Acme Dev stage=interview")
    await cohort.say("alice", "/apply Globex Dev stage=interview")
    await cohort.say("alice", "/apply Initech QA stage=rejected")
    file = one_file(await cohort.ask("alice", "/chart funnel"))
    image = pixels(file.content)
    assert has_colour(image, figures.OKABE_ITO[4]) and has_colour(image, figures.PLAN_COLOUR)
    data, figure = drawn["funnel_figure"]
    counts = dict(zip(data.stages, data.counts, strict=True))
    assert counts == {
        "interested": 0, "applied": 1, "screen": 0, "interview": 2,
        "offer": 0, "accepted": 0, "rejected": 1, "withdrawn": 0,
    }  # fmt: skip
    (axis,) = figure.axes
    assert [p.get_width() for p in axis.patches][: len(data.stages)] == list(data.counts)
    assert "4 in all" in axis.get_title()


async def test_coaches_may_chart_a_member_but_members_only_themselves(
    cohort: ConsoleAdapter, drawn: dict[str, list[Any]]
) -> None:
    await cohort.say("alice", "/apply Stripe Dev")
    file = one_file(await cohort.ask("coach", "/chart funnel member=@alice"))
    assert file.filename == "offerbound-funnel-alice-2026-11-18.png"
    assert drawn["funnel_figure"][0].title.startswith("alice's applications")
    assert "Only coaches" in await cohort.say("bob", "/chart week member=@alice")


def test_an_empty_chart_still_renders() -> None:
    data = figures.FunnelChart("Nothing yet", ("applied",), (0,))
    image = pixels(figures.to_png(figures.funnel_figure(data)))
    assert image.shape[:2] == (700, 1200)


async def test_charts_count_github_practice_days_like_stats(cohort: ConsoleAdapter) -> None:
    """A GitHub day has no minutes; the cohort chart and /stats must still count it."""
    from datetime import UTC, date, datetime

    from bot.charts.data import cohort_chart
    from bot.domain.scoring import Targets
    from storage.models import Cohort, PracticeLog
    from storage.repository import TenantRepository

    async with system_session(cohort.app.sessions) as session:
        alice = await session.scalar(select(Member).where(Member.platform_user_id == "alice"))
        session.add(
            PracticeLog(
                tenant_id=alice.tenant_id,
                member_id=alice.id,
                day=date(2026, 11, 17),
                minutes=0,
                what="2 commits",
                source="github",
                number=1,
                created_at=datetime.now(UTC),
            )
        )
        await session.commit()
        fall = await session.scalar(select(Cohort))
        chart = await cohort_chart(
            TenantRepository(session, alice.tenant_id), fall, Targets(), date(2026, 11, 18)
        )
    practice = dict((name, values) for name, values, _ in chart.series)["Practice days"]
    assert practice[-1] == 1
    assert "Practice days  1/5" in await cohort.say("alice", "/stats")


@pytest.mark.parametrize("kind", ["week", "trend", "cohort", "funnel"])
async def test_dollar_signs_in_names_are_text_not_math(console: ConsoleAdapter, kind: str) -> None:
    """A cohort or member named with "$" (mathtext's delimiter) still gets its chart."""
    name = "$\\frac$ $5k$ cohort"  # invalid TeX: mathtext would refuse to draw it
    await console.say("coach", f'/cohort create "{name}" timezone=UTC')
    await console.say("$al^ice_", f'/cohort join "{name}"')
    await console.say("$al^ice_", "/apply Stripe Dev")
    await console.say("$al^ice_", "/practice 20m")
    reply = await console.ask("$al^ice_", f"/chart {kind}")
    assert reply.ok, reply.plain_text()
    assert pixels(one_file(reply).content).shape[:2] == (700, 1200)
