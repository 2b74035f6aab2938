"""The fixed vocabularies of the job-search plan: stages, contact channels, hour categories."""

from __future__ import annotations

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
CLOSED_STAGES = frozenset({"accepted", "rejected", "withdrawn"})

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
