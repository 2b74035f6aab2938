"""``OFFERBOUND_COHORT_CREATORS`` in the core: the setting's forms, and the console's answer
(whoever sits at the console is its admin, so the default lets them create cohorts; a policy that
names only a group does not)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from adapters.console.adapter import ConsoleAdapter
from bot.app import App
from bot.invocation import Invocation
from bot.settings import Settings


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("admins", "admins"),
        (" anyone ", "anyone"),
        ("admins, group:S0COACHES", "admins,group:S0COACHES"),
        ("group:1234567890", "group:1234567890"),
        ("", "admins"),
    ],
)
def test_the_setting_takes_admins_anyone_and_groups(given: str, kept: str) -> None:
    assert Settings(_env_file=None, cohort_creators=given).cohort_creators == kept


@pytest.mark.parametrize("wrong", ["everyone", "group:", "admins;group:S1", "role:123"])
def test_a_wrong_setting_names_the_variable_and_the_right_form(wrong: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None, cohort_creators=wrong)
    assert "OFFERBOUND_COHORT_CREATORS is a list of anyone, admins and group:ID" in str(
        raised.value
    )


async def test_the_console_may_create_cohorts_by_default(console: ConsoleAdapter) -> None:
    assert "Created cohort Fall 2026" in await console.say("anna", '/cohort create "Fall 2026"')


async def test_a_group_only_policy_refuses_the_console(app: App, console: ConsoleAdapter) -> None:
    app.settings.cohort_creators = "group:S0COACHES"
    reply = await console.say("anna", '/cohort create "Fall 2026"')
    assert "Only the coaches' group may create cohorts here" in reply
    assert "There is no cohort called Fall 2026" in await console.say(
        "anna", '/cohort join "Fall 2026"'
    )


async def test_a_platform_that_is_not_attached_grants_nothing(app: App) -> None:
    """An invocation from a platform no adapter attached (a bug, or a forged platform name)
    cannot ask anyone's standing, so it gets no rights."""
    invocation = Invocation(
        platform="nowhere", tenant_id="t", user_id="u", user_name="u", text='/cohort create "X"'
    )
    reply = await app.handle(invocation)
    assert not reply.ok
    assert "may create cohorts here" in reply.plain_text()
