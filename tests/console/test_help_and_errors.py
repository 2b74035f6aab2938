"""Console tests for /help and the friendly errors every command shares."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.commands import REGISTRY
from bot.dispatch import Dispatcher
from bot.registry import Command, Example, Registry, Role
from bot.replies import Reply, Table, Visibility
from storage.models import Cohort, Member, Tenant
from storage.scope import system_session

COMMANDS = [pytest.param(c, id=c.name) for c in REGISTRY]


async def count(console: ConsoleAdapter, model: type) -> int:
    async with system_session(console.app.sessions) as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


# -- /help ------------------------------------------------------------------------------------


async def test_help_lists_every_command(console: ConsoleAdapter) -> None:
    reply = await console.ask("alice", "/help")
    table = reply.blocks[0]
    assert isinstance(table, Table)
    listed = {row[0]: row[1] for row in table.rows}
    assert set(listed) == {f"/{c.name}" for c in REGISTRY}
    for command in REGISTRY:
        summary = listed[f"/{command.name}"]
        assert summary.startswith(command.summary)
        assert summary.endswith("(coach)") == (command.role is Role.COACH)
    assert "Type `/help COMMAND` for its options and examples." in reply.plain_text()


async def test_help_for_apply(console: ConsoleAdapter) -> None:
    reply = await console.say("alice", "/help apply")
    assert reply.startswith("*/apply* — Log a job application")
    assert "Usage: /apply COMPANY ROLE [url=URL]" in reply
    assert "Options:" in reply
    assert "  COMPANY — the company" in reply
    assert "  [follow-up=FOLLOW_UP] — when to follow up" in reply
    assert "Examples:" in reply
    assert '  /apply Stripe "Platform Engineer"' in reply
    assert "Only coaches can run this." not in reply
    assert await console.say("alice", "/help /APPLY") == reply


@pytest.mark.parametrize("command", COMMANDS)
async def test_help_for_each_command(console: ConsoleAdapter, command: Command) -> None:
    reply = await console.say("alice", f"/help {command.name}")
    assert reply.startswith(f"*/{command.name}* — {command.summary}")
    assert f"Usage: {command.usage()}" in reply
    for example in command.examples:
        assert f"  {example.text}" in reply
    assert ("Only coaches can run this." in reply) == (command.role is Role.COACH)


async def test_help_for_a_command_lists_the_valid_choices(console: ConsoleAdapter) -> None:
    """Issue 14: `/help app stage` and `/help cohort prompt` named no valid value."""
    stage = await console.say("anna", "/help app stage")
    assert "STAGE — the new stage (one of: interested, applied," in stage and "rejected" in stage
    prompt = await console.say("anna", "/help cohort prompt")
    assert "KIND — which prompt (one of: standup," in prompt and "leaderboard" in prompt
    short = await console.say("anna", "/help cohort settings")
    assert "[mention-missing=on|off] — mention members" in short
    assert "(one of: on, off)" not in short  # the usage shows them already


async def test_help_lists_coach_only_commands_once_marked(console: ConsoleAdapter) -> None:
    assert "(coach) (coach)" not in await console.say("anna", "/help")


async def test_a_week_is_last_week_or_this_week(cohort: ConsoleAdapter) -> None:
    reply = await cohort.ask("coach", '/cohort report week="last week"')
    assert reply.ok, reply.plain_text()


async def test_help_for_a_group_lists_its_subcommands(console: ConsoleAdapter) -> None:
    reply = await console.ask("alice", "/help cohort")
    (table,) = reply.blocks
    assert table.title == "/cohort commands"
    expected = sorted(f"/{c.name}" for c in REGISTRY if c.group == "cohort")
    assert "/cohort create" in expected and "/cohort settings" in expected
    assert [row[0] for row in table.rows] == expected
    assert (
        "/cohort join",
        "Join a cohort by name (and its invite code, if it has one)",
    ) in table.rows


async def test_help_for_an_unknown_command(console: ConsoleAdapter) -> None:
    reply = await console.say("alice", "/help frobnicate")
    assert reply.startswith("⚠️ There is no command `/frobnicate`.")
    assert "Type `/help` to list them." in reply


# -- unknown commands, groups and empty input --------------------------------------------------


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ("/aply", "/apply"),
        ("/aply x y", "/apply"),
        ("/aply Stripe Engineer", "/apply"),  # arguments must not steer the suggestion
        ("/leaderbord", "/leaderboard"),
        ("/streek", "/streak"),
        ("/practise 30m", "/practice"),
    ],
)
async def test_unknown_command_suggests_a_close_one(
    console: ConsoleAdapter, line: str, suggestion: str
) -> None:
    reply = await console.say("alice", line)
    word = line.split()[0]
    assert reply.startswith(f"⚠️ I don't know the command `{word}`. Did you mean `{suggestion}`?")
    assert "Try `/help` to see every command." in reply
    assert await count(console, Member) == 0


async def test_unknown_command_with_nothing_close(console: ConsoleAdapter) -> None:
    reply = await console.say("alice", "/xyzzy")
    assert reply.startswith("⚠️ I don't know the command `/xyzzy`.")
    assert "Did you mean" not in reply


@pytest.mark.parametrize("line", ["/cohort", "/cohort setings", "/COHORT"])
async def test_group_alone_lists_its_subcommands(console: ConsoleAdapter, line: str) -> None:
    reply = await console.say("alice", line)
    subs = ", ".join(sorted(c.words[1] for c in REGISTRY if c.group == "cohort"))
    assert "create" in subs and "settings" in subs
    assert reply.startswith(f"⚠️ `/cohort` needs one of: {subs}.")


@pytest.mark.parametrize("line", ["", "   ", "/", "/ob"])
async def test_empty_input(console: ConsoleAdapter, line: str) -> None:
    reply = await console.ask("alice", line)
    assert not reply.ok
    assert reply.visibility is Visibility.PRIVATE
    assert reply.plain_text() == "⚠️ Type a command.\nTry `/help` to see them all."


async def test_commands_are_case_insensitive_and_take_the_ob_prefix(
    cohort: ConsoleAdapter,
) -> None:
    assert "Logged 30m of practice" in await cohort.say("alice", "/PRACTICE 30m")
    assert "Logged 30m of practice" in await cohort.say("alice", "/ob practice 30m")


# -- argument errors --------------------------------------------------------------------------


async def test_unknown_option_names_the_known_ones(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/practice 30m colour=red")
    assert reply.startswith("⚠️ `/practice` has no option `colour=`.")
    assert "Its options: duration=, what=, link=, date=, force=." in reply
    assert "Usage: `/practice DURATION [WHAT...] [link=LINK] [date=DATE] [force=yes|no]`" in reply
    assert "Example: `/practice 45m leetcode arrays`" in reply


async def test_unclosed_quote(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", '/apply Stripe "Backend Engineer')
    assert reply.startswith("⚠️ A quote is not closed.")


async def test_extra_words(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/cohort leave right now")
    assert reply.startswith("⚠️ I don't know what to do with `right now`.")
    assert "Usage: `/cohort leave`" in reply
    assert "Fall 2026" in await cohort.say("alice", "/me")


async def test_option_given_twice(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/practice 30m date=today date=yesterday")
    assert reply.startswith("⚠️ `date=` is given twice.")


async def test_errors_are_private_and_not_ok(cohort: ConsoleAdapter) -> None:
    reply = await cohort.ask("alice", "/kudos @alice me")
    assert not reply.ok
    assert reply.visibility is Visibility.PRIVATE


# -- unexpected failures ------------------------------------------------------------------------


async def _boom(ctx, **values) -> Reply:
    await ctx.repo.add(Cohort(name="Ghost", created_at=ctx.now))
    ctx.member.display_name = "changed"
    raise RuntimeError("database password is hunter2")


BOOM = Command(
    name="boom",
    summary="Always fails",
    handler=_boom,
    examples=(Example("/boom", "never"),),
)


async def test_unexpected_exception_is_friendly_and_writes_nothing(
    console: ConsoleAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    app = console.app
    dispatcher = Dispatcher(Registry([BOOM]), app.sessions, app.clock, app.settings)
    with caplog.at_level(logging.ERROR, logger="offerbound.core"):
        reply = await dispatcher.handle(console.invocation("zed", text="/boom"))
    text = reply.plain_text()
    assert not reply.ok
    assert reply.visibility is Visibility.PRIVATE
    assert text.startswith("Sorry, something went wrong on our side and nothing was saved.")
    assert "tell your coach" in text
    for leak in ("Traceback", "RuntimeError", "hunter2", "boom.py", 'File "'):
        assert leak not in text
    # the failure is logged for operators, with its traceback
    (record,) = [r for r in caplog.records if r.getMessage() == "command failed"]
    assert record.exc_info is not None
    # the whole transaction was rolled back: no cohort, no member, not even the tenant
    assert await count(console, Cohort) == 0
    assert await count(console, Member) == 0
    assert await count(console, Tenant) == 0


async def test_unexpected_exception_leaves_existing_rows_alone(cohort: ConsoleAdapter) -> None:
    app = cohort.app
    dispatcher = Dispatcher(Registry([BOOM]), app.sessions, app.clock, app.settings)
    reply = await dispatcher.handle(cohort.invocation("alice", text="/boom"))
    assert "something went wrong on our side" in reply.plain_text()
    async with system_session(app.sessions) as session:
        names = (await session.scalars(select(Cohort.name))).all()
        alice = await session.scalar(select(Member).where(Member.platform_user_id == "alice"))
    assert names == ["Fall 2026"]
    assert alice is not None and alice.display_name == "alice"
    # the real app still works afterwards
    assert "Logged 30m of practice" in await cohort.say("alice", "/practice 30m")
