"""The cohort leaderboard, shared by `/leaderboard` and the Monday post to the channel.

Each member chooses to be shown, shown anonymously or hidden; hidden members are ranked but only
they see their row. Equal scores share a rank.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.calendar import local_today, week_label, week_start
from bot.domain.scoring import competition_ranks
from bot.domain.vocab import SCORE_WEIGHTS
from bot.progress import effective_status, streaks, week_totals
from bot.replies import Block, Table, Text
from storage.models import Cohort, Member
from storage.repository import TenantRepository

SCORE_RULE = (
    f"Score = {SCORE_WEIGHTS['applications']} per application + "
    f"{SCORE_WEIGHTS['outreach']} per outreach contact + "
    f"{SCORE_WEIGHTS['practice_days']} per practice day in the week."
)


async def ranked_members(repo: TenantRepository, cohort: Cohort, now: datetime) -> list[Member]:
    """Members who take part: searching (not paused or hired) members of the cohort."""
    return [
        m
        for m in await repo.cohort_members(cohort.id)
        if m.role == "member" and effective_status(m, local_today(now, m.timezone)) == "searching"
    ]


async def leaderboard_blocks(
    repo: TenantRepository,
    cohort: Cohort,
    now: datetime,
    *,
    viewer: Member | None = None,
    weeks_back: int = 0,
) -> list[Block]:
    """The leaderboard as reply blocks; ``viewer`` sees their own row even when hidden."""
    people = await ranked_members(repo, cohort, now)
    totals = await week_totals(repo, people, now, weeks_back=weeks_back)
    runs = await streaks(repo, people, now, cohort.streak_freezes)
    ordered = sorted(people, key=lambda m: (-totals[m.id].score, m.display_name.lower()))
    ranks = competition_ranks([totals[m.id].score for m in ordered])
    rows: list[tuple[str, ...]] = []
    for rank, m in zip(ranks, ordered, strict=True):
        is_viewer = viewer is not None and m.id == viewer.id
        if m.leaderboard == "hidden" and not is_viewer:
            continue
        name = m.display_name if m.leaderboard == "shown" else "(anonymous)"
        if is_viewer:
            name = f"{m.display_name} (you)"
        done = totals[m.id]
        rows.append(
            (
                f"#{rank}",
                name,
                str(done.applications),
                str(done.outreach),
                str(done.practice_days),
                str(runs[m.id].current),
                str(done.score),
            )
        )
    monday = week_start(local_today(now, viewer.timezone if viewer else cohort.timezone))
    monday -= timedelta(weeks=weeks_back)
    blocks: list[Block] = [
        Table(
            f"{cohort.name} leaderboard, week of {week_label(monday)}",
            ("rank", "member", "apps", "outreach", "practice", "streak", "score"),
            tuple(rows),
            empty="Nobody is ranked yet.",
        )
    ]
    if viewer is not None and viewer in ordered:
        my_rank = ranks[ordered.index(viewer)]
        tied = ranks.count(my_rank) > 1
        blocks.append(Text(f"You are #{my_rank} of {len(ordered)}{' (tied)' if tied else ''}."))
    kudos = await repo.kudos_between(cohort.id, monday, monday + timedelta(days=6))
    if kudos and viewer is None:
        names = {  # the ranking's rule: only members shown by name are named here too
            m.id: m.display_name if m.leaderboard == "shown" else "(anonymous)"
            for m in await repo.cohort_members(cohort.id)
        }
        lines = [
            f"• {names.get(k.from_member_id, 'someone')} → {names.get(k.to_member_id, 'someone')}:"
            f" {k.message}"
            for k in kudos[-10:]
        ]
        blocks.append(Text("💛 Kudos this week:\n" + "\n".join(lines)))
    elif kudos:
        blocks.append(Text(f"💛 {len(kudos)} kudos shared this week."))
    blocks.append(Text(SCORE_RULE))
    return blocks
