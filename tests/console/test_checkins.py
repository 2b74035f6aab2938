"""Console tests for /standup and /retro: forms, one answer per local day or week, edits."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.replies import Form
from storage.models import RetroResponse, StandupResponse
from storage.scope import system_session

STANDUP_KEYS = ["yesterday", "today", "blockers", "applications", "outreach"]
RETRO_KEYS = ["worked", "didnt", "adjust", "barriers"]


async def standup_rows(console: ConsoleAdapter) -> list[StandupResponse]:
    async with system_session(console.app.sessions) as session:
        rows = await session.scalars(select(StandupResponse).order_by(StandupResponse.day))
        return list(rows.all())


async def retro_rows(console: ConsoleAdapter) -> list[RetroResponse]:
    async with system_session(console.app.sessions) as session:
        rows = await session.scalars(select(RetroResponse).order_by(RetroResponse.week_start))
        return list(rows.all())


async def form_for(console: ConsoleAdapter, user: str, line: str) -> Form:
    reply = await console.ask(user, line)
    assert reply.ok, reply.plain_text()
    (form,) = reply.forms()
    return form


def initial(form: Form) -> dict[str, str]:
    return {q.key: q.initial for q in form.questions}


def at(time_machine, *args: int) -> None:
    time_machine.move_to(datetime(*args, tzinfo=UTC), tick=False)


# -- /standup ---------------------------------------------------------------------------------


async def test_standup_without_options_returns_the_form(cohort: ConsoleAdapter) -> None:
    form = await form_for(cohort, "alice", "/standup")
    assert form.form_id == "standup"
    assert form.title == "Daily standup"
    assert form.submit_command == "standup"
    assert [q.key for q in form.questions] == STANDUP_KEYS
    assert [q.required for q in form.questions] == [True, True, False, False, False]
    assert form.intro == "Check-in for Wed Nov 18."
    assert set(initial(form).values()) == {""}
    assert await standup_rows(cohort) == []


async def test_standup_form_prefills_yesterday_from_the_last_today(
    cohort: ConsoleAdapter, time_machine
) -> None:
    at(time_machine, 2026, 11, 17, 9, 0)
    form = await form_for(cohort, "alice", "/standup")
    saved = await cohort.submit(
        "alice", form, {"yesterday": "applied to Stripe", "today": "mock interview with bob"}
    )
    assert saved == "☀️ Standup saved for Tue Nov 17. Have a great day!"
    at(time_machine, 2026, 11, 18, 9, 0)
    form = await form_for(cohort, "alice", "/standup")
    assert initial(form)["yesterday"] == "mock interview with bob"
    assert initial(form)["today"] == ""
    # bob has no earlier standup: nothing prefilled for him
    assert initial(await form_for(cohort, "bob", "/standup"))["yesterday"] == ""


async def test_submitting_the_form_stores_one_standup(cohort: ConsoleAdapter) -> None:
    form = await form_for(cohort, "alice", "/standup")
    reply = await cohort.submit(
        "alice",
        form,
        {
            "yesterday": "sent 2 applications",
            "today": "LeetCode",
            "blockers": "waiting on a referral",
            "applications": "2",
            "outreach": "",
        },
    )
    assert reply == "☀️ Standup saved for Wed Nov 18. Have a great day!"
    (row,) = await standup_rows(cohort)
    assert row.day == date(2026, 11, 18)
    assert (row.yesterday, row.today, row.blockers) == (
        "sent 2 applications",
        "LeetCode",
        "waiting on a referral",
    )
    assert (row.applications, row.outreach) == (2, None)


async def test_answering_again_edits_the_same_row(cohort: ConsoleAdapter, time_machine) -> None:
    form = await form_for(cohort, "alice", "/standup")
    await cohort.submit("alice", form, {"yesterday": "a", "today": "b", "blockers": "c"})
    at(time_machine, 2026, 11, 18, 20, 0)
    again = await form_for(cohort, "alice", "/standup")
    assert again.intro == "You already checked in for Wed Nov 18; submitting edits it."
    assert initial(again) == {
        "yesterday": "a",
        "today": "b",
        "blockers": "c",
        "applications": "",
        "outreach": "",
    }
    reply = await cohort.submit(
        "alice", again, {"yesterday": "a", "today": "b and more", "outreach": "3"}
    )
    assert reply == "☀️ Standup updated for Wed Nov 18. Have a great day!"
    (row,) = await standup_rows(cohort)
    assert (row.today, row.blockers, row.outreach) == ("b and more", "c", 3)
    assert row.updated_at == datetime(2026, 11, 18, 20, 0, tzinfo=UTC)
    assert row.created_at == datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


async def test_typed_standup_options(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say(
        "alice", '/standup yesterday="sent 2 applications" today="mock interview" blockers=none'
    )
    assert reply.startswith("☀️ Standup saved")
    edit = await cohort.say("alice", '/standup yesterday=""')
    assert edit.startswith("⚠️ `yesterday` can't be empty.")
    (row,) = await standup_rows(cohort)
    assert row.yesterday == "sent 2 applications"


async def test_one_standup_per_local_day(cohort: ConsoleAdapter, time_machine) -> None:
    await cohort.say("alice", "/me timezone=America/Los_Angeles")
    at(time_machine, 2026, 11, 18, 7, 30)  # Tue Nov 17, 23:30 in Los Angeles
    form = await form_for(cohort, "alice", "/standup")
    assert form.intro == "Check-in for Tue Nov 17."
    await cohort.submit("alice", form, {"yesterday": "x", "today": "y"})
    at(time_machine, 2026, 11, 18, 8, 30)  # Wed Nov 18, 00:30 in Los Angeles
    form = await form_for(cohort, "alice", "/standup")
    assert form.intro == "Check-in for Wed Nov 18."
    assert initial(form)["yesterday"] == "y"
    await cohort.submit("alice", form, {"yesterday": "y", "today": "z"})
    assert [r.day for r in await standup_rows(cohort)] == [date(2026, 11, 17), date(2026, 11, 18)]


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({"yesterday": "did x", "today": ""}, "A standup needs today."),
        ({"yesterday": "", "today": "do y"}, "A standup needs yesterday."),
        ({"yesterday": "   ", "today": "do y"}, "A standup needs yesterday."),
        ({"blockers": "none"}, "A standup needs yesterday and today."),
    ],
)
async def test_missing_required_answer_writes_nothing(
    cohort: ConsoleAdapter, answers: dict[str, str], missing: str
) -> None:
    form = await form_for(cohort, "alice", "/standup")
    reply = await cohort.submit("alice", form, answers)
    assert reply.startswith(f"⚠️ {missing}")
    assert "Usage: `/standup" in reply
    assert await standup_rows(cohort) == []


@pytest.mark.parametrize("blockers", ["none", "None", " no ", "-", "n/a", "nothing"])
async def test_no_blockers_are_stored_empty(cohort: ConsoleAdapter, blockers: str) -> None:
    form = await form_for(cohort, "alice", "/standup")
    await cohort.submit("alice", form, {"yesterday": "x", "today": "y", "blockers": blockers})
    (row,) = await standup_rows(cohort)
    assert row.blockers == ""


@pytest.mark.parametrize(
    ("answers", "complaint"),
    [
        ({"applications": "two"}, "`applications` must be a whole number"),
        ({"applications": "101"}, "`applications` must be at most 100"),
        ({"outreach": "-1"}, "`outreach` must be at least 0"),
        ({"outreach": "2.5"}, "`outreach` must be a whole number"),
    ],
)
async def test_counts_are_validated(
    cohort: ConsoleAdapter, answers: dict[str, str], complaint: str
) -> None:
    form = await form_for(cohort, "alice", "/standup")
    reply = await cohort.submit("alice", form, {"yesterday": "x", "today": "y", **answers})
    assert reply.startswith(f"⚠️ {complaint}")
    assert await standup_rows(cohort) == []


async def test_standup_text_length_is_limited(cohort: ConsoleAdapter) -> None:
    form = await form_for(cohort, "alice", "/standup")
    reply = await cohort.submit("alice", form, {"yesterday": "x" * 1001, "today": "y"})
    assert reply.startswith("⚠️ `yesterday` is 1001 characters long; the limit is 1000")
    assert await standup_rows(cohort) == []


async def test_the_console_loop_fills_the_form_from_following_lines(
    cohort: ConsoleAdapter,
) -> None:
    async def lines() -> AsyncIterator[str]:
        yield "/standup"
        yield "did x"
        yield "do y"
        yield ""
        yield ""
        yield ""

    out = io.StringIO()
    cohort.out = out
    cohort.user = "alice"
    await cohort.run(lines())
    text = out.getvalue()
    assert "📝 Daily standup" in text
    assert "Standup saved for Wed Nov 18" in text
    (row,) = await standup_rows(cohort)
    assert (row.yesterday, row.today, row.blockers, row.applications) == ("did x", "do y", "", None)


async def test_the_console_loop_cancels_a_form_cut_short(cohort: ConsoleAdapter) -> None:
    async def lines() -> AsyncIterator[str]:
        yield "/standup"
        yield "did x"

    out = io.StringIO()
    cohort.out = out
    cohort.user = "alice"
    await cohort.run(lines())
    assert "Form cancelled; nothing was saved." in out.getvalue()
    assert await standup_rows(cohort) == []


# -- /retro -----------------------------------------------------------------------------------


RETRO = {"worked": "mornings", "didnt": "too much LeetCode", "adjust": "cap practice at 2h"}


async def test_retro_form_shows_the_week(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    await cohort.say("alice", '/outreach "Jane Doe"')
    await cohort.say("alice", "/practice 1h")
    await cohort.say("alice", "/hours research 30m")
    form = await form_for(cohort, "alice", "/retro")
    assert form.form_id == "retro"
    assert form.title == "Weekly retro"
    assert [q.key for q in form.questions] == RETRO_KEYS
    assert form.intro == (
        "Your week: 1/10 applications, 1/10 outreach, 1/5 practice days, 1h 30m/40h."
    )


async def test_retro_form_uses_the_cohort_targets(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort settings applications=15 hours=30")
    form = await form_for(cohort, "alice", "/retro")
    assert form.intro == "Your week: 0/15 applications, 0/10 outreach, 0/5 practice days, 0h/30h."


async def test_retro_is_stored_once_per_week_by_monday(
    cohort: ConsoleAdapter, time_machine
) -> None:
    form = await form_for(cohort, "alice", "/retro")
    reply = await cohort.submit("alice", form, {**RETRO, "barriers": "impostor syndrome"})
    assert reply == "🔁 Retro saved for the week of Nov 16-22. See you next week!"
    at(time_machine, 2026, 11, 22, 20, 0)  # Sunday, same week
    again = await form_for(cohort, "alice", "/retro")
    assert initial(again) == {**RETRO, "barriers": "impostor syndrome"}
    reply = await cohort.submit("alice", again, {**RETRO, "worked": "mornings and pairing"})
    assert reply == "🔁 Retro updated for the week of Nov 16-22. See you next week!"
    (row,) = await retro_rows(cohort)
    assert row.week_start == date(2026, 11, 16)
    assert row.worked == "mornings and pairing"
    assert row.barriers == "impostor syndrome"


async def test_retro_barriers_carry_over_to_the_next_week(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await cohort.say(
        "alice",
        '/retro worked=a didnt=b adjust=c barriers="nerves: practise mock interviews"',
    )
    at(time_machine, 2026, 11, 27, 16, 0)  # Friday of the next week
    form = await form_for(cohort, "alice", "/retro")
    assert initial(form)["barriers"] == "nerves: practise mock interviews"
    assert form.intro.endswith("Revisit your barriers below.")
    reply = await cohort.submit("alice", form, {**RETRO, "barriers": ""})
    assert reply.startswith("🔁 Retro saved for the week of Nov 23-29.")
    rows = await retro_rows(cohort)
    assert [r.week_start for r in rows] == [date(2026, 11, 16), date(2026, 11, 23)]
    assert rows[1].barriers == "nerves: practise mock interviews"
    assert rows[1].worked == "mornings"


async def test_retro_missing_answers_write_nothing(cohort: ConsoleAdapter) -> None:
    form = await form_for(cohort, "alice", "/retro")
    reply = await cohort.submit("alice", form, {"worked": "mornings"})
    assert reply.startswith("⚠️ A retro needs didnt, adjust.")
    assert await retro_rows(cohort) == []


async def test_retro_edit_cannot_blank_an_answer(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/retro worked=a didnt=b adjust=c")
    reply = await cohort.say("alice", '/retro worked=" "')
    assert reply.startswith("⚠️ `worked` can't be empty.")
    (row,) = await retro_rows(cohort)
    assert row.worked == "a"
