"""/github commands end to end: the real client, a fake GitHub API, the console and a database."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.github.sync import sync_due
from bot.replies import Fields
from storage.models import GithubLink, Member, PracticeLog
from storage.scope import system_session
from tests.fakes.github_api import FakeGithubAPI

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # the `frozen` Wednesday; 10:00 in New York


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def github_days(console: ConsoleAdapter, user: str = "alice") -> dict[date, PracticeLog]:
    async with system_session(console.app.sessions) as session:
        member_id = await session.scalar(select(Member.id).where(Member.platform_user_id == user))
        rows = await session.scalars(
            select(PracticeLog).where(
                PracticeLog.member_id == member_id, PracticeLog.source == "github"
            )
        )
        return {row.day: row for row in rows}


async def link_row(console: ConsoleAdapter) -> GithubLink:
    async with system_session(console.app.sessions) as session:
        link = await session.scalar(select(GithubLink))
        assert link is not None
        return link


async def fields(console: ConsoleAdapter, text: str, user: str = "alice") -> dict[str, str]:
    reply = await console.ask(user, text)
    assert reply.ok, reply.plain_text()
    (block,) = [b for b in reply.blocks if isinstance(b, Fields)]
    return dict(block.fields)


async def test_link_checks_the_account_and_sync_reads_commits(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    github.add_commit("alice", "daily_practice", utc(2026, 11, 18, 9))
    reply = await cohort.say("alice", "/github link alice daily_practice")
    assert "Linked GitHub: alice/daily_practice" in reply
    (check,) = github.requests  # the owner's repository answered: one request is enough
    assert check.path == "/repos/alice/daily_practice/commits"
    github.requests.clear()
    reply = await cohort.say("alice", "/github sync")
    assert "1 new practice day (Wed Nov 18)" in reply, reply
    assert "Streak: 1 day" in reply
    (request,) = github.requests
    assert request.path == "/repos/alice/daily_practice/commits"
    assert request.query["author"] == "alice"
    row = (await github_days(cohort))[date(2026, 11, 18)]
    assert (row.minutes, row.what, row.source) == (0, "1 commit in daily_practice", "github")
    assert row.link.endswith(
        "/alice/daily_practice/commit/" + github.commits["alice/daily_practice"][0]["sha"]
    )


async def test_commits_land_on_local_days_across_midnight(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    await cohort.say("alice", "/me timezone=America/New_York")
    github.add_commit("alice", "daily_practice", utc(2026, 11, 18, 4, 30))  # Tue 23:30 EST
    github.add_commit("alice", "daily_practice", utc(2026, 11, 18, 4, 50))  # Tue 23:50 EST
    github.add_commit("alice", "daily_practice", utc(2026, 11, 18, 5, 30))  # Wed 00:30 EST
    await cohort.say("alice", "/github link alice daily_practice")
    await cohort.say("alice", "/github sync")
    days = await github_days(cohort)
    assert sorted(days) == [date(2026, 11, 17), date(2026, 11, 18)]
    assert days[date(2026, 11, 17)].what == "2 commits in daily_practice"
    assert "/commits/" in days[date(2026, 11, 17)].link  # the history from that day's last
    assert days[date(2026, 11, 18)].what == "1 commit in daily_practice"


async def test_commits_land_on_local_days_across_a_dst_change(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    # New York leaves daylight time at 06:00 UTC on Sun Nov 1 2026 (EDT -4h -> EST -5h).
    await cohort.say("alice", "/me timezone=America/New_York")
    github.add_commit("alice", "daily_practice", utc(2026, 10, 31, 4, 30))  # Sat 00:30 EDT
    github.add_commit("alice", "daily_practice", utc(2026, 11, 2, 4, 30))  # Sun 23:30 EST
    await cohort.say("alice", "/github link alice daily_practice")
    await cohort.say("alice", "/github sync")
    # A fixed -5h offset would put the first on Fri Oct 30; a fixed -4h the second on Mon Nov 2.
    assert sorted(await github_days(cohort)) == [date(2026, 10, 31), date(2026, 11, 1)]


async def test_unchanged_etag_writes_nothing(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    github.add_commit("alice", "daily_practice", utc(2026, 11, 17, 12))
    github.add_commit("alice", "daily_practice", utc(2026, 11, 18, 12))
    await cohort.say("alice", "/github link alice daily_practice")
    await cohort.say("alice", "/github sync")
    first = await github_days(cohort)
    etag = (await link_row(cohort)).etag
    assert etag
    reply = await cohort.say("alice", "/github sync")
    assert "Nothing new on GitHub" in reply, reply
    assert github.requests[-1].headers.get("If-None-Match") == etag
    assert github.requests[-1].status == 304
    second = await github_days(cohort)
    assert {d: r.id for d, r in second.items()} == {d: r.id for d, r in first.items()}
    # A new commit on a day already counted updates that day's row instead of adding one.
    github.add_commit("alice", "daily_practice", utc(2026, 11, 18, 13))
    await cohort.say("alice", "/github sync")
    third = await github_days(cohort)
    assert {d: r.id for d, r in third.items()} == {d: r.id for d, r in first.items()}
    assert third[date(2026, 11, 18)].what == "2 commits in daily_practice"


async def test_rate_limit_is_reported_and_retried_after_the_reset(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime, time_machine
) -> None:
    github.add_commit("alice", "daily_practice", utc(2026, 11, 18, 12))
    await cohort.say("alice", "/github link alice daily_practice")
    reset = NOW + timedelta(minutes=40)
    github.rate_limit(reset)
    reply = await cohort.say("alice", "/github sync")
    assert "API limit was reached" in reply, reply
    assert "again after today 15:40 (your time)" in reply
    assert "⚠️" not in reply
    status = await fields(cohort, "/github status")
    assert status["Next try"] == "today 15:40 (your time)"
    assert "API limit" in status["Problem"]
    # Before the reset neither the job nor /github sync asks GitHub again.
    asked = len(github.requests)
    time_machine.move_to(NOW + timedelta(minutes=20), tick=False)
    assert await sync_due(cohort.app.sessions, cohort.app.settings, cohort.app.clock) == {}
    assert "again after" in await cohort.say("alice", "/github sync")
    assert len(github.requests) == asked
    assert await github_days(cohort) == {}
    # After it, the job's run reads the commits and clears the problem.
    time_machine.move_to(reset + timedelta(minutes=1), tick=False)
    (result,) = (
        await sync_due(cohort.app.sessions, cohort.app.settings, cohort.app.clock)
    ).values()
    assert result.added == [date(2026, 11, 18)]
    assert len(github.requests) == asked + 1
    link = await link_row(cohort)
    assert (link.retry_at, link.last_error) == (None, "")
    assert "Problem" not in await fields(cohort, "/github status")


async def test_rate_limit_in_the_job_stops_asking_for_everyone(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    github.add_commit("alice", "daily_practice", utc(2026, 11, 18, 12))
    github.add_commit("bob", "daily_practice", utc(2026, 11, 18, 12))
    await cohort.say("alice", "/github link alice daily_practice")
    await cohort.say("bob", "/github link bob daily_practice")
    github.requests.clear()
    github.rate_limit(NOW + timedelta(minutes=5), status=429, retry_after=300)
    results = await sync_due(cohort.app.sessions, cohort.app.settings, cohort.app.clock)
    assert [r.retry_at for r in results.values()] == [NOW + timedelta(minutes=5)] * 2
    assert len(github.requests) == 1  # the second link was not asked for at all


async def test_unknown_user_and_private_repo_are_refused_before_saving(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    """Issue 14: `/github link` saved any name; the mistake only showed at the next sync."""
    reply = await cohort.say("alice", "/github link nobody-here daily_practice")
    assert reply.startswith("⚠️ There is no GitHub user called nobody-here. Nothing is linked.")
    assert "github.com/NAME" in reply
    github.add_commit("alice", "secret", utc(2026, 11, 18, 12))
    github.private.add("alice/secret")
    reply = await cohort.say("alice", "/github link alice secret")
    assert reply.startswith("⚠️ I can't see the repository secret of GitHub user alice")
    assert "/github link alice daily_practice" in reply
    assert "There is no GitHub user called nobody-here" in await cohort.say(
        "alice", "/github link nobody-here"
    )
    assert "No GitHub account is linked" in await cohort.say("alice", "/github status")
    github.add_repo("bob", "katas")
    reply = await cohort.say("alice", "/github link alice bob/katas")  # someone else's repo
    assert "Linked GitHub: alice/bob/katas" in reply
    assert [r.path for r in github.requests][-2:] == ["/repos/bob/katas/commits", "/users/alice"]


async def test_an_account_gone_later_gets_a_clear_error_at_sync(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    github.add_repo("alice", "daily_practice")
    assert "Linked GitHub" in await cohort.say("alice", "/github link alice")
    github.users.discard("alice")
    reply = await cohort.say("alice", "/github sync")
    assert reply.startswith("⚠️"), reply
    assert "no GitHub user called alice" in reply
    # The hourly job records the problem where /github status shows it.
    await sync_due(cohort.app.sessions, cohort.app.settings, cohort.app.clock)
    status = await fields(cohort, "/github status")
    assert status["Problem"] == "There is no GitHub user called alice."


async def test_link_is_saved_unchecked_when_github_is_rate_limited(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    github.rate_limit(NOW + timedelta(minutes=5), status=429, retry_after=300)
    reply = await cohort.say("alice", "/github link alice daily_practice")
    assert "Linked GitHub: alice/daily_practice" in reply
    assert "I couldn't check it with GitHub just now: GitHub's API limit was reached" in reply


async def test_bad_names_are_refused_before_anything_is_saved(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    reply = await cohort.say("alice", "/github link -alice-")
    assert "is not a GitHub user name" in reply
    reply = await cohort.say("alice", '/github link alice "daily practice"')
    assert "is not a repository name" in reply
    assert "No GitHub account is linked" in await cohort.say("alice", "/github status")


async def test_link_forms_relink_and_unlink(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    github.add_repo("alice", "daily_practice")
    github.add_repo("alice", "katas")
    assert "alice/daily_practice" in await cohort.say(
        "alice", "/github link https://github.com/alice/daily_practice"
    )
    assert "alice/katas" in await cohort.say("alice", "/github link alice/katas")
    assert "all public repos" in await cohort.say("alice", "/github link @alice")
    github.add_push("alice", "katas", utc(2026, 11, 18, 12))
    github.add_push("alice", "daily_practice", utc(2026, 11, 18, 13), commits=3)
    assert "1 new practice day" in await cohort.say("alice", "/github sync")
    row = (await github_days(cohort))[date(2026, 11, 18)]
    assert row.what == "3 commits in katas, daily_practice"
    assert github.requests[-1].path == "/users/alice/events/public"
    assert "Unlinked GitHub: alice" in await cohort.say("alice", "/github unlink")
    assert await github_days(cohort)  # days already counted stay
    assert "nothing to unlink" in await cohort.say("alice", "/github unlink")


async def test_manual_and_github_logs_of_one_day_count_once(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    github.add_commit("alice", "daily_practice", utc(2026, 11, 17, 12))  # Tue: GitHub only
    github.add_commit("alice", "daily_practice", utc(2026, 11, 18, 9))  # Wed: both
    await cohort.say("alice", "/practice 30m katas")
    await cohort.say("alice", "/github link alice daily_practice")
    await cohort.say("alice", "/github sync")
    streak = await fields(cohort, "/streak")
    assert streak["Current streak"].startswith("2 days")
    assert streak["This week"] == "2 practice days of 5"
    stats = await cohort.say("alice", "/stats")
    assert "2/5" in stats, stats
    assert "30m" in stats
    report = await cohort.say("coach", "/cohort report")
    assert "2/5" in report, report
    board = await cohort.say("alice", "/leaderboard")
    # apps, outreach, practice days, streak, score: the shared day scores 1 point, not 2
    assert re.search(r"alice \(you\)\s+0\s+0\s+2\s+2\s+2\n", board), board


async def test_standup_form_shows_yesterdays_commits(
    cohort: ConsoleAdapter, github: FakeGithubAPI, frozen: datetime
) -> None:
    for hour in (10, 11, 12):
        github.add_commit("alice", "daily_practice", utc(2026, 11, 17, hour))
    await cohort.say("alice", "/github link alice daily_practice")
    await cohort.say("alice", "/github sync")
    reply = await cohort.ask("alice", "/standup")
    (form,) = reply.forms()
    assert "GitHub: 3 commits yesterday in daily_practice." in form.intro
    assert "GitHub" not in (await cohort.ask("bob", "/standup")).forms()[0].intro


async def test_sync_without_a_link_explains_how(cohort: ConsoleAdapter, frozen: datetime) -> None:
    reply = await cohort.say("alice", "/github sync")
    assert "No GitHub account is linked yet" in reply
    assert "/github link USER daily_practice" in reply


async def test_no_database_connection_is_held_while_github_answers(
    console: ConsoleAdapter, github: FakeGithubAPI
) -> None:
    """The commands (link and sync) and the hourly job let go of the database before asking
    GitHub."""
    checked_out: list[int] = []
    github.on_request = lambda: checked_out.append(console.app.engine.pool.checkedout())
    github.add_commit("alice", "daily_practice", utc(2026, 11, 17, 20))
    await console.say("alice", "/github link alice daily_practice")
    assert "new practice day" in await console.say("alice", "/github sync")
    github.add_commit("alice", "daily_practice", utc(2026, 11, 18, 9))
    await sync_due(console.app.sessions, console.app.settings, console.app.clock)
    assert checked_out and set(checked_out) == {0}, checked_out


async def test_a_second_sync_while_one_runs_is_refused_at_once(
    console: ConsoleAdapter, github: FakeGithubAPI
) -> None:
    import asyncio

    started = asyncio.Event()
    github.add_commit("alice", "daily_practice", utc(2026, 11, 17, 20))
    await console.say("alice", "/github link alice daily_practice")
    github.gate = asyncio.Event()  # GitHub answers slowly
    github.on_request = started.set
    first = asyncio.create_task(console.say("alice", "/github sync"))
    await asyncio.wait_for(started.wait(), 5)
    second = await console.say("alice", "/github sync")
    assert "already running" in second
    github.gate.set()
    assert "new practice day" in await asyncio.wait_for(first, 10)


async def test_a_sync_waiting_on_github_leaves_its_database_slot_to_others(
    console: ConsoleAdapter, github: FakeGithubAPI
) -> None:
    """With one slot for the whole process, another member's command still runs while a sync
    waits on a slow GitHub: the sync lends its slot (``Context.outside``)."""
    import asyncio

    from bot.locks import Slots

    console.app.dispatcher.slots = Slots(1)
    started = asyncio.Event()
    github.add_commit("alice", "daily_practice", utc(2026, 11, 17, 20))
    await console.say("alice", "/github link alice daily_practice")
    github.gate = asyncio.Event()
    github.on_request = started.set
    sync = asyncio.create_task(console.say("alice", "/github sync"))
    await asyncio.wait_for(started.wait(), 5)
    assert "Logged" in await asyncio.wait_for(console.say("bob", "/practice 30m katas"), 5)
    github.gate.set()
    assert "new practice day" in await asyncio.wait_for(sync, 10)
    assert console.app.dispatcher.slots.waiting == 0
