"""Cohort, check-in, profile, help and history replies: a refusal names the field it is about (a
modal shows it there), and the formatting the core means arrives as spans, not as markup."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from adapters.console import ConsoleAdapter
from bot.replies import Code, DateRef, Reply, Strong, Text
from bot.scheduling.pacer import Pacer
from bot.scheduling.worker import DeliveryWorker
from tests.fakes.recording_deliverer import FakeDeliverer


def spans(reply: Reply) -> list[object]:
    return [span for block in reply.blocks if isinstance(block, Text) for span in block.spans]


@pytest.mark.parametrize(
    ("user", "line", "field"),
    [
        ("dana", '/cohort create "Fall 2026"', "name"),
        ("dana", '/cohort join "Summer 1999"', "name"),
        ("coach", "/cohort settings retro-day=mon-fri", "retro-day"),
        ("coach", "/cohort holidays add=2026-11-01", "add"),
        ("coach", "/cohort holidays remove=2026-12-25", "remove"),
        ("alice", '/standup yesterday="sent 2"', "today"),
        ("alice", '/retro worked="a"', "didnt"),
        ("alice", "/me until=fri", "until"),
        ("alice", "/me status=paused", "until"),
        ("alice", "/me status=paused until=2026-11-01", "until"),
        ("alice", "/kudos @alice well done me", "member"),
        ("alice", "/help nonsense", "command"),
        ("alice", "/history from=2026-11-10 to=2026-11-01", "from"),
        ("alice", "/history from=2024-01-01", "from"),
    ],
)
async def test_a_refusal_names_its_field(
    cohort: ConsoleAdapter, user: str, line: str, field: str
) -> None:
    reply = await cohort.ask(user, line)
    assert not reply.ok
    assert reply.field == field


async def test_an_emptied_answer_names_its_field(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/standup yesterday=a today=b")
    reply = await cohort.ask("alice", '/standup today=""')
    assert reply.field == "today"
    assert Code("today") in spans(reply)


async def test_commands_to_copy_are_code_and_titles_strong(cohort: ConsoleAdapter) -> None:
    joined = await cohort.ask("dana", '/cohort join "Fall 2026"')
    assert Code("/me timezone=Europe/Berlin") in spans(joined)
    created = await cohort.ask("carla", '/cohort create "Spring 2027"')
    assert Code('/cohort join "Spring 2027"') in spans(created)
    helped = await cohort.ask("alice", "/help apply")
    assert spans(helped)[0] == Strong("/apply")
    history = await cohort.ask("alice", "/history")
    assert spans(history)[0] == Strong("Your history, Thu Nov 5 – Wed Nov 18")
    await cohort.say("alice", '/barrier add "interview nerves" overcome="mock interviews"')
    retro = await cohort.ask("alice", "/retro worked=a didnt=b adjust=c")
    assert Code("/barrier remove B1") in spans(retro)


async def test_a_user_name_in_a_template_stays_plain(cohort: ConsoleAdapter) -> None:
    reply = await cohort.ask("carla", '/cohort create "*Bold* `cohort`"')
    assert reply.ok
    assert Code('/cohort join "*Bold* `cohort`"') in spans(reply)
    assert not any(isinstance(s, Strong) for s in spans(reply))


async def test_the_blocker_alert_dates_are_date_spans(cohort: ConsoleAdapter, time_machine) -> None:
    for day in (16, 17, 18):  # Mon-Wed
        time_machine.move_to(datetime(2026, 11, day, 10, tzinfo=UTC), tick=False)
        await cohort.say("alice", '/standup yesterday=a today=b blockers="no laptop"')
    deliverer = FakeDeliverer()
    app = cohort.app
    worker = DeliveryWorker(
        app.sessions, {"console": deliverer}, app.clock, "w1", pacer=Pacer(enabled=False)
    )
    await worker.drain()
    ((_, alert, _),) = deliverer.sent
    assert [s for s in spans(alert) if isinstance(s, DateRef)] == [
        DateRef(date(2026, 11, d)) for d in (16, 17, 18)
    ]
    assert "• Mon Nov 16: no laptop\n• Tue Nov 17: no laptop" in alert.plain_text()
