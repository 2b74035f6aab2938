"""Forms as modals: the standup and retro open one, a submission stores the answers, long forms
are split into parts, rejected answers can be fixed, and DM prompts carry a button to the form."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.discord.adapter import DiscordAdapter
from bot.commands import REGISTRY
from bot.delivery import Target
from bot.forms import standup_form
from bot.invocation import Invocation
from bot.replies import Form, Question, Reply
from bot.settings import Settings
from tests.discord.conftest import CLIENT_OPTIONS, discord_settings
from tests.discord.harness import GUILD, USERS, Harness, components_of
from tests.fakes.discord_server import FakeDiscord

MODAL = 9


def inputs(answer) -> dict[str, dict]:
    return {c["custom_id"]: c for c in components_of(answer.data) if c.get("type") == 4}


async def test_standup_opens_a_modal_and_the_submission_is_stored(cohort: Harness) -> None:
    opened = await cohort.say("alice", "/standup")
    assert opened.kind == MODAL
    assert opened.data["custom_id"] == "ob:form:standup"
    assert opened.data["title"] == "Daily standup"
    assert list(inputs(opened)) == ["yesterday", "today", "blockers", "applications", "outreach"]
    assert inputs(opened)["yesterday"]["style"] == 2  # a paragraph
    saved = await cohort.submit(
        "alice",
        "ob:form:standup",
        {
            "yesterday": "sent 2 applications",
            "today": "mock interview",
            "blockers": "",
            "applications": "2",
            "outreach": "",
        },
    )
    assert saved.kind == 4 and saved.ephemeral
    assert "Standup saved" in saved.text()
    history = await cohort.say("alice", "/history")
    assert "mock interview" in history.text()
    again = await cohort.say("alice", "/standup")
    assert inputs(again)["today"]["value"] == "mock interview"  # pre-filled: editing, not new


async def test_retro_modal_shows_the_week_above_the_questions(cohort: Harness) -> None:
    opened = await cohort.say("alice", "/retro")
    assert opened.kind == MODAL
    [intro] = [c for c in components_of(opened.data) if c.get("type") == 10]
    assert intro["content"].startswith("Your week: 0/10 applications")
    assert len(opened.data["components"]) == 5


async def test_a_rejected_submission_can_be_fixed_without_retyping(cohort: Harness) -> None:
    typed = {"yesterday": "networking", "today": "portfolio", "applications": "lots"}
    refused = await cohort.submit("alice", "ob:form:standup", typed)
    assert "⚠️" in refused.text() and refused.ephemeral
    [retry] = [c for c in refused.custom_ids() if c.startswith("ob:retry:")]
    reopened = await cohort.press("alice", retry)
    assert reopened.kind == MODAL
    assert {k: v.get("value") for k, v in inputs(reopened).items()} == {
        "yesterday": "networking",
        "today": "portfolio",
        "blockers": None,
        "applications": "lots",
        "outreach": None,
    }
    someone_else = await cohort.press("bob", retry)
    assert "expired" in someone_else.text()


async def test_a_dm_prompt_has_a_button_that_opens_the_form(cohort: Harness) -> None:
    alice = USERS["alice"]
    await cohort.adapter.send(
        Target(GUILD, user_id=alice), Reply.of(standup_form({}, "Good morning")), "k"
    )
    [dm] = cohort.fake.sent("POST", r"/api/v10/users/@me/channels")
    assert str(dm.json["recipient_id"]) == alice
    [prompt] = cohort.fake.sent(
        "POST", rf"/api/v10/channels/{cohort.fake.dm_channel(alice)}/messages"
    )
    assert "Good morning" in prompt.json["embeds"][0]["description"]
    buttons = [c for c in components_of(prompt.json) if c.get("type") == 2]
    assert [(b["label"], b["custom_id"]) for b in buttons] == [("Open the form", "ob:run:standup")]
    opened = await cohort.press("alice", "ob:run:standup", guild=None)
    assert opened.kind == MODAL and opened.data["custom_id"] == "ob:form:standup"
    saved = await cohort.submit(
        "alice",
        "ob:form:standup",
        {"yesterday": "cover letters", "today": "portfolio review"},
        guild=None,
    )
    assert "Standup saved" in saved.text()
    history = await cohort.say("alice", "/history")  # in the server: the same tenant
    assert "portfolio review" in history.text()


SURVEY = Form(
    "survey",
    "Seven questions",
    "survey",
    tuple(Question(f"q{i}", f"Question {i}", required=i < 2) for i in range(7)),
    intro="A long form.",
)


class FormCore:
    """A core whose only command answers with a seven-question form, then records answers."""

    registry = REGISTRY

    def __init__(self) -> None:
        self.submitted: list[Invocation] = []

    def attach(self, platform: object) -> None:
        """Nothing here asks the platform anything."""

    async def handle(self, invocation: Invocation) -> Reply:
        if invocation.options:
            self.submitted.append(invocation)
            return Reply.of("Thanks!")
        return Reply.of(SURVEY)


@pytest.fixture
async def long_form(fake: FakeDiscord, tmp_path) -> AsyncIterator[tuple[Harness, FormCore]]:
    core = FormCore()
    settings = Settings(database_url=f"sqlite:///{tmp_path}/unused.db", _env_file=None)
    adapter = DiscordAdapter(core, discord_settings(settings, fake), client_options=CLIENT_OPTIONS)
    await adapter.start()
    try:
        yield Harness(fake, adapter, None), core
    finally:
        await adapter.stop()


async def test_a_form_longer_than_a_modal_is_split_into_parts(long_form) -> None:
    harness, core = long_form
    first = await harness.say("alice", "/help")
    assert first.kind == MODAL and first.data["title"] == "Seven questions (1/2)"
    assert list(inputs(first)) == ["q0", "q1", "q2", "q3", "q4"]
    part = first.data["custom_id"]
    assert part.startswith("ob:part:") and part.endswith(":0")
    halfway = await harness.submit("alice", part, {f"q{i}": f"a{i}" for i in range(5)})
    assert "Part 1 of 2 saved" in halfway.text()
    [next_id] = halfway.custom_ids()
    second = await harness.press("alice", next_id)
    assert second.kind == MODAL and second.data["title"] == "Seven questions (2/2)"
    assert list(inputs(second)) == ["q5", "q6"]
    done = await harness.submit("alice", second.data["custom_id"], {"q5": "a5", "q6": ""})
    assert "Thanks!" in done.text()
    [submitted] = core.submitted
    assert submitted.command == "survey"
    assert dict(submitted.options) == {f"q{i}": f"a{i}" for i in range(6)}
    stale = await harness.submit("alice", second.data["custom_id"], {"q5": "again"})
    assert "expired" in stale.text()
