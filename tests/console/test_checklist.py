"""/checklist (issue 16: the plan's housekeeping): the cohort's template with due points, each
member's copy with status, note and link, the standup reminder, and the coach's view."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console import ConsoleAdapter
from bot.scheduling.pacer import Pacer
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.worker import DeliveryWorker
from tests.fakes.recording_deliverer import FakeDeliverer


async def test_a_member_starts_with_the_plans_housekeeping(cohort: ConsoleAdapter) -> None:
    shown = await cohort.say("alice", "/checklist show")
    assert "Your checklist: 0 of 5 done" in shown
    for task in ("calendar", "master résumé", "open to work", "three projects", "cover letter"):
        assert task in shown
    done = await cohort.say(
        "alice", '/checklist done 3 note="new headline" link=https://li.example/a'
    )
    assert "✅ Done: LinkedIn up to date" in done and "4 to go" in done
    shown = await cohort.say("alice", "/checklist show")
    assert "1 of 5 done" in shown and "new headline https://li.example/a" in shown
    started = await cohort.say("alice", "/checklist set 2 status=doing")
    assert "🔧 Started: A master résumé" in started
    assert "🔧 doing" in await cohort.say("alice", "/checklist show")


async def test_bad_numbers_and_empty_changes_are_refused(cohort: ConsoleAdapter) -> None:
    missing = await cohort.ask("alice", "/checklist done 9")
    assert not missing.ok and missing.field == "task"
    assert "There is no task 9 in your checklist (1-5)" in missing.plain_text()
    empty = await cohort.ask("alice", "/checklist set 2")
    assert not empty.ok and empty.field == "status"
    assert "0 of 5 done" in await cohort.say("alice", "/checklist show")


async def test_the_coach_edits_the_template_for_everyone(cohort: ConsoleAdapter) -> None:
    added = await cohort.say("coach", '/checklist template add="GitHub profile README" due=10')
    assert "Added: GitHub profile README" in added and "10 days after joining" in added
    review = await cohort.say("coach", '/checklist template add="Portfolio review" due=2026-12-04')
    assert "Added: Portfolio review" in review and "Fri Dec 4" in review
    assert "GitHub profile README" in await cohort.say("alice", "/checklist show")
    removed = await cohort.say("coach", "/checklist template remove=1")
    assert "Removed: A shareable calendar" in removed
    assert "of 6 done" in await cohort.say("bob", "/checklist show")
    bad = await cohort.ask("coach", '/checklist template add="x" due=someday')
    assert not bad.ok and bad.field == "due"
    member = await cohort.ask("alice", '/checklist template add="x"')
    assert not member.ok and "Only coaches" in member.plain_text()


async def test_the_coach_sees_completion_per_member(cohort: ConsoleAdapter, time_machine) -> None:
    await cohort.say("alice", "/checklist done 1")
    await cohort.say("alice", "/checklist set 2 status=skipped")
    time_machine.move_to(datetime(2026, 12, 10, 12, tzinfo=UTC), tick=False)
    view = await cohort.say("coach", "/checklist cohort")
    assert "alice" in view and "2/5" in view and "bob" in view and "0/5" in view
    assert "Cohort: 2 of 10 tasks done (20%)." in view


async def test_a_task_due_soon_comes_with_the_standup(cohort: ConsoleAdapter, time_machine) -> None:
    """The cohort fixture's members joined on Wed Nov 18: the calendar is due Sat Nov 21."""
    time_machine.move_to(datetime(2026, 11, 19, 9, 1, tzinfo=UTC), tick=False)
    app = cohort.app
    now = app.clock.now()
    await PromptPlanner(app.sessions).plan_all(now.replace(hour=8), now)
    deliverer = FakeDeliverer()
    worker = DeliveryWorker(
        app.sessions, {"console": deliverer}, app.clock, "w", pacer=Pacer(enabled=False)
    )
    await worker.drain()
    standups = {t.user_id: r.plain_text() for t, r, k in deliverer.sent if "standup" in k}
    assert "From your checklist: 1. A shareable calendar" in standups["alice"]
    assert "due in 2 days" in standups["alice"]
