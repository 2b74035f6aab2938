"""/extension (issue 16: the optional extensions): a side project and an open-source plan with
their fields, and community involvement counted against three of each."""

from __future__ import annotations

from adapters.console import ConsoleAdapter


async def test_a_side_project_is_planned_in_parts(cohort: ConsoleAdapter) -> None:
    first = await cohort.say("alice", '/extension side-project idea="a study-group scheduler"')
    assert "Side project plan saved" in first and "a study-group scheduler" in first
    second = await cohort.say(
        "alice", '/extension side-project mvp="one shared calendar" working-by=2027-01-31'
    )
    assert "a study-group scheduler" in second and "one shared calendar" in second
    assert "Sun Jan 31" in second
    empty = await cohort.ask("alice", "/extension side-project")
    assert not empty.ok and "idea=... chosen=... mvp=... users=..." in empty.plain_text()
    past = await cohort.ask("alice", "/extension side-project working-by=2020-01-01")
    assert not past.ok and past.field == "working-by"


async def test_open_source_and_community_progress(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/extension open-source projects="httpx" why="I use it daily"')
    await cohort.say("alice", '/extension community meetup "PyData Berlin" status=joined')
    done = await cohort.say(
        "alice", '/extension community meetup "pydata berlin" status=done link=https://x.example'
    )
    assert "Meetup PyData Berlin: attended." in done
    assert "1/3 meetups attended" in done and "0/3 posts published" in done
    await cohort.say("alice", '/extension community post "What I learned from 100 applications"')
    shown = await cohort.say("alice", "/extension show")
    for part in ("Open source", "httpx", "PyData Berlin", "https://x.example", "idea"):
        assert part in shown
    assert shown.count("PyData Berlin") == 1  # the same title updates, never duplicates


async def test_coaches_read_members_only_their_own(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/extension open-source projects="httpx"')
    assert "httpx" in await cohort.say("coach", "/extension show member=@alice")
    peek = await cohort.ask("bob", "/extension show member=@alice")
    assert not peek.ok
    assert "No extension plans yet" in await cohort.say("bob", "/extension show")
