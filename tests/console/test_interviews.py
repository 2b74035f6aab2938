"""/interview (issue 16: interview prep beyond counting hours): log interviews and mocks with the
questions, how it went and what to improve; a mock run by a cohort mate counts for both."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console import ConsoleAdapter
from tests.worst_case import HOSTILE


async def test_an_interview_is_logged_listed_and_shown(cohort: ConsoleAdapter) -> None:
    logged = await cohort.say(
        "alice",
        '/interview log technical mock=yes with="Sam (alumnus)" questions="two-sum, LRU cache" '
        'went="solved both, slow start" improve="say the plan first"',
    )
    assert "Logged mock technical interview I1" in logged
    listed = await cohort.say("alice", "/interview list")
    assert "I1" in listed and "technical (mock)" in listed and "Sam (alumnus)" in listed
    assert "1 logged (1 mock)." in listed
    shown = await cohort.say("alice", "/interview show I1")
    for part in ("two-sum, LRU cache", "solved both, slow start", "say the plan first"):
        assert part in shown


async def test_an_interview_for_an_application_takes_its_company(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    logged = await cohort.say("alice", "/interview log behavioural app=A1 date=yesterday")
    assert "behavioural interview I1 for Stripe" in logged
    shown = await cohort.say("alice", "/interview show I1")
    assert "A1" in shown and "Stripe" in shown
    refused = await cohort.ask("alice", "/interview log behavioural app=A9")
    assert not refused.ok and "You have no application A9" in refused.plain_text()


async def test_a_mock_run_by_a_cohort_mate_counts_for_both(cohort: ConsoleAdapter) -> None:
    logged = await cohort.say("alice", '/interview log system-design by=@bob went="good"')
    assert "It counts for bob too" in logged and "mock system-design" in logged
    given = await cohort.say("bob", "/interview list")
    assert "you ran it for alice" in given
    assert "0 logged (0 mocks), 1 mock you ran for others." in given
    self_run = await cohort.ask("alice", "/interview log technical by=@alice")
    assert not self_run.ok and self_run.field == "by"


async def test_nobody_else_can_see_or_name_my_interviews(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/interview log screen went="private notes"')
    other = await cohort.ask("bob", "/interview show I1")
    assert not other.ok and "You have no interview I1" in other.plain_text()
    assert "private notes" not in await cohort.say("bob", "/interview list")


async def test_bad_input_names_the_field_and_saves_nothing(cohort: ConsoleAdapter) -> None:
    kind = await cohort.ask("alice", "/interview log chat")
    assert not kind.ok and kind.field == "kind"
    assert "technical" in kind.plain_text()
    long = await cohort.ask("alice", f'/interview log technical went="{"x" * 2001}"')
    assert not long.ok and long.field == "went"
    assert "No interviews yet" in await cohort.say("alice", "/interview list")


async def test_hostile_text_stays_text(cohort: ConsoleAdapter) -> None:
    reply = await cohort.ask("alice", f'/interview log technical went="{HOSTILE}"')
    assert reply.ok
    shown = (await cohort.ask("alice", "/interview show I1")).plain_text()
    assert "@everyone" not in shown and "<!here>" not in shown  # defused: nobody is pinged
    assert "@\u2060everyone" in shown and "[free nitro](https://evil.example)" in shown


async def test_forgetting_the_mentor_keeps_the_mock_without_their_name(
    cohort: ConsoleAdapter, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 18, 12, tzinfo=UTC), tick=False)
    await cohort.say("alice", '/interview log technical by=@bob went="ok"')
    await cohort.say("bob", "/privacy forget confirm=yes")
    shown = await cohort.say("alice", "/interview show I1")
    assert "bob" not in shown and "ok" in shown
    assert "You have been forgotten" in await cohort.say("alice", "/privacy forget confirm=yes")


async def test_deleting_the_application_keeps_its_interviews(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    await cohort.say("alice", '/interview log behavioural app=A1 went="fine"')
    assert "Deleted A1" in await cohort.say("alice", "/delete A1")
    shown = await cohort.say("alice", "/interview show I1")
    assert "fine" in shown and "Stripe" in shown  # the company stays, the link goes
