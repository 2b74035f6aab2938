"""Issue 14: members are found by their current name, their former names and their mention."""

from __future__ import annotations

from dataclasses import replace

from adapters.console import ConsoleAdapter


async def say_renamed(console: ConsoleAdapter, user: str, new_name: str, line: str) -> str:
    """``line`` from ``user``'s account, now called ``new_name`` on the platform."""
    invocation = replace(console.invocation(user, text=line), user_name=new_name)
    return console.render(await console.app.handle(invocation))


async def test_a_member_renamed_on_the_platform_is_found_by_both_names(
    cohort: ConsoleAdapter,
) -> None:
    await say_renamed(cohort, "bob", "Robert", "/stats")
    members = await cohort.say("coach", "/cohort members")
    assert "Robert" in members and "bob" not in members
    assert "Robert" in await cohort.say("coach", "/stats member=@Robert")
    assert "Robert" in await cohort.say("coach", "/stats member=@bob")  # the former name
    assert "Robert" in await cohort.say("coach", "/stats member=robert")


async def test_a_name_chosen_with_me_stays_until_the_platform_renames_again(
    cohort: ConsoleAdapter,
) -> None:
    await cohort.say("alice", "/me name=Ali")
    await cohort.say("alice", "/stats")  # the platform still says "alice": Ali stays
    assert "Ali" in await cohort.say("coach", "/stats member=@alice")
    assert "Ali" in await cohort.say("coach", "/stats member=Ali")
    await say_renamed(cohort, "alice", "Alicia", "/stats")
    for name in ("Alicia", "Ali", "alice"):
        assert "Alicia" in await cohort.say("coach", f"/stats member={name}"), name


async def test_a_current_name_wins_over_someone_elses_former_name(cohort: ConsoleAdapter) -> None:
    await say_renamed(cohort, "bob", "Robert", "/stats")
    await say_renamed(cohort, "alice", "bob", "/stats")  # alice now goes by bob
    reply = await cohort.say("coach", "/stats member=bob")
    assert "Robert" not in reply and "bob" in reply
