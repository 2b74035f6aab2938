"""The fixed vocabularies of the job-search plan: stages, contact channels, hour categories."""

from __future__ import annotations

from storage.models import CLOSED_STAGES

STAGES = (
    "interested",
    "applied",
    "screen",
    "interview",
    "offer",
    "accepted",
    "rejected",
    "withdrawn",
)
# CLOSED_STAGES (accepted, rejected, withdrawn: nothing left to follow up) is defined with the
# Application model, so storage's follow-up queries use the very same set.
__all__ = ["CLOSED_STAGES", "STAGES"]

CONTACT_CHANNELS = ("linkedin", "email", "coffee", "meetup", "referral", "other")

CATEGORIES = ("coding", "outreach", "research", "interview-prep", "housekeeping", "other")
CATEGORY_LABELS = {
    "coding": "Coding",
    "outreach": "Outreach & networking",
    "research": "Research & tracking",
    "interview-prep": "Interview prep",
    "housekeeping": "Housekeeping",
    "other": "Other",
}

STATUSES = ("searching", "hired", "paused")
LEADERBOARD_MODES = ("shown", "anonymous", "hidden")
ROLES = ("member", "coach")

# Points per unit in the weekly leaderboard score (documented in the README).
SCORE_WEIGHTS = {"applications": 3, "outreach": 2, "practice_days": 1}
