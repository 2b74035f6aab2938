"""End to end over HTTP: signed requests to the served app, replies checked at the fake Slack."""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.commands import REGISTRY
from storage.models import Member
from storage.scope import system_session
from tests.slack.harness import CHANNEL, SlackHarness, new_event_id, payload, user_id


async def test_a_slash_command_is_acknowledged_and_answered_privately(
    cohort: SlackHarness,
) -> None:
    status, body = await cohort.command('apply Stripe "Backend Engineer" follow-up=fri')
    assert (status, body) == (200, "")
    [reply] = cohort.replies()
    assert reply.method == "response_url"
    assert reply.body["response_type"] == "ephemeral"
    assert reply.body["replace_original"] is False
    section = reply.body["blocks"][0]
    assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
    assert "Logged application A1: Backend Engineer at Stripe" in section["text"]["text"]
    assert "Logged application A1" in reply.body["text"]  # the notification fallback
    assert "Stripe" in await cohort.core("apps")


async def test_a_bad_signature_gets_401_and_changes_nothing(cohort: SlackHarness) -> None:
    body = payload("slash_command") | {"text": "apply Initech Dev", "user_id": user_id("alice")}
    status, _ = await cohort.post(urlencode(body), secret="not-the-signing-secret")
    assert status == 401
    assert cohort.fake.calls == []
    assert "Initech" not in await cohort.core("apps")


async def test_a_request_older_than_five_minutes_gets_401(cohort: SlackHarness) -> None:
    body = payload("slash_command") | {"text": "apply Initech Dev", "user_id": user_id("alice")}
    status, _ = await cohort.post(urlencode(body), timestamp=int(time.time()) - 301)
    assert status == 401
    status, _ = await cohort.post(urlencode(body), timestamp=int(time.time()) - 299)
    assert status == 200
    assert "Logged application" in cohort.reply_text()


async def test_an_unsigned_request_gets_401(cohort: SlackHarness) -> None:
    async with cohort.session.post(
        f"{cohort.url}/slack/events", data=urlencode(payload("slash_command"))
    ) as response:
        assert response.status == 401
    assert cohort.fake.calls == []


