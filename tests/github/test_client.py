"""The GitHub client and the day grouping on their own: headers, errors, zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from aiohttp import web

from bot.github.client import Activity, GithubClient, RateLimited, Unavailable
from bot.github.sync import local_days
from bot.scheduling.jobs import PromptScheduler
from tests.fakes.github_api import FakeGithubAPI

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_local_days_follow_the_zone_across_spring_forward() -> None:
    # Berlin moves to CEST (+2h) at 01:00 UTC on Sun Mar 29 2026.
    items = [
        Activity(at(2026, 3, 28, 22, 30), "a/r", "u1", 1),  # Sat 23:30 CET
        Activity(at(2026, 3, 29, 22, 30), "a/r", "u2", 1),  # Mon 00:30 CEST
        Activity(at(2026, 3, 30, 23, 30), "a/r", "u3", 1),  # Tue: after `until`, dropped
    ]
    days = local_days(items, "Europe/Berlin", date(2026, 3, 1), date(2026, 3, 30))
    assert [d.day for d in days] == [date(2026, 3, 28), date(2026, 3, 30)]
    assert days[0].what() == "1 commit in r"


def test_pushes_without_commit_lists_are_counted_as_pushes() -> None:
    items = [Activity(at(2026, 11, 18, h), "a/katas", f"u{h}", 0) for h in (9, 10)]
    (summary,) = local_days(items, "UTC", date(2026, 11, 1), date(2026, 11, 18))
    assert summary.what() == "2 pushes in katas"
    assert summary.link == "u10"


async def test_token_and_headers_are_sent(frozen: datetime) -> None:
    async with FakeGithubAPI() as fake:
        fake.add_commit("alice", "daily_practice", at(2026, 11, 18, 9))
        async with GithubClient(fake.url, "t0ken") as client:
            fetched = await client.activity("alice", "daily_practice")
        assert fetched.activities and fetched.activities[0].repo == "alice/daily_practice"
        headers = fake.requests[0].headers
        assert headers["Authorization"] == "Bearer t0ken"
        assert headers["Accept"] == "application/vnd.github+json"


async def test_a_spent_limit_stops_the_next_request_until_the_reset(frozen: datetime) -> None:
    reset = int((NOW + timedelta(minutes=30)).timestamp())

    async def spent(request: web.Request) -> web.Response:
        headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset), "ETag": '"e"'}
        return web.json_response([], headers=headers)

    app = web.Application()
    app.router.add_get("/users/{user}/events/public", spent)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with GithubClient(f"http://127.0.0.1:{port}", clock=lambda: NOW) as client:
            assert (await client.activity("alice")).activities == []
            with pytest.raises(RateLimited) as caught:
                await client.activity("bob")
            assert client.requests == 1
            assert caught.value.until == NOW + timedelta(minutes=30)
    finally:
        await runner.cleanup()


async def test_unreachable_github_is_unavailable_not_a_crash() -> None:
    async with GithubClient("http://127.0.0.1:9", timeout=2) as client:
        with pytest.raises(Unavailable, match="couldn't reach GitHub"):
            await client.activity("alice")


def test_web_url_for_github_com_and_enterprise_server() -> None:
    assert GithubClient("https://api.github.com").web_url == "https://github.com"
    assert GithubClient("https://ghe.example.com/api/v3/").web_url == "https://ghe.example.com"


async def test_scheduler_runs_the_github_sync_with_a_stable_id(cohort, frozen: datetime) -> None:
    jobs = PromptScheduler(cohort.app.sessions, cohort.app.clock, settings=cohort.app.settings)
    await jobs.start()
    try:
        job = jobs.scheduler.get_job("github:sync")
        assert job is not None
        await jobs.sync_github()  # no links: nothing to ask
    finally:
        jobs.stop()


def test_malformed_items_are_skipped_and_the_token_is_not_in_repr() -> None:
    from bot.github.client import _parse_commits, _parse_events

    good = {"commit": {"author": {"date": "2026-11-18T09:00:00Z"}}, "html_url": "w/a/r/commit/1"}
    bad = {"commit": {"author": {"date": "yesterday-ish"}}}
    assert [a.repo for a in _parse_commits([good, bad, "junk"], "w")] == ["a/r"]
    event = {"type": "PushEvent", "created_at": "nope", "repo": {"name": "a/r"}}
    assert _parse_events([event, {"type": "WatchEvent"}], "w") == []
    assert "s3cret" not in repr(GithubClient("https://api.github.com", "s3cret"))


async def test_an_html_error_page_is_unavailable_with_its_status() -> None:
    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=502, text="<html>Bad gateway</html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/users/{user}/events/public", broken)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with GithubClient(f"http://127.0.0.1:{port}") as client:
            with pytest.raises(Unavailable, match="HTTP 502"):
                await client.activity("alice")
    finally:
        await runner.cleanup()
