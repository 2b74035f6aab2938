"""The calendar: the .ics file parsed back (local times across DST), and the private feed URL."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from pydantic import SecretStr
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from bot.calendar.feed import PUBLIC_URL_ENV, calendar_for_token
from bot.calendar.template import DEFAULT_WEEK
from bot.settings import Settings
from storage.models import CalendarToken, Member, WeekPlanBlock
from storage.scope import system_session
from tests.exports.helpers import one_file

# Wednesday Oct 28 2026: Europe ends DST on Sunday Oct 25, the US on Sunday Nov 1.
BEFORE_US_DST_END = datetime(2026, 10, 28, 15, 0, tzinfo=UTC)


def parse(content: bytes) -> Calendar:
    calendar = Calendar.from_ical(content)
    assert calendar["version"] == "2.0"
    return calendar


def events(calendar: Calendar) -> dict[str, object]:
    return {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def occurrences(event, count: int) -> list[datetime]:
    start = event.decoded("dtstart")
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    return list(rule)[:count]


async def ics(console: ConsoleAdapter, user: str = "alice") -> Calendar:
    reply = await console.ask(user, "/calendar file")
    file = one_file(reply)
    assert file.filename == "offerbound-calendar.ics"
    assert file.mime_type == "text/calendar"
    return parse(file.content)


async def test_weekly_blocks_keep_their_local_time_across_the_dst_change(
    cohort: ConsoleAdapter, time_machine
) -> None:
    time_machine.move_to(BEFORE_US_DST_END, tick=False)
    await cohort.say("alice", "/me timezone=America/New_York")
    calendar = await ics(cohort)
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "America/New_York"
    found = events(calendar)
    coding = found["block-0-coding-0900"]
    assert str(coding["summary"]) == "Job search: Coding"
    assert coding["dtstart"].params["TZID"] == "America/New_York"
    first, second, third = occurrences(coding, 3)
    assert first.date() == date(2026, 10, 26)  # this week's Monday
    for when in (first, second, third):
        assert when.tzinfo is not None and when.time() == time(9, 0)
    assert first.astimezone(UTC).hour == 13  # EDT, UTC-4
    assert second.astimezone(UTC).hour == 14  # EST, UTC-5, after Nov 1
    assert coding.decoded("dtend") - coding.decoded("dtstart") == timedelta(hours=2)
    blocks = [e for uid, e in found.items() if uid.startswith("block-")]
    assert len(blocks) == len(DEFAULT_WEEK) == 30
    total = sum(((e.decoded("dtend") - e.decoded("dtstart")) for e in blocks), start=timedelta())
    assert total == timedelta(hours=40)


async def test_standup_and_retro_in_the_members_zone(cohort: ConsoleAdapter, time_machine) -> None:
    time_machine.move_to(datetime(2026, 10, 21, 12, 0, tzinfo=UTC), tick=False)
    await cohort.say("alice", "/me timezone=Europe/Berlin")
    await cohort.say("coach", "/cohort settings standup=08:30 retro-day=thu retro-time=17:00")
    found = events(await ics(cohort))
    standup = found["standup"]
    assert standup["rrule"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    days = occurrences(standup, 6)
    assert [d.strftime("%a %H:%M") for d in days] == [
        "Mon 08:30", "Tue 08:30", "Wed 08:30", "Thu 08:30", "Fri 08:30", "Mon 08:30",
    ]  # fmt: skip
    assert days[4].utcoffset() == timedelta(hours=2)  # Fri Oct 23, summer time
    assert "exdate" not in standup
    assert days[5].utcoffset() == timedelta(hours=1)  # Mon Oct 26, after the change
    retro = found["retro"]
    (first, second) = occurrences(retro, 2)
    assert (first.date(), first.time()) == (date(2026, 10, 22), time(17, 0))
    assert second.time() == time(17, 0) and second.utcoffset() == timedelta(hours=1)


async def test_cohort_holidays_have_no_standup(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort holidays add=2026-11-26")
    await cohort.say("coach", "/cohort holidays add=2026-11-28")  # a Saturday: no standup anyway
    standup = events(await ics(cohort))["standup"]
    exdates = standup["exdate"] if isinstance(standup["exdate"], list) else [standup["exdate"]]
    skipped = [d.dt for item in exdates for d in item.dts]
    assert skipped == [datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("UTC"))]
    rule = rrulestr(standup["rrule"].to_ical().decode(), dtstart=standup.decoded("dtstart"))
    assert datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("UTC")) in list(rule)[:10]


async def test_follow_ups_are_all_day_events(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer" follow-up=fri next="email Jane"')
    await cohort.say("alice", "/apply Acme Dev follow-up=mon")
    await cohort.say("alice", "/app stage A2 rejected")
    await cohort.say("alice", '/outreach "Sam Lee" company=Globex follow-up=2026-12-01')
    found = events(await ics(cohort))
    app = found["followup-a1"]
    assert str(app["summary"]) == "Follow up: Backend Engineer at Stripe"
    assert app.decoded("dtstart") == date(2026, 11, 20)
    assert str(app["description"]) == "email Jane"
    assert "followup-a2" not in found  # rejected: nothing to follow up
    assert found["followup-c1"].decoded("dtstart") == date(2026, 12, 1)
    assert str(found["followup-c1"]["summary"]) == "Follow up: Sam Lee (Globex)"


async def test_the_members_own_week_plan_and_no_cohort(console: ConsoleAdapter) -> None:
    await console.say("zed", "/me timezone=Asia/Tokyo")
    async with system_session(console.app.sessions) as session:
        zed = await session.scalar(select(Member).where(Member.platform_user_id == "zed"))
        session.add(
            WeekPlanBlock(
                tenant_id=zed.tenant_id,
                member_id=zed.id,
                weekday=5,
                category="other",
                start=time(10, 30),
                minutes=90,
            )
        )
        await session.commit()
    reply = await console.ask("zed", "/calendar file")
    assert "Your planned week" in reply.plain_text()
    found = events(parse(one_file(reply).content))
    assert set(found) == {"block-5-other-1030"}  # no cohort: no standup or retro
    start = found["block-5-other-1030"].decoded("dtstart")
    assert start.tzinfo == ZoneInfo("Asia/Tokyo") or str(start.tzinfo) == "Asia/Tokyo"
    assert (start.strftime("%a"), start.time()) == ("Sat", time(10, 30))


async def test_subscribe_needs_a_public_address(
    cohort: ConsoleAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    reply = await cohort.say("alice", "/calendar subscribe")
    assert "OFFERBOUND_PUBLIC_URL" in reply and "/calendar file" in reply
    assert "no active calendar link" in await cohort.say("alice", "/calendar revoke")


async def test_subscribe_revoke_and_resubscribe(
    cohort: ConsoleAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PUBLIC_URL_ENV, "https://bot.example/")
    reply = await cohort.say("alice", "/calendar subscribe")
    (url,) = re.findall(r"https://bot\.example/calendar/([A-Za-z0-9_-]+)\.ics", reply)
    assert len(url) >= 40
    assert f"webcal://bot.example/calendar/{url}.ics" in reply
    async with system_session(cohort.app.sessions) as session:
        stored = (await session.scalars(select(CalendarToken))).all()
    assert [t.token for t in stored] == [hashlib.sha256(url.encode()).hexdigest()]
    body = await calendar_for_token(cohort.app, url)
    assert body is not None and b"Job search: alice" in body
    assert await calendar_for_token(cohort.app, "x" * 43) is None
    again = await cohort.say("alice", "/calendar subscribe")
    (second,) = re.findall(r"/calendar/([A-Za-z0-9_-]+)\.ics", again.split("webcal")[0])
    assert second != url
    assert await calendar_for_token(cohort.app, url) is None  # replaced
    assert await calendar_for_token(cohort.app, second) is not None
    assert "turned off" in await cohort.say("alice", "/calendar revoke")
    assert await calendar_for_token(cohort.app, second) is None


# -- the subscription URL over HTTP (Slack's HTTP mode) --------------------------------------


@pytest.fixture
async def slack_http(app: App, settings: Settings) -> AsyncIterator[object]:
    from tests.fakes.slack_api import FakeSlackAPI
    from tests.slack.conftest import serve_harness, slack_settings_for
    from tests.slack.harness import BOT_TOKEN, SIGNING_SECRET

    async with FakeSlackAPI() as fake:
        slack_settings = slack_settings_for(
            fake, bot_token=SecretStr(BOT_TOKEN), signing_secret=SecretStr(SIGNING_SECRET)
        )
        async for harness in serve_harness(app, slack_settings, fake):
            yield harness


async def test_the_feed_is_served_over_http(slack_http, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PUBLIC_URL_ENV, slack_http.url)
    await slack_http.command("apply Stripe Dev follow-up=fri", user="alice")
    await slack_http.command("calendar subscribe", user="alice")
    text = slack_http.reply_text()
    (url,) = set(re.findall(rf"{re.escape(slack_http.url)}/calendar/[A-Za-z0-9_-]+\.ics", text))
    async with slack_http.session.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/calendar")
        assert "private" in response.headers["Cache-Control"]
        found = events(parse(await response.read()))
    assert "followup-a1" in found and "block-0-coding-0900" in found
    await slack_http.command("calendar revoke", user="alice")
    async with slack_http.session.get(url) as response:
        assert response.status == 404
    async with slack_http.session.get(f"{slack_http.url}/calendar/not-a-token!.ics") as response:
        assert response.status == 404


# -- the subscription feed under load: bounded, cached, rate-limited ------------------------------


async def _seed_followups(cohort, count: int) -> None:
    from storage.models import Application, Member
    from storage.repository import TenantRepository, TenantsDirectory

    app = cohort.app
    async with app.sessions() as session:
        tenant = await TenantsDirectory(session).find("console", "local")
        assert tenant is not None
        repo = TenantRepository(session, tenant.id)
        alice = await repo.member_by_platform_id("alice")
        assert isinstance(alice, Member)
        now = app.clock.now()
        await repo.add_all(
            [
                Application(
                    member_id=alice.id,
                    company=f"Company {n}",
                    role="Dev",
                    follow_up=date(2026, 11, 19) + timedelta(days=n % 300),
                    applied_on=date(2026, 11, 1),
                    created_at=now,
                    updated_at=now,
                )
                for n in range(count)
            ]
        )
        await session.commit()


async def test_a_feed_of_thousands_of_follow_ups_is_capped(
    cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.calendar import feed as feed_module

    monkeypatch.setenv(PUBLIC_URL_ENV, "https://bot.example.org")
    await _seed_followups(cohort, 2000)
    reply = await cohort.say("alice", "/calendar subscribe")
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", reply)[1]  # type: ignore[index]
    builds: list[int] = []
    real = feed_module.build_calendar

    def counted(**facts):  # type: ignore[no-untyped-def]
        builds.append(len(facts["followups"]))
        return real(**facts)

    monkeypatch.setattr(feed_module, "build_calendar", counted)
    feeds = feed_module.CalendarFeed(cohort.app)
    body = await feeds.get(token)
    assert body is not None and body.count(b"BEGIN:VEVENT") < 600
    assert builds == [feed_module.MAX_FOLLOWUPS]
    assert await feeds.get(token) == body and len(builds) == 1  # unchanged data: the cached file
    await cohort.say("alice", "/apply Initech Dev follow-up=tomorrow")
    assert await feeds.get(token) != body and len(builds) == 2  # new data: built again


async def test_a_feed_polled_too_often_answers_429(cohort, monkeypatch: pytest.MonkeyPatch):
    from bot.calendar import feed as feed_module
    from bot.ratelimit import Rate

    monkeypatch.setenv(PUBLIC_URL_ENV, "https://bot.example.org")
    reply = await cohort.say("alice", "/calendar subscribe")
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", reply)[1]  # type: ignore[index]
    feeds = feed_module.CalendarFeed(cohort.app, Rate(per_minute=1, burst=2))
    assert await feeds.get(token) and await feeds.get(token)
    with pytest.raises(feed_module.TooMany) as refused:
        await feeds.get(token)
    assert 0 < refused.value.after <= 60
