"""A cohort's weekly targets, read one way for every reply, prompt, export and page."""

from __future__ import annotations

from bot.domain.scoring import Targets
from storage.models import Cohort


def targets_of(cohort: Cohort | None) -> Targets:
    """The cohort's targets; the plan's defaults for someone not in a cohort."""
    if cohort is None:
        return Targets()
    return Targets(
        applications=cohort.target_applications,
        outreach=cohort.target_outreach,
        practice_days=cohort.target_practice_days,
        hours=cohort.target_hours,
    )
