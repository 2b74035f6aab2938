"""Two tenants on one app: nothing one tenant owns can be seen, changed or joined from the other."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from storage.models import (
    TENANT_TABLES,
    Application,
    Cohort,
    Contact,
    Member,
    StageChange,
    Tenant,
)
from storage.scope import system_session


@pytest.fixture
async def local(cohort: ConsoleAdapter) -> ConsoleAdapter:
    """Tenant "local": alice has application A1 and contact C1, both due for follow-up today."""
    reply = await cohort.say(
        "alice", '/apply Stripe "Backend Engineer" notes="dream job" follow-up=today'
    )
    assert "Logged application A1" in reply
    reply = await cohort.say("alice", '/outreach "Jane Doe" learned="team uses Go" follow-up=today')
    assert "Logged contact C1" in reply
    return cohort


@pytest.fixture
def other(local: ConsoleAdapter) -> ConsoleAdapter:
    """The same app seen from tenant "other" (another workspace)."""
    return ConsoleAdapter(local.app, tenant="other", files_dir=local.files_dir)


async def tenant_id(console: ConsoleAdapter, external_id: str) -> int:
    async with system_session(console.app.sessions) as session:
        return await session.scalar(
            select(Tenant.id).where(Tenant.platform == "console", Tenant.external_id == external_id)
        )


async def snapshot(console: ConsoleAdapter) -> dict[str, object]:
    """A1 and C1 of tenant local's alice (and A1's stage history), as plain values."""
    async with system_session(console.app.sessions) as session:
        app = await session.get(Application, 1)
        contact = await session.get(Contact, 1)
        changes = (
            await session.scalars(select(StageChange).where(StageChange.application_id == 1))
        ).all()
        assert app is not None and contact is not None
        return {
            "app": (
                app.tenant_id,
                app.stage,
                app.notes,
                app.next_step,
                app.follow_up,
                app.updated_at,
            ),
            "contact": (
                contact.tenant_id,
                contact.learned,
                contact.channel,
                contact.follow_up,
                contact.updated_at,
            ),
            "changes": [(c.tenant_id, c.stage) for c in changes],
        }


async def test_local_rows_carry_the_local_tenant_id(local: ConsoleAdapter) -> None:
    local_id = await tenant_id(local, "local")
    assert local_id is not None
    async with system_session(local.app.sessions) as session:
        for table in TENANT_TABLES:
            ids = set((await session.execute(select(table.c.tenant_id))).scalars())
            assert ids <= {local_id}, table.name


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/app show A1", "⚠️ You have no application A1."),
        ("/app stage A1 interview", "⚠️ You have no application A1."),
        ('/app update A1 notes="hijacked" follow-up=2026-12-24', "⚠️ You have no application A1."),
        ("/contact show C1", "⚠️ You have no contact C1."),
        ('/contact update C1 learned="hijacked" how=email', "⚠️ You have no contact C1."),
        ("/followup done A1", "⚠️ You have nothing to follow up with id A1."),
        ('/followup done C1 next="in 7 days"', "⚠️ You have nothing to follow up with id C1."),
        ("/followup snooze A1", "⚠️ You have nothing to follow up with id A1."),
        ("/followup snooze C1 2026-12-01", "⚠️ You have nothing to follow up with id C1."),
    ],
)
async def test_other_tenant_cannot_see_or_change_local_items(
    local: ConsoleAdapter, other: ConsoleAdapter, line: str, message: str
) -> None:
    before = await snapshot(local)
    reply = await other.say("alice", line)
    assert reply.startswith(message), reply
    assert "Stripe" not in reply and "Jane Doe" not in reply
    assert await snapshot(local) == before


async def test_other_tenant_lists_are_empty(local: ConsoleAdapter, other: ConsoleAdapter) -> None:
    assert "Your applications (0)" in await other.say("alice", "/apps")
    assert "Your contacts (0)" in await other.say("alice", "/contacts")
    assert "Nothing to follow up on today" in await other.say("alice", "/followups")
    history = await other.say("alice", "/history")
    assert "No applications." in history and "No contacts." in history
    # ...while local alice still sees hers.
    assert "Stripe" in await local.say("alice", "/apps")


async def test_same_user_id_is_a_different_member_in_each_tenant(
    local: ConsoleAdapter, other: ConsoleAdapter
) -> None:
    await other.say("alice", "/me")
    async with system_session(local.app.sessions) as session:
        rows = (
            await session.scalars(select(Member).where(Member.platform_user_id == "alice"))
        ).all()
    assert len(rows) == 2
    assert {m.tenant_id for m in rows} == {
        await tenant_id(local, "local"),
        await tenant_id(local, "other"),
    }
    assert {m.cohort_id is None for m in rows} == {True, False}


async def test_other_tenant_cannot_join_the_local_cohort(
    local: ConsoleAdapter, other: ConsoleAdapter
) -> None:
    reply = await other.say("dana", '/cohort join "Fall 2026"')
    assert reply.startswith("⚠️ There is no cohort called Fall 2026.")
    assert "Cohorts here: none yet." in reply
    async with system_session(local.app.sessions) as session:
        local_cohort = (await session.scalars(select(Cohort))).one()
        members = (
            await session.scalars(select(Member).where(Member.cohort_id == local_cohort.id))
        ).all()
    assert sorted(m.platform_user_id for m in members) == ["alice", "bob", "coach"]
    members_reply = await local.say("coach", "/cohort members")
    assert "dana" not in members_reply


async def test_same_cohort_name_in_another_tenant_is_independent(
    local: ConsoleAdapter, other: ConsoleAdapter
) -> None:
    reply = await other.say("mallory", '/cohort create "Fall 2026" timezone=Asia/Tokyo')
    assert "Created cohort Fall 2026" in reply
    assert "You're in Fall 2026" in await other.say("dana", '/cohort join "Fall 2026"')

    local_id, other_id = await tenant_id(local, "local"), await tenant_id(local, "other")
    async with system_session(local.app.sessions) as session:
        cohorts = {c.tenant_id: c for c in (await session.scalars(select(Cohort))).all()}
        members = {m.platform_user_id: m for m in (await session.scalars(select(Member))).all()}
    assert set(cohorts) == {local_id, other_id}
    assert cohorts[local_id].name == cohorts[other_id].name == "Fall 2026"
    assert cohorts[local_id].timezone == "UTC"
    assert cohorts[other_id].timezone == "Asia/Tokyo"
    assert members["dana"].tenant_id == other_id
    assert members["dana"].cohort_id == cohorts[other_id].id
    assert members["mallory"].role == "coach"
    assert members["alice"].cohort_id == cohorts[local_id].id

    # Each cohort lists only its own people.
    local_members = await local.say("coach", "/cohort members")
    assert "alice" in local_members and "dana" not in local_members
    other_members = await other.say("mallory", "/cohort members")
    assert "dana" in other_members and "alice" not in other_members


async def test_coach_in_other_tenant_cannot_reach_local_members(
    local: ConsoleAdapter, other: ConsoleAdapter
) -> None:
    await other.say("mallory", '/cohort create "Fall 2026"')
    reply = await other.say("mallory", "/history member=@alice")
    assert reply.startswith("⚠️ I can't find alice in your cohort.")
    assert "Stripe" not in reply


async def test_rows_created_in_other_tenant_carry_its_id(
    local: ConsoleAdapter, other: ConsoleAdapter
) -> None:
    before = await snapshot(local)
    reply = await other.say("alice", "/apply Acme Developer follow-up=today")
    app_ref = re.search(r"Logged application (A\d+)", reply)
    assert app_ref, reply
    reply = await other.say("alice", "/outreach Sam follow-up=today")
    contact_ref = re.search(r"Logged contact (C\d+)", reply)
    assert contact_ref, reply

    # The other alice sees and works with only her own items.
    shown = await other.say("alice", f"/app show {app_ref[1]}")
    assert "Acme" in shown and "Stripe" not in shown
    due = await other.say("alice", "/followups")
    assert "Follow-ups due (2)" in due
    assert "Acme" in due and "Sam" in due and "Stripe" not in due and "Jane Doe" not in due
    # Ids are per tenant: the other workspace starts again at A1 and C1...
    assert (app_ref[1], contact_ref[1]) == ("A1", "C1")
    # ...and the same id in local alice's workspace is her own item, never the other one.
    mine = await local.say("alice", f"/app show {app_ref[1]}")
    assert "Stripe" in mine and "Acme" not in mine
    mine = await local.say("alice", f"/contact show {contact_ref[1]}")
    assert "Jane Doe" in mine and "Sam" not in mine

    other_id = await tenant_id(local, "other")
    async with system_session(local.app.sessions) as session:
        acme = (
            await session.scalars(select(Application).where(Application.company == "Acme"))
        ).one()
        sam = (await session.scalars(select(Contact).where(Contact.name == "Sam"))).one()
        acme_changes = (
            await session.scalars(select(StageChange).where(StageChange.application_id == acme.id))
        ).all()
        owner = await session.get(Member, acme.member_id)
        assert owner is not None
        owner_tenant = owner.tenant_id
        total = await session.scalar(select(func.count()).select_from(Application))
    assert (acme.tenant_id, sam.tenant_id, owner_tenant) == (other_id, other_id, other_id)
    assert [c.tenant_id for c in acme_changes] == [other_id]
    assert acme.follow_up == date(2026, 11, 18)
    assert total == 2
    assert await snapshot(local) == before
