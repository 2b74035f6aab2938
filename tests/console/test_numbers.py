"""Ids users see are per workspace: A1, C1, G1, B1 start afresh in each, and never cross over."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from storage.models import Application, Contact, Counter
from storage.scope import system_session

GOAL = (
    '/goal add "20 applications" specific="backend roles" measurable="20 sent" '
    'actionable="4 a day" resonant="payments" timely="in 4 weeks"'
)


@pytest.fixture
def other(console: ConsoleAdapter) -> ConsoleAdapter:
    """The same app seen from another workspace."""
    return ConsoleAdapter(console.app, tenant="other", files_dir=console.files_dir)


def logged(reply: str, noun: str) -> str:
    found = re.search(rf"{noun} ([ACGB]\d+)", reply)
    assert found, reply
    return found[1]


async def test_two_workspaces_each_count_from_one(
    console: ConsoleAdapter, other: ConsoleAdapter
) -> None:
    for workspace in (console, other, console, other):
        reply = await workspace.say("alice", "/apply Stripe Dev force=yes")  # the same one twice
        assert logged(reply, "application") in (
            "A1",
            "A2",
        )
    assert logged(await console.say("bob", "/apply Acme Dev"), "application") == "A3"
    assert logged(await other.say("alice", '/outreach "Jane Doe"'), "contact") == "C1"
    assert logged(await console.say("alice", '/outreach "Sam"'), "contact") == "C1"
    assert logged(await other.say("alice", GOAL), "Goal") == "G1"
    assert logged(await console.say("alice", GOAL), "Goal") == "G1"
    reply = await other.say("alice", '/barrier add "no degree" overcome="projects"')
    assert logged(reply, "Barrier") == "B1"
    listing = await other.say("alice", "/apps")
    assert re.findall(r"\bA\d+\b", listing) == ["A2", "A1"]
    async with system_session(console.app.sessions) as session:
        numbers = (
            await session.execute(
                select(Application.tenant_id, Application.number).order_by(Application.id)
            )
        ).all()
        counters = {
            (c.tenant_id, c.kind): c.value for c in (await session.scalars(select(Counter))).all()
        }
    local, remote = numbers[0][0], numbers[1][0]
    assert numbers == [(local, 1), (remote, 1), (local, 2), (remote, 2), (local, 3)]
    assert counters[(local, "applications")] == 3
    assert counters[(remote, "applications")] == 2


async def test_a_guessed_id_from_another_workspace_finds_nothing(
    console: ConsoleAdapter, other: ConsoleAdapter
) -> None:
    for company in ("Acme", "Globex", "Initech"):
        await other.say("alice", f"/apply {company} Dev")
    await other.say("alice", '/outreach "Jane Doe"')
    await other.say("alice", '/outreach "Sam"')
    await console.say("alice", "/apply Stripe Dev")
    for line, message in (
        ("/app show A3", "⚠️ You have no application A3."),
        ("/app stage A2 interview", "⚠️ You have no application A2."),
        ("/contact show C2", "⚠️ You have no contact C2."),
        ("/followup done A3", "⚠️ You have nothing to follow up with id A3."),
        ("/goal show G1", "⚠️ You have no goal G1."),
        ("/barrier remove B1", "⚠️ You have no barrier B1."),
    ):
        reply = await console.say("alice", line)
        assert reply.startswith(message), (line, reply)
        assert "Acme" not in reply and "Globex" not in reply and "Initech" not in reply
    shown = await console.say("alice", "/app show A1")
    assert "Stripe" in shown and "Acme" not in shown


async def test_imports_take_a_block_of_numbers(console: ConsoleAdapter, tmp_path: Path) -> None:
    await console.say("alice", "/apply Stripe Dev")
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(
        "Company,Role,Date applied\nAcme,Dev,2026-11-02\nGlobex,Dev,2026-11-03\n"
        "Initech,Dev,2026-11-04\n",
        encoding="utf-8",
    )
    assert "Imported 3 applications" in await console.say("alice", f"/import tracker {tracker}")
    assert logged(await console.say("alice", "/apply Hooli Dev"), "application") == "A5"
    async with system_session(console.app.sessions) as session:
        rows = (
            await session.execute(
                select(Application.company, Application.number).order_by(Application.number)
            )
        ).all()
    assert rows == [("Stripe", 1), ("Acme", 2), ("Globex", 3), ("Initech", 4), ("Hooli", 5)]
    export = await console.ask("alice", "/export tracker format=csv what=applications")
    (csv_file,) = [b for b in export.blocks if getattr(b, "filename", "").endswith(".csv")]
    ids = re.findall(r"^A\d+", csv_file.content.decode().replace("\r", ""), re.MULTILINE)
    assert sorted(ids) == ["A1", "A2", "A3", "A4", "A5"]


async def test_concurrent_commands_get_distinct_numbers(
    database_url: str,
    console: ConsoleAdapter,
    other: ConsoleAdapter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Several /apply at once, in two workspaces, the first ones racing to create the counter.

    The counter row is locked by each UPDATE until commit, and a first use that loses the race
    to insert it waits for the winner instead of failing: no command has to run again.
    """
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite runs one writer at a time; concurrency is PostgreSQL's")
    people = ("alice", "bob", "carol", "dan")
    for person in people:  # registered first: only the numbering races below
        await console.say(person, "/me")
        await other.say(person, "/me")
    lines = [
        (workspace, person, f"/apply Company{n} Dev")
        for n in range(3)
        for person in people
        for workspace in (console, other)
    ]
    caplog.set_level(logging.INFO, logger="offerbound.core")
    replies = await asyncio.gather(*(ws.say(person, line) for ws, person, line in lines))
    by_workspace: dict[str, list[str]] = {"local": [], "other": []}
    for (workspace, _, _), reply in zip(lines, replies, strict=True):
        by_workspace[workspace.tenant].append(logged(reply, "application"))
    for ids in by_workspace.values():
        assert sorted(ids, key=lambda i: int(i[1:])) == [f"A{n}" for n in range(1, 13)]
    replies = await asyncio.gather(
        *(console.say(person, f'/outreach "Contact {person}"') for person in people)
    )
    assert sorted(logged(r, "contact") for r in replies) == ["C1", "C2", "C3", "C4"]
    async with system_session(console.app.sessions) as session:
        numbers = (await session.execute(select(Contact.tenant_id, Contact.number))).all()
    assert len(set(numbers)) == len(numbers) == 4
    assert not [r for r in caplog.records if "running it again" in r.getMessage()]


def test_no_id_users_see_is_built_from_a_primary_key() -> None:
    """``A12`` is ``x.number``: a label from ``x.id`` would show (and count) the global rows."""
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"[ACGB]\{\w+\.id\}|label\([\w.]+, [\w.]+\.id\)")
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for folder in ("bot", "adapters")
        for path in sorted((root / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
