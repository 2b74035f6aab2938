"""/reflect (issue 16: reflection and priority): filled in parts, shown above the career plan,
read by the coach, written only by the member."""

from __future__ import annotations

from adapters.console import ConsoleAdapter


async def test_the_reflection_is_filled_in_parts_and_shown(cohort: ConsoleAdapter) -> None:
    assert "No reflection yet" in await cohort.say("alice", "/reflect")
    first = await cohort.say("alice", '/reflect stage="career changer from teaching" priority=4')
    assert "Reflection saved" in first and "4/5 (high)" in first
    second = await cohort.say(
        "alice", '/reflect strengths="patience" interests="education" overlap="ed-tech backend"'
    )
    for part in ("career changer from teaching", "patience", "ed-tech backend", "4/5"):
        assert part in second
    career = await cohort.say("alice", "/career show")
    assert career.index("Your reflection") < career.index("Your career plan")


async def test_the_coach_reads_it_and_only_the_member_writes_it(cohort: ConsoleAdapter) -> None:
    await cohort.say("alice", '/reflect valued="explaining things" other-area="health"')
    read = await cohort.say("coach", "/reflect member=@alice")
    assert "alice's reflection" in read and "explaining things" in read and "health" in read
    write = await cohort.ask("coach", '/reflect member=@alice valued="x"')
    assert not write.ok and write.field == "member"
    peek = await cohort.ask("bob", "/reflect member=@alice")
    assert not peek.ok and "Only coaches can see another member's details" in peek.plain_text()


async def test_a_priority_outside_1_to_5_is_refused_and_nothing_saved(
    cohort: ConsoleAdapter,
) -> None:
    reply = await cohort.ask("alice", '/reflect priority=9 stage="x"')
    assert not reply.ok and reply.field == "priority"
    assert "No reflection yet" in await cohort.say("alice", "/reflect")


async def test_forget_removes_it(cohort: ConsoleAdapter) -> None:
    await cohort.say("dana", '/reflect stage="new grad"')
    await cohort.say("dana", "/privacy forget confirm=yes")
    assert "No reflection yet" in await cohort.say("dana", "/reflect")
