"""The hiring funnel: how many applications make an interview, how many interviews an offer.

A member starts on their cohort's defaults; once their own history has enough data the member's
own ratios take over (documented in docs/planning.md), so the plan tracks what really happens.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Stages that mean an application got at least as far as an interview / an offer.
INTERVIEW_STAGES = frozenset({"interview", "offer", "accepted"})
OFFER_STAGES = frozenset({"offer", "accepted"})
NOT_SENT = frozenset({"interested"})

# How much of a member's own history it takes before their ratio replaces the default.
MIN_APPLICATIONS_FOR_OWN_RATE = 20
MIN_INTERVIEWS_FOR_OWN_RATE = 2
MIN_INTERVIEWS_FOR_OWN_OFFER_RATE = 4
MIN_OFFERS_FOR_OWN_RATE = 1


@dataclass(frozen=True)
class FunnelCounts:
    """How many of a member's applications were sent and how far they got."""

    sent: int = 0
    screens: int = 0
    interviews: int = 0
    offers: int = 0


@dataclass(frozen=True)
class Funnel:
    """Conversion ratios and where each came from ("cohort" default or the member's "own")."""

    apps_per_interview: float
    interviews_per_offer: float
    apps_source: str = "cohort"
    interviews_source: str = "cohort"

    def applications_for(self, offers: int = 1) -> int:
        """Applications it takes, on these ratios, to expect ``offers`` offers."""
        return math.ceil(offers * self.interviews_per_offer * self.apps_per_interview - 1e-9)

    def interviews_for(self, offers: int = 1) -> int:
        return math.ceil(offers * self.interviews_per_offer - 1e-9)


def count_funnel(histories: Iterable[Iterable[str]]) -> FunnelCounts:
    """Count sent applications and the furthest stages reached, from each one's stage history."""
    sent = screens = interviews = offers = 0
    for stages in histories:
        reached = set(stages)
        if not reached or reached <= NOT_SENT:
            continue
        sent += 1
        if reached & (INTERVIEW_STAGES | {"screen"}):
            screens += 1
        if reached & INTERVIEW_STAGES:
            interviews += 1
        if reached & OFFER_STAGES:
            offers += 1
    return FunnelCounts(sent, screens, interviews, offers)


def member_funnel(
    counts: FunnelCounts, default_apps_per_interview: int, default_interviews_per_offer: int
) -> Funnel:
    """The member's own ratios where they have enough data, the cohort's defaults elsewhere."""
    apps_per_interview = float(max(1, default_apps_per_interview))
    apps_source = "cohort"
    if (
        counts.sent >= MIN_APPLICATIONS_FOR_OWN_RATE
        and counts.interviews >= MIN_INTERVIEWS_FOR_OWN_RATE
    ):
        apps_per_interview = counts.sent / counts.interviews
        apps_source = "own"
    interviews_per_offer = float(max(1, default_interviews_per_offer))
    interviews_source = "cohort"
    if (
        counts.interviews >= MIN_INTERVIEWS_FOR_OWN_OFFER_RATE
        and counts.offers >= MIN_OFFERS_FOR_OWN_RATE
    ):
        interviews_per_offer = counts.interviews / counts.offers
        interviews_source = "own"
    return Funnel(apps_per_interview, interviews_per_offer, apps_source, interviews_source)
