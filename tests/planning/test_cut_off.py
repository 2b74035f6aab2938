"""/plan cut-off (issue 16: the cut-off beside the offer-by date): set, shown with its
consequence in /plan show and the review, refused before the offer date, cleared with off."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console import ConsoleAdapter
from tests.planning.helpers import files, ok, refused


async def test_the_cut_off_goes_beside_the_offer_date(cohort: ConsoleAdapter) -> None:
    assert "Set your offer date first" in await refused(cohort, "alice", "/plan cut-off 2027-06-30")
    await ok(cohort, "alice", "/plan offer-by 2027-03-31")
    early = await refused(cohort, "alice", "/plan cut-off 2027-03-01")
    assert "would end the search before it can succeed" in early
    bad = await cohort.ask("alice", "/plan cut-off someday")
    assert bad.field == "date" and "Use YYYY-MM-DD or off" in bad.plain_text()
    set_ = await ok(cohort, "alice", "/plan cut-off 2027-06-30")
    assert "Cut-off Wed Jun 30 2027 (224 days left)" in set_.plain_text()
    shown = (await ok(cohort, "alice", "/plan show")).plain_text()
    assert "Cut-off Wed Jun 30 2027" in shown and "end or rethink the search" in shown
    review = files(await ok(cohort, "alice", "/review"))["review-alice-2026-11-18.md"]
    assert "Cut-off Wed Jun 30 2027" in review.content.decode()
    assert "Cut-off cleared" in (await ok(cohort, "alice", "/plan cut-off off")).plain_text()
    assert "Cut-off" not in (await ok(cohort, "alice", "/plan show")).plain_text()


async def test_a_passed_cut_off_says_it_is_time_to_decide(
    cohort: ConsoleAdapter, time_machine
) -> None:
    await ok(cohort, "alice", "/plan offer-by 2026-12-31")
    await ok(cohort, "alice", "/plan cut-off 2027-01-15")
    time_machine.move_to(datetime(2027, 1, 20, 12, tzinfo=UTC), tick=False)
    shown = (await ok(cohort, "alice", "/plan show")).plain_text()
    assert "Your cut-off, Fri Jan 15 2027, has passed with no offer yet" in shown
