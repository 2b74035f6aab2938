"""Who may create a cohort on Slack, and where its channel may be (issue 13, finding 1).

Slack answers both with the workspace's own token: ``users.info`` (is this person an admin or
owner?), ``usergroups.users.list`` (are they in the coaches' group?) and ``conversations.info``
(is the channel this workspace's, open, and one the bot may post in?). The strict fake answers as
Slack does: another workspace's channel, and a private channel the bot was not invited to, are
``channel_not_found``.
"""

from __future__ import annotations

import pytest

from bot.app import App
from tests.slack.harness import SlackHarness


async def cohorts(slack: SlackHarness) -> str:
    return await slack.core("/cohort join Nothing", user="coach")


async def test_a_member_who_is_no_admin_cannot_create_a_cohort(slack: SlackHarness) -> None:
    await slack.command('cohort create "Fall 2026"', user="alice")
    assert "Only admins may create cohorts here" in slack.reply_text()
    assert "/cohort coach @you" in slack.reply_text()
    assert "Cohorts here: none yet" in await cohorts(slack)
    assert slack.fake.refused == []


async def test_a_workspace_admin_can(slack: SlackHarness) -> None:
    await slack.command('cohort create "Fall 2026"', user="coach")
    assert "Created cohort Fall 2026" in slack.reply_text()
    asked = slack.fake.calls_to("users.info")
    assert any(call.body.get("user") == "UCOACH" for call in asked)


async def test_members_of_the_named_user_group_can(slack: SlackHarness, app: App) -> None:
    app.settings.cohort_creators = "group:S0COACHES"
    slack.fake.usergroups["S0COACHES"] = {"UDANA"}
    await slack.command('cohort create "Fall 2026"', user="coach")  # an admin, not in the group
    assert "Only the coaches' group may create cohorts here" in slack.reply_text()
    await slack.command('cohort create "Fall 2026"', user="dana")
    assert "Created cohort Fall 2026" in slack.reply_text()
    assert [c.body["usergroup"] for c in slack.fake.calls_to("usergroups.users.list")] == [
        "S0COACHES"  # remembered for a few minutes: asked once
    ]


async def test_a_group_slack_does_not_know_gives_no_rights(slack: SlackHarness, app: App) -> None:
    app.settings.cohort_creators = "group:S0GONE"
    await slack.command('cohort create "Fall 2026"', user="dana")
    assert "may create cohorts here" in slack.reply_text()
    assert [r.error for r in slack.fake.refused] == ["no_such_subteam"]


async def test_anyone_when_the_deployment_says_so(slack: SlackHarness, app: App) -> None:
    app.settings.cohort_creators = "anyone"
    await slack.command('cohort create "Fall 2026"', user="alice")
    assert "Created cohort Fall 2026" in slack.reply_text()
    assert slack.fake.calls_to("users.info", "usergroups.users.list") == []


async def test_another_workspaces_channel_is_refused(slack: SlackHarness) -> None:
    slack.fake.foreign_channels.add("C0ELSEWHERE")
    await slack.command('cohort create "Fall 2026" channel=<#C0ELSEWHERE|general>', user="coach")
    text = slack.reply_text()
    assert "can't find that channel in this workspace" in text
    assert "Created" not in text
    assert "Cohorts here: none yet" in await cohorts(slack)


@pytest.mark.parametrize(
    ("channel", "setup", "expected"),
    [
        ("C0ARCHIVED", "archived", "That channel is archived"),
        ("G0SECRET", "outside", "If it is private, invite me first"),
        ("D0ALICE", None, "A direct message can't be a cohort channel"),
    ],
)
async def test_a_channel_the_bot_cannot_post_in_is_refused(
    slack: SlackHarness, channel: str, setup: str | None, expected: str
) -> None:
    if setup == "archived":
        slack.fake.archived_channels.add(channel)
    elif setup == "outside":
        slack.fake.outside_channels.add(channel)
    await slack.command(f'cohort create "Fall 2026" channel=<#{channel}|x>', user="coach")
    assert expected in slack.reply_text()
    assert "Cohorts here: none yet" in await cohorts(slack)


async def test_a_public_channel_of_the_workspace_is_accepted_even_without_the_bot(
    slack: SlackHarness,
) -> None:
    slack.fake.outside_channels.add("C0JOBS")  # chat:write.public posts there all the same
    await slack.command('cohort create "Fall 2026" channel=<#C0JOBS|jobs>', user="coach")
    assert "Created cohort Fall 2026" in slack.reply_text()
    assert "C0JOBS" in slack.reply_text()
    assert [c.body["channel"] for c in slack.fake.calls_to("conversations.info")] == ["C0JOBS"]


async def test_changing_the_channel_is_checked_too(cohort: SlackHarness) -> None:
    cohort.fake.foreign_channels.add("C0ELSEWHERE")
    await cohort.command("cohort settings channel=<#C0ELSEWHERE|general>", user="coach")
    assert "can't find that channel in this workspace" in cohort.reply_text()
    await cohort.command("cohort settings", user="coach")
    assert "C0ELSEWHERE" not in cohort.reply_text()
