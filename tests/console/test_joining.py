"""How a cohort lets people in (issue 13, finding 1: a cohort's name alone let anyone in the
workspace join and read its summaries): open by name, by name and invite code, or by a coach's
approval, with the coaches told by DM and the member told when let in."""

from __future__ import annotations

import re

from adapters.console import ConsoleAdapter
from bot.domain.invites import matches, new_code, normalized
from bot.scheduling.pacer import Pacer
from bot.scheduling.worker import DeliveryWorker
from tests.fakes.recording_deliverer import FakeDeliverer

CODE = re.compile(r"code=([A-Z0-9]{4}-[A-Z0-9]{4})")


async def deliver(cohort: ConsoleAdapter) -> FakeDeliverer:
    """Run the outbox once: what the cohort's DMs would carry."""
    deliverer = FakeDeliverer()
    app = cohort.app
    worker = DeliveryWorker(
        app.sessions, {"console": deliverer}, app.clock, "w", pacer=Pacer(enabled=False)
    )
    await worker.drain()
    return deliverer


def test_codes_are_readable_random_and_matched_loosely() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}", c) for c in codes)
    code = "ABCD-2345"
    assert matches("abcd 2345", code) and matches("ABCD2345", code)
    assert not matches("ABCD-2346", code) and not matches("", code) and not matches("x", "")
    assert normalized(" ab-cd ") == "ABCD"


async def test_open_cohorts_take_anyone_by_name_as_before(cohort: ConsoleAdapter) -> None:
    assert "You're in Fall 2026" in await cohort.say("dana", '/cohort join "Fall 2026"')
    settings = await cohort.say("coach", "/cohort settings")
    assert "open: anyone here can join by name" in settings


async def test_a_code_cohort_needs_its_code(cohort: ConsoleAdapter) -> None:
    changed = await cohort.say("coach", "/cohort settings join=code")
    assert "Updated join" in changed
    [code] = set(CODE.findall(await cohort.say("coach", "/cohort invite")))

    missing = await cohort.ask("dana", '/cohort join "Fall 2026"')
    assert not missing.ok and missing.field == "code"
    assert "Fall 2026 is joined with an invite code" in missing.plain_text()
    assert "code=ABCD-2345" in missing.plain_text()

    wrong = await cohort.ask("dana", '/cohort join "Fall 2026" code=ZZZZ-9999')
    assert not wrong.ok and wrong.field == "code"
    assert "That isn't Fall 2026's invite code" in wrong.plain_text()
    assert "You're in" not in await cohort.say("dana", "/me")

    right = await cohort.say("dana", f'/cohort join "Fall 2026" code={code.lower()}')
    assert "You're in Fall 2026" in right


async def test_a_new_code_retires_the_old_one(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort settings join=code")
    [old] = CODE.findall(await cohort.say("coach", "/cohort invite"))
    renewed = await cohort.say("coach", "/cohort invite new=yes")
    [new] = CODE.findall(renewed)
    assert new != old and "the old one no longer works" in renewed
    refused = await cohort.say("dana", f'/cohort join "Fall 2026" code={old}')
    assert "That isn't Fall 2026's invite code" in refused
    assert "You're in" in await cohort.say("dana", f'/cohort join "Fall 2026" code={new}')


async def test_only_coaches_see_the_code(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort settings join=code")
    refused = await cohort.say("alice", "/cohort invite")
    assert "Only coaches can use `/cohort invite`" in refused and not CODE.search(refused)
    assert not CODE.search(await cohort.say("alice", "/cohort settings"))


async def test_new_codes_are_for_code_cohorts(cohort: ConsoleAdapter) -> None:
    reply = await cohort.ask("coach", "/cohort invite new=yes")
    assert not reply.ok and reply.field == "new"
    assert "doesn't use invite codes" in reply.plain_text()
    assert "/cohort settings join=code" in reply.plain_text()


async def test_an_approval_cohort_waits_for_a_coach_who_is_told(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort settings join=approval")
    asked = await cohort.say("dana", '/cohort join "Fall 2026"')
    assert "Asked the coaches of Fall 2026" in asked
    again = await cohort.say("dana", '/cohort join "Fall 2026"')
    assert "asked to join Fall 2026 already" in again
    assert "You are not in a cohort yet" in await cohort.say("dana", "/cohort members")

    sent = await deliver(cohort)
    [(target, alert, _)] = sent.sent
    assert target.user_id == "coach"
    assert "dana asks to join Fall 2026" in alert.plain_text()
    assert "/cohort approve @dana" in alert.plain_text()

    waiting = await cohort.say("coach", "/cohort requests")
    assert "Waiting to join Fall 2026" in waiting and "dana" in waiting
    assert "✅ dana is in Fall 2026" in await cohort.say("coach", "/cohort approve @dana")
    assert "dana" in await cohort.say("coach", "/cohort members")
    assert "Nobody is waiting" in await cohort.say("coach", "/cohort requests")

    told = await deliver(cohort)
    [(target, welcome, _)] = told.sent
    assert target.user_id == "dana"
    assert "You're in Fall 2026: a coach approved your request" in welcome.plain_text()


async def test_a_denied_request_is_gone_and_can_be_made_again(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort settings join=approval")
    await cohort.say("dana", '/cohort join "Fall 2026"')
    assert "Turned down dana's request" in await cohort.say("coach", "/cohort deny dana")
    assert "dana" not in await cohort.say("coach", "/cohort members")
    assert "Nobody is waiting" in await cohort.say("coach", "/cohort requests")
    assert "Asked the coaches" in await cohort.say("dana", '/cohort join "Fall 2026"')


async def test_the_coach_alert_is_dropped_once_answered(cohort: ConsoleAdapter) -> None:
    """Two coaches are told; when one approves before the outbox runs, nobody is told twice."""
    await cohort.say("coach", "/cohort settings join=approval")
    await cohort.say("dana", '/cohort join "Fall 2026"')
    await cohort.say("coach", "/cohort approve @dana")
    sent = await deliver(cohort)
    assert [t.user_id for t, _, _ in sent.sent] == ["dana"]


async def test_approving_someone_who_did_not_ask_is_refused(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort settings join=approval")
    reply = await cohort.ask("coach", "/cohort approve @erin")
    assert not reply.ok and reply.field == "member"
    assert "erin hasn't asked to join Fall 2026" in reply.plain_text()
    member = await cohort.ask("alice", "/cohort approve @erin")
    assert not member.ok and "Only coaches can use `/cohort approve`" in member.plain_text()


async def test_forgetting_a_member_removes_their_requests(cohort: ConsoleAdapter) -> None:
    await cohort.say("coach", "/cohort settings join=approval")
    await cohort.say("dana", '/cohort join "Fall 2026"')
    forgotten = await cohort.say("dana", "/privacy forget confirm=yes")
    assert "You have been forgotten" in forgotten
    assert "Nobody is waiting" in await cohort.say("coach", "/cohort requests")
