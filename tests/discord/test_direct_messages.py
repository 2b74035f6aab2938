"""Commands in a DM with the bot: typed or as slash commands, on the tenant of the one server the
member shares with the bot."""

from __future__ import annotations

from tests.discord.harness import GUILD, USERS, Harness, texts_of


def said(messages) -> str:
    return "\n".join(t for m in messages for t in texts_of(m.json))


async def test_a_typed_dm_command_works_on_the_shared_server(discord: Harness) -> None:
    replies = await discord.dm("alice", '/apply Stripe "Backend Engineer"')
    assert "Logged application A1" in said(replies)
    assert all(m.json["allowed_mentions"] == {"parse": []} for m in replies)
    in_server = await discord.say("alice", "/apps")
    assert "Stripe" in in_server.text()


async def test_the_slash_prefix_is_optional_in_a_dm(discord: Harness) -> None:
    assert "Current streak" in said(await discord.dm("alice", "streak"))
    assert "I don't know the command" in said(await discord.dm("alice", "hello there"))


async def test_a_slash_command_in_a_dm(discord: Harness) -> None:
    await discord.say("alice", "/practice 30m katas")
    answer = await discord.say("alice", "/streak", guild=None)
    assert answer.kind == 4 and "Current streak" in answer.text()
    assert "1 day" in answer.text()


async def test_a_dm_from_someone_sharing_no_server_is_turned_away(discord: Harness) -> None:
    replies = await discord.dm("zed", "/stats")
    assert "I only work for members of a server I'm in" in said(replies)
    answer = await discord.say("zed", "/stats", guild=None)
    assert answer.ephemeral and "server I'm in" in answer.text()


async def test_a_dm_from_someone_in_two_servers_is_asked_to_use_the_server(
    discord: Harness,
) -> None:
    replies = await discord.dm("erin", "/stats")
    assert "You share several servers with me (Bootcamp, Other Server)" in said(replies)


async def test_membership_is_looked_up_once_and_remembered(discord: Harness) -> None:
    await discord.dm("alice", "/streak")
    await discord.dm("alice", "/streak")
    lookups = discord.fake.sent("GET", rf"/api/v10/guilds/\d+/members/{USERS['alice']}")
    assert len(lookups) == 2  # one per guild, the first time only


async def test_using_a_command_in_the_server_is_proof_of_membership(discord: Harness) -> None:
    await discord.say("bob", "/streak", guild=GUILD)
    await discord.dm("bob", "/streak")
    lookups = discord.fake.sent("GET", rf"/api/v10/guilds/{GUILD}/members/{USERS['bob']}")
    assert lookups == []


async def test_messages_from_bots_are_ignored(discord: Harness) -> None:
    fake = discord.fake
    bot = fake.add_user("200000000000000077", "otherbot")
    bot["bot"] = True
    await fake.direct_message("200000000000000077", "/stats")
    replies = await discord.dm("alice", "/streak")  # processed after the bot's message
    channels = {r.path for r in fake.sent("POST", r"/api/v10/channels/\d+/messages")}
    assert channels == {f"/api/v10/channels/{fake.dm_channel(USERS['alice'])}/messages"}
    assert replies


async def test_a_tracker_attached_to_a_dm_command_is_imported(discord: Harness) -> None:
    tracker = (
        b"Company,Role,Link,Stage,Date applied,Contact,What I learned,Next step,"
        b"Follow-up date,Notes\nAcme,Backend Developer,,applied,2026-11-02,,,,,\n"
    )
    replies = await discord.dm("alice", "import tracker", {"tracker.csv": tracker})
    assert "Imported 1 application" in said(replies)
    assert [r for r in discord.fake.requests if r.path.startswith("/attachments/")]
    assert "Acme" in (await discord.say("alice", "/apps")).text()
