"""Messages the bot sends on its own: scheduled prompts, forms by DM, the outbox's port, limits."""

from __future__ import annotations

import time

from bot.delivery import Delivered, Failed, RetryLater, Target, Unreachable
from bot.forms import standup_form
from bot.replies import File, Reply, Table, Text
from tests.slack.harness import BOT_TOKEN, CHANNEL, TEAM, SlackHarness, user_id

ALICE = Target(tenant_id=TEAM, user_id=user_id("alice"))


async def test_send_sends_a_dm_with_the_bot_token(slack: SlackHarness) -> None:
    await slack.adapter.send(ALICE, Reply.of("Time for your standup ☀️"), "k1")
    [opened, posted] = slack.fake.calls
    assert opened.method == "conversations.open" and opened.body["users"] == "UALICE"
    assert posted.method == "chat.postMessage" and posted.token == BOT_TOKEN
    assert posted.body["channel"] == "DALICE"
    assert posted.body["text"] == "Time for your standup ☀️"
    await slack.adapter.send(ALICE, Reply.of("again"), "k2")
    assert slack.fake.methods().count("conversations.open") == 1  # the DM channel is cached


async def test_send_to_a_channel_posts_in_it(slack: SlackHarness) -> None:
    summary = Table("Standups", ("who", "today"), (("alice", "<!here> ship it"),))
    await slack.adapter.send(Target(TEAM, channel_id=CHANNEL), Reply.of(summary), "k")
    [posted] = slack.fake.calls
    assert posted.body["channel"] == CHANNEL
    assert "&lt;!here&gt; ship it" in posted.text()


async def test_a_form_sent_by_dm_is_a_button_that_opens_it(slack: SlackHarness) -> None:
    await slack.adapter.send(ALICE, Reply.of(standup_form({}, "Check-in for Wed Nov 18.")), "k")
    posted = slack.fake.calls_to("chat.postMessage")[0]
    assert "Daily standup" in posted.text() and "Check-in for Wed Nov 18." in posted.text()
    button = posted.body["blocks"][-1]["elements"][0]
    assert (button["type"], button["value"], button["style"]) == ("button", "standup", "primary")


async def test_files_are_uploaded(slack: SlackHarness) -> None:
    chart = File("week.png", b"\x89PNG fake", "image/png", "Your week")
    await slack.adapter.send(ALICE, Reply.of("Here is your week", chart), "k")
    methods = slack.fake.methods()
    assert methods[-3:] == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    assert slack.fake.calls_to("upload")[0].body["size"] == len(chart.content)
    complete = slack.fake.calls_to("files.completeUploadExternal")[0]
    assert complete.body["channel_id"] == "DALICE"


async def test_a_rate_limited_reply_is_retried_after_retry_after(slack: SlackHarness) -> None:
    slack.fake.fail_next("chat.postMessage", status=429, retry_after=0)
    started = time.monotonic()
    await slack.dm("streak")  # a reply in the bot's DM is a plain chat.postMessage
    assert time.monotonic() - started < 1
    assert slack.fake.methods().count("chat.postMessage") == 2


async def test_send_reports_rate_limits_to_the_outbox_instead_of_waiting(
    slack: SlackHarness,
) -> None:
    slack.fake.fail_next("chat.postMessage", status=429, retry_after=7)
    outcome = await slack.adapter.send(ALICE, Reply.of("standup time"), key="standup:1:2026-11-18")
    assert outcome == RetryLater(after=7.0, reason="rate limited")
    assert slack.fake.methods().count("chat.postMessage") == 1


async def test_send_carries_the_outbox_key_and_can_tell_it_was_delivered(
    slack: SlackHarness,
) -> None:
    key = "standup:1:2026-11-18"
    outcome = await slack.adapter.send(ALICE, Reply.of("standup time"), key=key)
    assert isinstance(outcome, Delivered) and outcome.ref
    posted = slack.fake.calls_to("chat.postMessage")[0]
    assert posted.body["metadata"] == {
        "event_type": "offerbound_delivery",
        "event_payload": {"key": key},
    }
    assert await slack.adapter.was_delivered(ALICE, key) is True  # found in the DM's history
    assert await slack.adapter.was_delivered(ALICE, "standup:2:2026-11-18") is False
    slack.fake.fail_next("conversations.history", error="missing_scope")
    assert await slack.adapter.was_delivered(ALICE, key) is None


async def test_send_maps_slack_errors_to_outcomes(slack: SlackHarness) -> None:
    reply = Reply.of("hi")
    slack.fake.fail_next("conversations.open", error="user_not_found")
    assert await slack.adapter.send(ALICE, reply, "k1") == Unreachable("user_not_found")
    slack.fake.fail_next("chat.postMessage", error="invalid_blocks")
    assert await slack.adapter.send(ALICE, reply, "k2") == Failed("invalid_blocks")
    slack.fake.fail_next("chat.postMessage", status=503, error="service_unavailable")
    outcome = await slack.adapter.send(ALICE, reply, "k3")
    assert isinstance(outcome, RetryLater)
    slack.fake.fail_next("chat.postMessage", error="channel_not_found")
    assert await slack.adapter.send(Target(TEAM, channel_id="C0GONE"), reply, "k4") == Failed(
        "channel_not_found"
    )


async def test_a_long_delivery_is_split_into_several_messages(slack: SlackHarness) -> None:
    reply = Reply.of(*(Text(f"line {i} " + "x" * 80) for i in range(120)))
    await slack.adapter.send(ALICE, reply, "k")
    posts = slack.fake.calls_to("chat.postMessage")
    assert [len(p.body["blocks"]) for p in posts] == [50, 50, 20]
