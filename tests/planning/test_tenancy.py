"""Another workspace can neither see nor touch a member's plan, goals, barriers or data."""

from __future__ import annotations

import io
import json
import zipfile

from adapters.console import ConsoleAdapter
from storage.models import Barrier, Goal, SearchPlan
from tests.planning.helpers import count, files, ok, refused


async def test_plans_goals_and_privacy_stay_inside_their_tenant(cohort: ConsoleAdapter) -> None:
    await ok(cohort, "alice", "/plan offer-by 2027-03-31")
    await ok(
        cohort,
        "alice",
        '/goal add "x" specific=a measurable=b actionable=c resonant=d timely=fri',
    )
    await ok(cohort, "alice", '/barrier add "nerves" overcome="mocks"')
    other = ConsoleAdapter(cohort.app, tenant="other", files_dir=cohort.files_dir)
    # The same user name in another workspace is another person with nothing planned.
    assert "No offer date yet" in (await ok(other, "alice", "/plan show")).plain_text()
    assert "no goal G1" in await refused(other, "alice", "/goal done G1")
    assert "no goal G1" in await refused(other, "alice", "/goal update G1 title=mine")
    assert "no barrier B1" in await refused(other, "alice", "/barrier remove B1")
    (archive,) = files(await ok(other, "alice", "/privacy export")).values()
    with zipfile.ZipFile(io.BytesIO(archive.content)) as z:
        tables = json.loads(z.read("data.json"))["tables"]
    assert tables["goals"] == [] and tables["barriers"] == [] and tables["search_plans"] == []
    await ok(other, "alice", "/privacy forget confirm=yes")
    for model in (SearchPlan, Goal, Barrier):
        assert await count(cohort, model) == 1
    assert "Goal G1 done" in (await ok(cohort, "alice", "/goal done G1")).plain_text()
