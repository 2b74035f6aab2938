"""References to a member's own rows (A3, C7, G2, B1): typed parameters that load the row, the
wrong kind refused by name, old global ids still found with a note, and autocomplete that
offers only the caller's rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from adapters.console import ConsoleAdapter
from bot.invocation import Invocation
from storage.models import Application, Tenant
from storage.scope import system_session


async def test_the_wrong_kind_of_id_is_named(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    reply = await cohort.say("alice", "/app show C1")
    assert reply.startswith("⚠️ `C1` is not an application id; ids look like A12.")
    assert "Usage: `/app show ID`" in reply


async def test_an_old_global_id_still_finds_its_row_and_says_the_new_one(
    cohort: ConsoleAdapter,
) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    async with system_session(cohort.app.sessions) as session:
        await session.execute(update(Application).values(legacy_id=812))
        await session.commit()
    reply = await cohort.say("alice", "/app show A812")
    assert "Application A1" in reply
    assert "ℹ️ A812 is now A1; old ids work until 2027-06-30." in reply
    assert "is now" not in await cohort.say("alice", "/app show A1")


async def test_autocomplete_offers_only_the_callers_rows(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/apply Stripe "Backend Engineer"')
    await cohort.say("bob", '/apply Globex "Data Engineer"')
    await cohort.say("alice", '/apply Acme "Junior Developer"')
    app = cohort.app
    alice = cohort.invocation("alice")
    mine = await app.suggest(alice, "app stage", "id", "")
    assert [value for _, value in mine] == ["A3", "A1"]
    assert mine[0][0] == "A3 · Junior Developer at Acme (applied)"
    assert [v for _, v in await app.suggest(alice, "app show", "id", "stripe")] == ["A1"]
    assert [v for _, v in await app.suggest(alice, "app show", "id", "A3")] == ["A3"]
    assert await app.suggest(alice, "app show", "id", "globex") == []
    assert [v for _, v in await app.suggest(alice, "me", "timezone", "berl")] == ["Europe/Berlin"]
    assert await app.suggest(alice, "apply", "company", "x") == []  # nothing to suggest


async def test_autocomplete_for_a_stranger_registers_nobody(cohort: ConsoleAdapter) -> None:
    stranger = Invocation(platform="console", tenant_id="elsewhere", user_id="eve", user_name="eve")
    assert await cohort.app.suggest(stranger, "app show", "id", "") == []
    async with system_session(cohort.app.sessions) as session:
        tenants = (await session.scalars(select(Tenant.external_id))).all()
    assert "elsewhere" not in tenants


@pytest.mark.parametrize("line", ["/goal show A1", "/barrier remove G1", "/contact show B1"])
async def test_every_entity_refuses_another_prefix(cohort: ConsoleAdapter, line: str) -> None:
    reply = await cohort.say("alice", line)
    assert reply.startswith("⚠️ `") and "is not a" in reply and "ids look like" in reply
