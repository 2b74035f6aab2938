"""User text never pings: @everyone, @here and role or user mentions typed by a member stay inert,
in answers to commands, in DMs and in posts the bot makes on its own."""

from __future__ import annotations

from bot.delivery import Target
from bot.mentions import has_live_mention
from bot.replies import Mention, Reply, Text, Visibility
from tests.discord.harness import GUILD, USERS, Harness, texts_of
from tests.fakes.discord_server import Recorded

PINGS = "@everyone @here <@&123456789012345678> <@200000000000000002> look!"


def message_bodies(recorded: list[Recorded]) -> list[dict]:
    """Every message the bot created or edited (callbacks carry theirs under ``data``)."""
    bodies = []
    for r in recorded:
        if r.path.endswith("/callback") and r.json.get("type") in (4, 7):
            bodies.append(r.json["data"])
        elif r.method in ("POST", "PATCH") and ("/messages" in r.path or "/webhooks/" in r.path):
            bodies.append(r.json)
    return bodies


def assert_never_pings(recorded: list[Recorded]) -> None:
    bodies = message_bodies(recorded)
    assert bodies
    for body in bodies:
        assert body["allowed_mentions"]["parse"] == [], body
        assert "users" not in body["allowed_mentions"] and "roles" not in body["allowed_mentions"]
        for text in texts_of(body):
            assert not has_live_mention(text), text


async def test_kudos_with_everyone_posts_to_the_channel_without_a_ping(cohort: Harness) -> None:
    answer = await cohort.say("alice", f"/kudos @bob {PINGS}")
    assert not answer.ephemeral
    assert "sends kudos to bob" in answer.text()
    assert "everyone" in answer.text()  # still readable, just inert
    assert_never_pings(cohort.fake.requests)


async def test_user_text_in_fields_tables_and_dms_never_pings(cohort: Harness) -> None:
    await cohort.say("alice", f'/apply "{PINGS[:100]}" Engineer notes="{PINGS}"')
    await cohort.say("alice", "/apps")
    await cohort.say("alice", "/app show A1")
    await cohort.dm("alice", f"/practice 20m {PINGS}")
    await cohort.say("alice", "/me name=@everyone")
    await cohort.say("alice", "/cohort members")
    assert_never_pings(cohort.fake.requests)


async def test_scheduled_posts_notify_only_the_users_the_core_names(cohort: Harness) -> None:
    bob = USERS["bob"]
    reply = Reply.of(
        f"Standup summary: alice said “{PINGS}”".replace("@everyone", "@\u2060everyone")
        .replace("@here", "@\u2060here")
        .replace("<@", "<\u2060@"),
        f"Mentions typed as text stay text: <@{bob}>.",
        Text("Still to check in today: ", Mention(bob, "bob", notify=True), "."),
        visibility=Visibility.CHANNEL,
    )
    channel = cohort.fake.channel_id(GUILD)
    await cohort.adapter.send(Target(GUILD, channel_id=channel), reply, "k")
    [post] = cohort.fake.sent("POST", rf"/api/v10/channels/{channel}/messages")
    assert post.json["content"] == f"<@{bob}>"
    assert post.json["allowed_mentions"] == {"parse": [], "users": [int(bob)]}


async def test_answers_never_notify_even_a_named_user(cohort: Harness) -> None:
    answer = await cohort.say("coach", "/cohort coach <@200000000000000002>")
    assert "⚠️" not in answer.text()
    assert answer.data["allowed_mentions"] == {"parse": []}
    assert answer.data.get("content") is None
