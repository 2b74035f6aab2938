"""Console tests for /stats, /leaderboard and /kudos."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.mentions import has_live_mention
from bot.replies import Reply, Table, Visibility
from storage.models import Kudos
from storage.scope import system_session


def tables(reply: Reply) -> dict[str, Table]:
    return {b.title: b for b in reply.blocks if isinstance(b, Table)}


async def stats_table(console: ConsoleAdapter, user: str, line: str = "/stats") -> Table:
    reply = await console.ask(user, line)
    assert reply.ok, reply.plain_text()
    return reply.blocks[0]


async def leaderboard(console: ConsoleAdapter, user: str) -> tuple[list[tuple[str, ...]], str]:
    reply = await console.ask(user, "/leaderboard")
    assert reply.ok, reply.plain_text()
    assert reply.visibility is Visibility.PRIVATE
    table = reply.blocks[0]
    assert isinstance(table, Table)
    assert table.columns == ("rank", "member", "apps", "outreach", "practice", "streak", "score")
    return list(table.rows), reply.plain_text()


async def log_week(console: ConsoleAdapter) -> None:
    """alice this week: 2 applications, 1 contact, 2 practice days (90m), 2h research."""
    await console.say("alice", '/apply Stripe "Backend Engineer"')
    await console.say("alice", '/apply Acme "Developer" date=2026-11-16 force=yes')
    await console.say("alice", '/outreach "Jane Doe" company=Stripe')
    await console.say("alice", "/practice 1h")
    await console.say("alice", "/practice 30m date=2026-11-17 force=yes")
    await console.say("alice", "/hours research 2h")


# -- /stats -----------------------------------------------------------------------------------


async def test_stats_week_against_targets(cohort: ConsoleAdapter) -> None:
    await log_week(cohort)
    reply = await cohort.ask("alice", "/stats")
    week = reply.blocks[0]
    assert week.title == "Your week, Nov 16-22"
    assert [row[:2] for row in week.rows] == [
        ("Applications", "2/10"),
        ("Outreach", "1/10"),
        ("Practice days", "2/5"),
        ("Hours", "3h 30m/40h"),  # 2h logged plus 90m of practice
    ]
    assert week.rows[0][2] == "██░░░░░░░░"
    assert week.rows[2][2] == "████░░░░░░"
    by_category = tables(reply)["Hours by category"]
    assert by_category.rows == (("Coding", "1h 30m"), ("Research & tracking", "2h"))
    assert "Still to go this week: applications, outreach, practice, hours." in (reply.plain_text())


async def test_stats_practice_adds_to_logged_coding_hours(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/hours coding 1h")
    await cohort.say("alice", "/practice 45m")
    reply = await cohort.ask("alice", "/stats")
    assert tables(reply)["Hours by category"].rows == (("Coding", "1h 45m"),)
    assert reply.blocks[0].rows[3][1] == "1h 45m/40h"


async def test_stats_four_week_trend(cohort: ConsoleAdapter) -> None:
    await log_week(cohort)
    await cohort.say("alice", '/apply Old "Developer" date=2026-10-28 force=yes')
    await cohort.say("alice", '/outreach "Sam" date=2026-11-04 force=yes')
    await cohort.say("alice", "/practice 2h date=2026-11-11 force=yes")
    await cohort.say(
        "alice", '/apply Older "Developer" date=2026-10-20 force=yes'
    )  # five weeks back
    trend = tables(await cohort.ask("alice", "/stats"))["Trend (last four weeks)"]
    assert trend.columns == ("week", "apps", "outreach", "practice", "hours")
    assert trend.rows == (
        ("Oct 26-Nov 1", "1", "0", "0", "0h"),
        ("Nov 2-8", "0", "1", "0", "0h"),
        ("Nov 9-15", "0", "0", "1", "2h"),
        ("Nov 16-22", "2", "1", "2", "3h 30m"),
    )


async def test_stats_for_an_earlier_week(cohort: ConsoleAdapter) -> None:
    await log_week(cohort)
    await cohort.say("alice", '/apply Old "Developer" date=2026-11-10 force=yes')
    reply = await cohort.ask("alice", "/stats week=2026-11-12")
    week = reply.blocks[0]
    assert week.title == "Your week, Nov 9-15"
    assert [row[1] for row in week.rows] == ["1/10", "0/10", "0/5", "0h/40h"]
    trend = tables(reply)["Trend (last four weeks)"]
    assert [row[0] for row in trend.rows] == ["Oct 19-25", "Oct 26-Nov 1", "Nov 2-8", "Nov 9-15"]
    assert "Still to go" not in reply.plain_text()  # only said about the current week


async def test_stats_every_target_met(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort settings applications=1 outreach=0 practice=1 hours=1")
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    await cohort.say("alice", "/practice 1h")
    assert "🏆 Every target met. Outstanding!" in await cohort.say("alice", "/stats")


async def test_stats_bad_week(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/stats week=whenever")
    assert reply.startswith("⚠️ `week`")
    assert "Usage: `/stats" in reply


async def test_coach_sees_a_members_stats(cohort: ConsoleAdapter) -> None:
    await log_week(cohort)
    week = await stats_table(cohort, "coach", "/stats member=@alice")
    assert week.title == "alice's week, Nov 16-22"
    assert week.rows[0][1] == "2/10"
    # the coach's own stats are still theirs
    assert (await stats_table(cohort, "coach")).title == "Your week, Nov 16-22"


async def test_member_is_refused_another_members_stats(cohort: ConsoleAdapter) -> None:
    await log_week(cohort)
    reply = await cohort.say("bob", "/stats member=@alice")
    assert reply.startswith("⚠️ Only coaches can see another member's details.")
    assert "2/10" not in reply
    # asking about yourself by name is fine
    assert (await stats_table(cohort, "alice", "/stats member=alice")).title.startswith("Your")


async def test_stats_unknown_member(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("coach", "/stats member=@zed")
    assert reply.startswith("⚠️ I can't find zed in your cohort.")


# -- /leaderboard -----------------------------------------------------------------------------


async def test_leaderboard_score_and_rank(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')  # 3
    await cohort.say("alice", '/outreach "Jane Doe"')  # 2
    await cohort.say("alice", "/practice 30m")  # 1
    await cohort.say("alice", "/practice 30m date=yesterday force=yes")  # 1
    await cohort.say("bob", '/outreach "Sam"')  # 2
    rows, text = await leaderboard(cohort, "bob")
    assert rows == [
        ("#1", "alice", "1", "1", "2", "2", "7"),
        ("#2", "bob (you)", "0", "1", "0", "0", "2"),
    ]
    assert "You are #2 of 2." in text
    assert "Fall 2026 leaderboard, week of Nov 16-22" in text
    assert (
        "Score = 3 per application + 2 per outreach contact + 1 per practice day in the week."
        in text
    )


async def test_leaderboard_ties_share_a_rank(cohort: ConsoleAdapter) -> None:
    await cohort.say("carol", '/cohort join "Fall 2026"')
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')  # 3
    await cohort.say("bob", '/outreach "Sam"')  # 2
    await cohort.say("bob", "/practice 30m")  # 1
    await cohort.say("carol", "/practice 30m")  # 1
    rows, text = await leaderboard(cohort, "bob")
    assert [(r[0], r[1], r[-1]) for r in rows] == [
        ("#1", "alice", "3"),
        ("#1", "bob (you)", "3"),
        ("#3", "carol", "1"),
    ]
    assert "You are #1 of 3 (tied)." in text
    _, carol = await leaderboard(cohort, "carol")
    assert "You are #3 of 3." in carol
    assert "(tied)" not in carol


async def test_leaderboard_anonymous(cohort: ConsoleAdapter) -> None:
    await cohort.say("bob", "/me leaderboard=anonymous")
    await cohort.say("bob", '/apply Stripe "Backend Engineer"')
    rows, text = await leaderboard(cohort, "alice")
    assert ("#1", "(anonymous)", "1", "0", "0", "0", "3") in rows
    assert "bob" not in text
    own, _ = await leaderboard(cohort, "bob")
    assert own[0][1] == "bob (you)"


async def test_leaderboard_hidden(cohort: ConsoleAdapter) -> None:
    await cohort.say("bob", "/me leaderboard=hidden")
    await cohort.say("bob", '/apply Stripe "Backend Engineer"')
    rows, text = await leaderboard(cohort, "alice")
    assert [r[1] for r in rows] == ["alice (you)"]
    assert "bob" not in text
    assert "(anonymous)" not in text
    assert "You are #2 of 2." in text
    own, own_text = await leaderboard(cohort, "bob")
    assert [r[:2] for r in own] == [("#1", "bob (you)"), ("#2", "alice")]
    assert "You are #1 of 2." in own_text


@pytest.mark.parametrize("status", ["status=paused until=2026-11-30", "status=hired"])
async def test_leaderboard_excludes_paused_and_hired(cohort: ConsoleAdapter, status: str) -> None:
    await cohort.say("bob", '/apply Stripe "Backend Engineer"')
    await cohort.say("bob", f"/me {status}")
    rows, text = await leaderboard(cohort, "alice")
    assert [r[1] for r in rows] == ["alice (you)"]
    assert "You are #1 of 1." in text
    _, bobs = await leaderboard(cohort, "bob")
    assert "You are #" not in bobs


async def test_leaderboard_for_a_coach_has_no_own_rank(cohort: ConsoleAdapter) -> None:
    rows, text = await leaderboard(cohort, "coach")
    assert [r[1] for r in rows] == ["alice", "bob"]
    assert [r[0] for r in rows] == ["#1", "#1"]
    assert "You are #" not in text


async def test_leaderboard_mentions_kudos(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/kudos @bob thanks!")
    _, text = await leaderboard(cohort, "alice")
    assert "💛 1 kudos shared this week." in text


async def test_leaderboard_requires_a_cohort(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("dana", "/leaderboard")
    assert reply.startswith("⚠️ You are not in a cohort yet.")
    assert "/cohort join NAME" in reply


async def test_leaderboard_with_nobody_searching(cohort: ConsoleAdapter) -> None:
    for user in ("alice", "bob"):
        await cohort.say(user, "/me status=hired")
    reply = await cohort.say("coach", "/leaderboard")
    assert reply.startswith("⚠️ Nobody in the cohort is searching yet")


# -- /kudos -----------------------------------------------------------------------------------


async def test_kudos_posts_to_the_channel(cohort: ConsoleAdapter) -> None:
    reply = await cohort.ask("alice", "/kudos @bob thanks for the mock interview!")
    assert reply.ok
    assert reply.visibility is Visibility.CHANNEL
    assert reply.plain_text() == "💛 alice sends kudos to bob: thanks for the mock interview!"
    assert (await cohort.say("alice", "/kudos bob again")).startswith("[to the cohort channel]")
    async with system_session(cohort.app.sessions) as session:
        rows = (await session.scalars(select(Kudos).order_by(Kudos.id))).all()
    assert [r.message for r in rows] == ["thanks for the mock interview!", "again"]


async def test_self_kudos_is_refused(cohort: ConsoleAdapter) -> None:
    reply = await cohort.ask("alice", "/kudos @alice I am great")
    assert not reply.ok
    assert reply.visibility is Visibility.PRIVATE
    assert reply.plain_text().startswith("⚠️ Kudos are for cohort mates")
    async with system_session(cohort.app.sessions) as session:
        assert (await session.scalars(select(Kudos))).all() == []


async def test_kudos_unknown_member(cohort: ConsoleAdapter) -> None:
    await cohort.say("dana", "/me")  # exists, but is not in the cohort
    for who in ("@zed", "@dana"):
        reply = await cohort.say("alice", f"/kudos {who} thanks")
        assert reply.startswith(f"⚠️ I can't find {who[1:]} in your cohort.")
    async with system_session(cohort.app.sessions) as session:
        assert (await session.scalars(select(Kudos))).all() == []


async def test_kudos_needs_a_message(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/kudos @bob")
    assert reply.startswith("⚠️ `/kudos` needs MESSAGE")


async def test_kudos_needs_a_cohort(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("dana", "/kudos @bob thanks")
    assert reply.startswith("⚠️ You are not in a cohort yet.")


@pytest.mark.parametrize(
    "message",
    ["hey @everyone look", "<!channel> bob rocks", "@here @channel", "<!here> and <@U123ABC>"],
)
async def test_kudos_text_cannot_ping(cohort: ConsoleAdapter, message: str) -> None:
    reply = await cohort.ask("alice", f'/kudos @bob "{message}"')
    assert reply.ok, reply.plain_text()
    assert reply.visibility is Visibility.CHANNEL
    text = reply.plain_text()
    assert not has_live_mention(text), text
    assert "bob" in text
    async with system_session(cohort.app.sessions) as session:
        (row,) = (await session.scalars(select(Kudos))).all()
    assert not has_live_mention(row.message)


async def test_kudos_from_a_member_named_like_a_mass_mention(cohort: ConsoleAdapter) -> None:
    await cohort.say("@channel", '/cohort join "Fall 2026"')
    reply = await cohort.ask("@channel", "/kudos @bob thanks")
    assert reply.ok, reply.plain_text()
    assert not has_live_mention(reply.plain_text()), reply.plain_text()


async def test_coach_stats_use_the_members_local_week(cohort: ConsoleAdapter, time_machine) -> None:
    await cohort.say("alice", "/me timezone=Asia/Tokyo")
    # Sun Nov 22 20:00 UTC: still Sunday for the coach (UTC), already Mon Nov 23 for alice
    time_machine.move_to(datetime(2026, 11, 22, 20, 0, tzinfo=UTC), tick=False)
    await cohort.say("alice", "/practice 1h")
    assert (await stats_table(cohort, "alice")).rows[2][1] == "1/5"
    report = await cohort.ask("coach", "/cohort report")
    rows = {row[0]: row for row in report.blocks[0].rows}
    assert rows["alice"][3] == "1/5"
    week = await stats_table(cohort, "coach", "/stats member=@alice")
    assert week.title == "alice's week, Nov 23-29"
    assert week.rows[2][1] == "1/5"


async def test_the_leaderboard_post_keeps_anonymous_members_anonymous_in_kudos(
    cohort: ConsoleAdapter,
) -> None:
    from bot.leaderboard import leaderboard_blocks
    from storage.models import Cohort
    from storage.repository import TenantRepository, TenantsDirectory

    await cohort.say("bob", "/me leaderboard=anonymous")
    await cohort.say("alice", "/kudos @bob thanks for the mock interview!")
    await cohort.say("bob", "/kudos @alice you're a star")
    async with cohort.app.sessions() as session:
        tenant = await TenantsDirectory(session).find("console", "local")
        assert tenant is not None
        repo = TenantRepository(session, tenant.id)
        [fall] = await repo.cohorts()
        assert isinstance(fall, Cohort)
        blocks = await leaderboard_blocks(repo, fall, cohort.app.clock.now())  # the channel post
    text = "\n".join(str(b) for b in blocks)
    assert "alice → (anonymous): thanks for the mock interview!" in text
    assert "(anonymous) → alice: you're a star" in text
    assert "bob" not in text
