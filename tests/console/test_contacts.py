"""/outreach, /contacts and /contact through the console: logging, filters, updates, isolation."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from storage.models import Contact
from storage.scope import system_session

OUTREACH_USAGE = "Usage: `/outreach NAME [company=COMPANY]"
OUTREACH_EXAMPLE = 'Example: `/outreach "Ana Silva" company=Stripe how=coffee`'


async def count(console: ConsoleAdapter) -> int:
    async with system_session(console.app.sessions) as session:
        return await session.scalar(select(func.count()).select_from(Contact))


async def contact_rows(console: ConsoleAdapter) -> list[Contact]:
    async with system_session(console.app.sessions) as session:
        return list((await session.scalars(select(Contact).order_by(Contact.id))).all())


def squash(text: str) -> str:
    """Collapse runs of spaces so field and table alignment does not matter."""
    return re.sub(r"[ \t]+", " ", text)


# -- /outreach ---------------------------------------------------------------------------------


async def test_outreach_happy_path(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say(
        "alice", '/outreach "Jane Doe" company=Stripe how=coffee follow-up=fri'
    )
    assert "🤝 Logged contact C1: Jane Doe at Stripe (coffee)." in reply
    assert "I'll remind you to follow up on Fri Nov 20." in reply
    assert "This week: 1/10 outreach." in reply


async def test_outreach_defaults(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/outreach Sam")
    assert "Logged contact C1: Sam (other)." in reply
    assert "follow up" not in reply
    [row] = await contact_rows(cohort)
    assert (row.name, row.company, row.channel, row.contacted_on, row.follow_up) == (
        "Sam",
        "",
        "other",
        date(2026, 11, 18),
        None,
    )


async def test_outreach_stores_every_option(cohort: ConsoleAdapter) -> None:
    await cohort.say(
        "alice",
        '/outreach "Jane Doe" company=Stripe role="Engineering Manager" how=linkedin '
        'learned="team uses Go" next="send resume" follow-up=2026-11-24 date=yesterday force=yes',
    )
    shown = squash(await cohort.say("alice", "/contact show C1"))
    assert shown.startswith("Contact C1")
    for expected in (
        "Name Jane Doe",
        "How linkedin",
        "When Tue Nov 17",
        "Company Stripe",
        "Role Engineering Manager",
        "Learned team uses Go",
        "Next step send resume",
        "Follow up Tue Nov 24",
    ):
        assert expected in shown, (expected, shown)


async def test_outreach_last_week_has_no_weekly_line(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/outreach Sam date=2026-11-10 force=yes")
    assert "Logged contact C1" in reply
    assert "This week" not in reply


async def test_outreach_dates_use_the_members_time_zone(
    cohort: ConsoleAdapter, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 20, 23, 30, tzinfo=UTC), tick=False)
    await cohort.say("alice", "/me timezone=Asia/Tokyo")
    await cohort.say("alice", "/outreach Sam follow-up=fri")
    [row] = await contact_rows(cohort)
    assert row.contacted_on == date(2026, 11, 21)  # already Saturday in Tokyo
    assert row.follow_up == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/outreach", "`/outreach` needs NAME (who you reached out to)."),
        ('/outreach ""', "`/outreach` needs NAME"),
        ('/outreach "   "', "`/outreach` needs NAME"),
        ("/outreach company=Stripe", "`/outreach` needs NAME"),
        ("/outreach Sam how=fax", "`how` must be one of linkedin, email, coffee"),
        ("/outreach Sam date=tomorrow", "That date is in the future"),
        ("/outreach Sam date=2026-12-01", "That date is in the future"),
        ("/outreach Sam follow-up=whenever", "`follow-up`:"),
        ("/outreach Jane Doe", "I don't know what to do with `Doe`."),
        ("/outreach Sam mood=great", "`/outreach` has no option `mood=`."),
    ],
)
async def test_outreach_bad_input_is_explained_and_writes_nothing(
    cohort: ConsoleAdapter, line: str, message: str
) -> None:
    reply = await cohort.say("alice", line)
    assert reply.startswith("⚠️"), reply
    assert message in reply, reply
    assert OUTREACH_USAGE in reply, reply
    assert OUTREACH_EXAMPLE in reply, reply
    assert await count(cohort) == 0


# -- /contacts ---------------------------------------------------------------------------------


async def seed(console: ConsoleAdapter) -> None:
    await console.say("alice", '/outreach "Jane Doe" company=Stripe how=coffee')
    await console.say("alice", '/outreach Sam how=linkedin date="3 days ago" force=yes')
    await console.say(
        "alice", "/outreach Priya company=stripe-press how=email date=2026-11-01 force=yes"
    )


async def test_contacts_lists_newest_first(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/contacts")
    assert "Your contacts (3)" in reply
    assert reply.index("Jane Doe") < reply.index("Sam") < reply.index("Priya")


async def test_contacts_filter_by_channel(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/contacts how=linkedin")
    assert "Your contacts (1)" in reply
    assert "Sam" in reply
    assert "Jane Doe" not in reply and "Priya" not in reply


async def test_contacts_filter_by_company(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", "/contacts company=STRIPE")
    assert "Your contacts (2)" in reply
    assert "Jane Doe" in reply and "Priya" in reply
    assert "Sam" not in reply


async def test_contacts_filter_since(cohort: ConsoleAdapter) -> None:
    await seed(cohort)
    reply = await cohort.say("alice", '/contacts since="5 days ago"')
    assert "Your contacts (2)" in reply
    assert "Priya" not in reply


async def test_contacts_empty_state(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/contacts")
    assert "Your contacts (0)" in reply
    assert 'No contacts match. Log one with /outreach "Jane Doe" company=Stripe.' in reply


async def test_contacts_bad_filter(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/contacts how=fax")
    assert reply.startswith("⚠️")
    assert "`how` must be one of" in reply
    assert "Usage: `/contacts [how=HOW] [company=COMPANY] [since=SINCE]`" in reply


# -- /contact show and update ------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["C1", "c1", "1", "#1"])
async def test_contact_show_accepts_forgiving_ids(cohort: ConsoleAdapter, raw: str) -> None:
    await cohort.say("alice", "/outreach Sam")
    assert (await cohort.say("alice", f"/contact show {raw}")).startswith("Contact C1")


async def test_contact_show_rejects_bad_and_unknown_ids(cohort: ConsoleAdapter) -> None:
    reply = await cohort.say("alice", "/contact show A1")
    assert reply.startswith("⚠️ `A1` is not a contact id; ids look like C12.")
    assert "Usage: `/contact show ID`" in reply
    reply = await cohort.say("alice", "/contact show C9")
    assert reply.startswith("⚠️ You have no contact C9.")
    assert "/contacts" in reply


async def test_contact_update_changes_fields(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/outreach "Jane Doe" company=Stripe how=coffee next="call"')
    reply = await cohort.say(
        "alice", '/contact update C1 learned="hiring in Q1" how=email follow-up=2026-11-23'
    )
    assert reply == "✏️ Updated C1: how, learned, follow-up."
    shown = squash(await cohort.say("alice", "/contact show C1"))
    assert "How email" in shown
    assert "Learned hiring in Q1" in shown
    assert "Follow up Mon Nov 23" in shown
    assert "Next step call" in shown
    assert "Company Stripe" in shown


async def test_contact_update_without_changes_is_refused(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", "/outreach Sam")
    [before] = await contact_rows(cohort)
    reply = await cohort.say("alice", "/contact update C1")
    assert reply.startswith("⚠️ Say what to change")
    assert "Usage: `/contact update ID" in reply
    [after] = await contact_rows(cohort)
    assert after.updated_at == before.updated_at


async def test_contact_update_bad_value_changes_nothing(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/outreach Sam learned="likes Go"')
    reply = await cohort.say("alice", '/contact update C1 learned="likes Rust" how=pigeon')
    assert reply.startswith("⚠️")
    assert "`how` must be one of" in reply
    [row] = await contact_rows(cohort)
    assert (row.learned, row.channel) == ("likes Go", "other")


async def test_contact_update_refuses_blank_name(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/outreach "Jane Doe"')
    reply = await cohort.say("alice", '/contact update C1 name=""')
    assert reply.startswith("⚠️")
    [row] = await contact_rows(cohort)
    assert row.name == "Jane Doe"


# -- isolation between members -----------------------------------------------------------------


async def test_another_member_cannot_see_or_change_a_contact(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/outreach "Rita Moreno" company=Globex learned="team uses Go"')
    [before] = await contact_rows(cohort)

    for line in ("/contact show C1", '/contact update C1 learned="hijacked"'):
        reply = await cohort.say("bob", line)
        assert reply.startswith("⚠️ You have no contact C1."), (line, reply)
    listing = await cohort.say("bob", "/contacts")
    assert "Your contacts (0)" in listing
    assert "Rita Moreno" not in listing

    [after] = await contact_rows(cohort)
    assert (after.learned, after.updated_at) == ("team uses Go", before.updated_at)


async def test_each_member_sees_only_their_own_contacts(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/outreach "Rita Moreno"')
    await cohort.say("bob", "/outreach Sam")
    alice = await cohort.say("alice", "/contacts")
    bob = await cohort.say("bob", "/contacts")
    assert "Rita Moreno" in alice and "Sam" not in alice
    assert "Sam" in bob and "Rita Moreno" not in bob
    assert (await cohort.say("bob", "/contact show C2")).startswith("Contact C2")