async def test_health_readiness_and_metrics(cohort: SlackHarness) -> None:
    async with cohort.session.get(f"{cohort.url}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"ok": True}
    async with cohort.session.get(f"{cohort.url}/readyz") as response:
        assert response.status == 200
        assert await response.json() == {
            "ok": True,
            "database": "ok",
            "platform": "connected",
            "platforms": {"slack": "connected"},
        }
    await cohort.command("bogus")
    async with cohort.session.get(f"{cohort.url}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        body = await response.text()
    assert 'offerbound_commands_total{command="cohort join",outcome="ok"} 2.0' in body
    assert 'offerbound_commands_total{command="unknown",outcome="rejected"} 1.0' in body
    assert "offerbound_command_seconds_bucket" in body and "offerbound_outbox_depth" in body


async def test_the_workspace_is_the_tenant(cohort: SlackHarness) -> None:
    await cohort.command('apply Stripe "Backend Engineer"')
    await cohort.command("apps", team_id="T0ELSEWHERE")
    assert "No applications match" in cohort.reply_text()
    await cohort.command("apps", team_id="T0ELSEWHERE", enterprise_id="E0GRID")
    assert "No applications match" in cohort.reply_text()
    assert "Stripe" in await cohort.core("apps")
    assert "No applications" in await cohort.core("apps", team="E0GRID:T0ELSEWHERE")


async def test_a_new_workspaces_first_commands_at_once_all_succeed(slack: SlackHarness) -> None:
    members = [f"member{i}" for i in range(8)]
    await asyncio.gather(
        *(slack.command("streak", user=m, team_id="T0NEW", drain=False) for m in members)
    )
    await slack.adapter.drain()
    replies = slack.replies()
    assert len(replies) == len(members)
    assert all("Current streak" in r.text() for r in replies), [r.text() for r in replies]


async def test_mention_text_typed_by_a_user_comes_back_escaped(cohort: SlackHarness) -> None:
    await cohort.command("kudos @bob <!channel> & <@UBOB> @here you're great <https://x.io|y>")
    reply = cohort.last_reply()
    assert reply.body["response_type"] == "in_channel"
    text = reply.body["blocks"][0]["text"]["text"]
    assert "&lt;" in text and "&amp;" in text
    for live in ("<!channel>", "<@UBOB>", "<https://", "@here"):
        assert live not in text, text
    assert "<" not in reply.body["text"] and ">" not in reply.body["text"]


async def test_text_arrives_as_typed_from_slacks_format(cohort: SlackHarness) -> None:
    await cohort.command(
        'apply "R&D <Labs>" Dev url=https://acme.example/jobs?id=1&src=x notes="ask @bob"'
    )
    assert "Logged application A1: Dev at R&amp;D &lt;Labs&gt;" in cohort.last_reply().text()
    shown = await cohort.core("app show A1")
    assert "R&D <Labs>" in shown and "https://acme.example/jobs?id=1&src=x" in shown
    await cohort.command(
        "cohort settings channel=<#C0OTHER|general> timezone=UTC", user="coach", raw=True
    )
    assert "C0OTHER" in await cohort.core("cohort settings", user="coach")


async def test_replies_in_a_dm_channel_are_posted_there(cohort: SlackHarness) -> None:
    await cohort.command("streak", channel="DALICE")
    reply = cohort.last_reply()
    assert reply.method == "response_url"
    assert "Current streak" in reply.text()


async def test_an_alias_runs_its_command(cohort: SlackHarness) -> None:
    await cohort.command("45m katas", command="/practice")
    assert "Logged 45m of practice" in cohort.reply_text()


async def test_a_long_reply_is_split_to_slacks_limits(cohort: SlackHarness) -> None:
    for i in range(60):
        await cohort.core(f'apply "Company {i}" "Role {i}"')
    await cohort.command("apps")
    for reply in cohort.replies():
        assert len(reply.body["blocks"]) <= 50
        for block in reply.body["blocks"]:
            assert len(block.get("text", {}).get("text", "")) <= 3000
    text = "\n".join(r.text() for r in cohort.replies())
    assert "Company 0" in text and "Company 59" in text


# -- modals ---------------------------------------------------------------------------------


async def test_a_bare_logging_command_opens_a_modal_that_stores_its_answers(
    cohort: SlackHarness,
) -> None:
    await cohort.command("apply")
    [opened] = cohort.fake.calls_to("views.open")
    assert opened.body["trigger_id"] == "1111.2222.slashtrigger"
    view = opened.body["view"]
    assert view["type"] == "modal" and view["callback_id"] == "ob_form"
    blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert blocks["company"]["optional"] is False
    assert blocks["stage"]["element"]["type"] == "static_select"
    assert blocks["follow-up"]["element"]["type"] == "datepicker"
    assert blocks["url"]["element"]["type"] == "url_text_input"
    assert cohort.replies("response_url") == []

    cohort.fake.clear()
    status, body = await cohort.submit(
        view,
        {
            "company": "Acme & Co",
            "role": "Junior Developer",
            "stage": "interview",
            "follow-up": "2026-11-20",
        },
    )
    assert (status, body) == (200, "")
    [posted] = cohort.fake.calls_to("chat.postEphemeral")
    assert posted.body["channel"] == CHANNEL and posted.body["user"] == user_id("alice")
    assert "Logged application A1: Junior Developer at Acme &amp; Co (interview)" in posted.text()
    stored = await cohort.core("app show A1")
    assert "Acme & Co" in stored and "interview" in stored and "Fri Nov 20" in stored


@pytest.mark.parametrize("command", ["outreach", "practice", "hours", "cohort join"])
async def test_other_bare_commands_needing_arguments_open_their_modal(
    cohort: SlackHarness, command: str
) -> None:
    await cohort.command(command)
    view = cohort.opened_view()
    assert view["title"]["text"] == f"/{command}"
    required = [b["block_id"] for b in view["blocks"] if b.get("optional") is False]
    assert required == [p.name for p in REGISTRY.get(command).params if p.required]
    assert cohort.replies("response_url") == []


async def test_a_modal_submission_error_shows_on_the_field_it_names(
    cohort: SlackHarness,
) -> None:
    await cohort.command("apply")
    view = cohort.opened_view()
    cohort.fake.clear()
    status, body = await cohort.submit(
        view, {"company": "Acme", "role": "Dev", "follow-up": "2026-11-01", "date": "2026-12-24"}
    )
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    # The refusal names the parameter it is about, so it shows on that field.
    assert answer["errors"] == {
        "date": "That date is in the future (Thu Dec 24 2026); log an application once it has "
        "happened. Leave out date= for today, or use e.g. date=yesterday."
    }
    assert cohort.fake.calls == []
    assert "No applications match" in await cohort.core("apps")


async def test_a_field_named_in_backticks_gets_the_error(cohort: SlackHarness) -> None:
    await cohort.command("practice")
    view = cohort.opened_view()
    _, body = await cohort.submit(view, {"duration": "forever"})
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["duration"]
    assert not answer["errors"]["duration"].startswith("⚠️")


async def test_a_slow_submission_closes_the_modal_and_answers_by_message(
    cohort: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("adapters.slack.adapter.SUBMIT_BUDGET_SECONDS", 0)
    await cohort.command("apply")
    view = cohort.opened_view()
    status, body = await cohort.submit(view, {"company": "Acme", "role": "Dev"})
    assert (status, body) == (200, "")  # closed at once
    assert "Logged application A1" in cohort.reply_text()  # the answer followed


async def test_an_expired_trigger_sends_the_form_as_a_button(cohort: SlackHarness) -> None:
    cohort.fake.fail_next("views.open", error="expired_trigger_id")
    await cohort.command("standup")
    reply = cohort.last_reply()
    assert reply.method == "response_url"
    button = reply.body["blocks"][-1]["elements"][0]
    assert (button["value"], button["text"]["text"]) == ("standup", "Open Daily standup")


async def test_standup_opens_its_form_and_saves_it(cohort: SlackHarness) -> None:
    await cohort.command("standup")
    view = cohort.opened_view()
    assert view["title"]["text"] == "Daily standup"
    keys = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert keys == ["yesterday", "today", "blockers", "applications", "outreach"]
    assert view["blocks"][-1]["element"]["type"] == "number_input"
    await cohort.submit(view, {"yesterday": "2 applications", "today": "mock interview"})
    assert "Standup saved" in cohort.reply_text()
    assert "mock interview" in await cohort.core("history")


async def test_kudos_from_a_modal_picks_the_member_with_a_user_select(
    cohort: SlackHarness,
) -> None:
    await cohort.command("kudos")
    view = cohort.opened_view()
    member = next(b for b in view["blocks"] if b.get("block_id") == "member")
    assert member["element"]["type"] == "users_select"
    await cohort.submit(view, {"member": user_id("bob"), "message": "thanks for the review"})
    [posted] = cohort.fake.calls_to("chat.postMessage")
    assert posted.body["channel"] == CHANNEL
    assert "kudos to bob" in posted.text()


async def test_a_private_reply_falls_back_to_a_dm_when_the_channel_refuses(
    cohort: SlackHarness,
) -> None:
    await cohort.command("apply")
    view = cohort.opened_view()
    cohort.fake.fail_next("chat.postEphemeral", error="channel_not_found")
    await cohort.submit(view, {"company": "Acme", "role": "Dev"})
    [opened] = cohort.fake.calls_to("conversations.open")
    assert opened.body["users"] == user_id("alice")
    [dm] = cohort.fake.calls_to("chat.postMessage")
    assert dm.body["channel"] == "DALICE"
    assert "Logged application A1" in dm.text()


# -- buttons ----------------------------------------------------------------------------------


async def test_a_button_runs_its_command_as_the_person_who_presses_it(
    cohort: SlackHarness,
) -> None:
    await cohort.command('apply Stripe "Backend Engineer" follow-up=today')
    await cohort.command("followups")
    buttons = [b for b in cohort.last_reply().body["blocks"] if b["type"] == "actions"]
    done = buttons[0]["elements"][0]
    assert done["value"] == "followup done A1" and done["action_id"].startswith("ob_run_")
    cohort.fake.clear()
    await cohort.press(done["value"], user="bob")
    assert "nothing to follow up with id A1" in cohort.reply_text()  # it ran as bob
    await cohort.press(done["value"], user="alice")
    assert "Done" in cohort.reply_text()
    assert cohort.last_reply().method == "response_url"


async def test_the_form_button_in_a_dm_opens_the_modal(cohort: SlackHarness) -> None:
    await cohort.dm("standup")
    [message] = cohort.fake.calls_to("chat.postMessage")
    assert message.body["channel"] == "DALICE"
    button = next(b for b in message.body["blocks"] if b["type"] == "actions")["elements"][0]
    assert button["value"] == "standup"
    await cohort.press(button["value"], channel="DALICE")
    assert cohort.opened_view()["title"]["text"] == "Daily standup"


# -- events -----------------------------------------------------------------------------------


async def test_a_command_typed_in_the_bots_dm_runs_without_the_slash(
    cohort: SlackHarness,
) -> None:
    await cohort.dm('apply Stripe "Backend Engineer"', user="dana")
    [info] = cohort.fake.calls_to("users.info")  # events carry no names: Slack is asked once
    assert info.body["user"] == user_id("dana")
    [reply] = cohort.fake.calls_to("chat.postMessage")
    assert reply.body["channel"] == "DDANA"
    assert "Logged application A1" in reply.text()
    await cohort.dm("ob apps", user="dana")
    await cohort.dm("/apply Acme Dev", user="dana")
    assert "Logged application A2" in cohort.reply_text()
    assert len(cohort.fake.calls_to("users.info")) == 1
    async with system_session(cohort.adapter.core.sessions) as session:
        name = await session.scalar(
            select(Member.display_name).where(Member.platform_user_id == user_id("dana"))
        )
    assert name == "dana"  # the handle users.info gave, not the id


async def test_a_retried_event_is_processed_once(cohort: SlackHarness) -> None:
    event_id = new_event_id()
    await cohort.dm('apply Stripe "Backend Engineer"', event_id=event_id)
    status, _ = await cohort.event(
        "message_im",
        {"text": 'apply Stripe "Backend Engineer"', "user": user_id("alice")},
        event_id=event_id,
        retry=1,
    )
    assert status == 200
    assert len(cohort.fake.calls_to("chat.postMessage")) == 1
    assert "(1)" in await cohort.core("apps")


async def test_the_bots_own_and_channel_messages_are_ignored(cohort: SlackHarness) -> None:
    await cohort.event("message_im", {"text": "apps", "bot_id": "B0BOT"})
    await cohort.event("message_im", {"text": "apps", "channel_type": "channel"})
    await cohort.event("message_im", {"text": "x", "subtype": "message_changed"})
    assert cohort.fake.calls == []


async def test_app_home_shows_the_members_dashboard_and_refreshes_after_a_log(
    cohort: SlackHarness,
) -> None:
    await cohort.event("app_home_opened", {"user": user_id("alice")})
    [published] = cohort.fake.calls_to("views.publish")
    assert published.body["user_id"] == user_id("alice")
    view = published.body["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = published.text()
    assert "alice's dashboard" in text and "Follow-ups due" in text and "0/10" in text
    assert view["blocks"][0]["type"] == "actions"

    await cohort.command('apply Stripe "Backend Engineer"')
    refreshed = cohort.fake.calls_to("views.publish")[-1]
    assert "1/10" in refreshed.text() and "Stripe" in refreshed.text()
    cohort.fake.clear()
    await cohort.command("apps", user="bob")  # bob never opened App Home
    assert cohort.fake.calls_to("views.publish") == []


async def test_app_home_buttons_open_modals_and_answer_by_dm(cohort: SlackHarness) -> None:
    await cohort.press("apply", channel=None)
    view = cohort.opened_view()
    await cohort.submit(view, {"company": "Acme", "role": "Dev"})
    [dm] = cohort.fake.calls_to("chat.postMessage")
    assert dm.body["channel"] == "DALICE"
    cohort.fake.clear()
    await cohort.press("followups", channel=None)
    assert cohort.last_reply().method == "chat.postMessage"


async def test_the_events_url_answers_slacks_verification_challenge(slack: SlackHarness) -> None:
    body = {"token": "x", "challenge": "3eZbrw1aB", "type": "url_verification"}
    status, answer = await slack.post(json.dumps(body), content_type="application/json")
    assert status == 200 and json.loads(answer) == {"challenge": "3eZbrw1aB"}


async def test_other_tabs_do_not_publish(cohort: SlackHarness) -> None:
    await cohort.event("app_home_opened", {"tab": "messages"})
    assert cohort.fake.calls_to("views.publish") == []
