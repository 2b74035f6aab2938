"""Who may create a cohort on Discord, and where its channel may be (issue 13, finding 1).

Discord channel ids are global: a channel typed or picked into ``channel=`` can belong to any
server the bot is in. The adapter asks the gateway's cache, or ``GET /channels/{id}`` when the
cache has not seen it, which server the channel is in and whether the bot may post there; and
members' standing comes from their permissions (owner, Administrator, Manage Server) and roles.
The strict fake answers as Discord does (``Unknown Channel`` 10003, ``Missing Access`` 50001,
channel permission overwrites, role permissions).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from bot.app import App
from bot.scheduling.pacer import Pacer
from bot.scheduling.worker import DeliveryWorker
from storage.models import Cohort
from storage.scope import system_session
from tests.discord.harness import GUILD, OTHER_GUILD, USERS, Harness, slash_options, texts_of
from tests.fakes.discord_rules import SEND_MESSAGES
from tests.fakes.discord_server import API

CHANNEL = 7  # an application command option of type CHANNEL


async def create(discord: Harness, user: str, channel: str | None = None, *, guild: str = GUILD):
    """``/cohort create "Fall 2026"``, with ``channel`` picked the way Discord's picker sends it."""
    name, options = slash_options('/cohort create "Fall 2026"')
    if channel is not None:
        options[0]["options"].append({"name": "channel", "type": CHANNEL, "value": channel})
    return await discord.slash(user, name, options, guild=guild)


async def cohort_names(app: App) -> list[str]:
    async with system_session(app.sessions) as session:
        return list((await session.execute(select(Cohort.name))).scalars())


async def test_a_member_who_is_no_admin_cannot_create_a_cohort(discord: Harness) -> None:
    answer = await create(discord, "alice")
    assert "Only admins may create cohorts here" in answer.text()
    assert "/cohort coach @you" in answer.text()
    assert discord.app is not None and await cohort_names(discord.app) == []


async def test_a_server_admin_can(discord: Harness) -> None:
    answer = await create(discord, "coach")
    assert "Created cohort Fall 2026" in answer.text(), answer.text()


async def test_manage_server_is_enough(discord: Harness) -> None:
    managers = await discord.fake.new_role(GUILD, "Managers", permissions=1 << 5)  # MANAGE_GUILD
    discord.fake.give_role(GUILD, USERS["dana"], managers)
    assert "Created cohort Fall 2026" in (await create(discord, "dana")).text()


async def test_members_of_the_coaches_role_can(discord: Harness) -> None:
    assert discord.app is not None
    coaches = await discord.fake.new_role(GUILD, "Career coaches")
    discord.fake.give_role(GUILD, USERS["dana"], coaches)
    discord.app.settings.cohort_creators = f"group:{coaches}"
    refused = await create(discord, "coach")  # an admin, but not in the role
    assert "Only the coaches' group may create cohorts here" in refused.text()
    assert "Created cohort Fall 2026" in (await create(discord, "dana")).text()


async def test_anyone_when_the_deployment_says_so(discord: Harness) -> None:
    assert discord.app is not None
    discord.app.settings.cohort_creators = "anyone"
    assert "Created cohort Fall 2026" in (await create(discord, "alice")).text()


async def test_another_servers_channel_is_refused(discord: Harness) -> None:
    elsewhere = discord.fake.channel_id(OTHER_GUILD)
    answer = await create(discord, "coach", elsewhere)
    assert "belongs to another server" in answer.text()
    assert "Created" not in answer.text()
    assert discord.app is not None and await cohort_names(discord.app) == []


async def test_an_admin_of_the_other_server_cannot_aim_at_this_one(discord: Harness) -> None:
    answer = await create(discord, "erin", discord.fake.channel_id(GUILD), guild=OTHER_GUILD)
    assert "belongs to another server" in answer.text()


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ({"kind": 2}, "Pick a text channel"),
        ({"deny_everyone": SEND_MESSAGES}, "I'm not allowed to post in that channel"),
    ],
)
async def test_a_channel_the_bot_cannot_post_in_is_refused(
    discord: Harness, setup: dict[str, Any], expected: str
) -> None:
    channel = await discord.fake.new_channel(GUILD, "lounge", **setup)
    answer = await create(discord, "coach", channel)
    assert expected in answer.text(), answer.text()
    assert "Created" not in answer.text()


async def test_a_channel_discord_does_not_know_is_refused(discord: Harness) -> None:
    answer = await create(discord, "coach", "999999999999999999")
    assert "I can't see that channel" in answer.text()


async def test_changing_the_channel_later_is_checked_too(cohort: Harness) -> None:
    name, options = slash_options("/cohort settings channel=C1")
    options[0]["options"] = [
        {"name": "channel", "type": CHANNEL, "value": cohort.fake.channel_id(OTHER_GUILD)}
    ]
    answer = await cohort.slash("coach", name, options)
    assert "belongs to another server" in answer.text()


async def test_a_tampered_cohort_row_never_posts_in_another_server(cohort: Harness) -> None:
    """Checked again before every post: a row saved before the check existed, or edited in the
    database, cannot make the bot speak in a server the cohort does not belong to."""
    app, fake = cohort.app, cohort.fake
    assert app is not None
    elsewhere = fake.channel_id(OTHER_GUILD)
    async with system_session(app.sessions) as session:
        await session.execute(update(Cohort).values(channel_id=elsewhere))
        await session.commit()
    answer = await cohort.say("coach", "/cohort prompt leaderboard")
    assert "Queued" in answer.text() or "queued" in answer.text(), answer.text()
    worker = DeliveryWorker(
        app.sessions, {"discord": cohort.adapter}, app.clock, "w", pacer=Pacer(enabled=False)
    )
    await worker.drain()
    assert fake.sent("POST", rf"{API}/channels/{elsewhere}/messages") == []
    assert worker.outcomes["unreachable"] == 1, worker.outcomes
    assert not any(
        "Leaderboard" in t
        for r in fake.sent("POST", rf"{API}/channels/\d+/messages")
        for t in texts_of(r.json or {})
    )
