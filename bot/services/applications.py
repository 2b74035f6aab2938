"""Logging applications: a new application always starts its stage history, however it arrives.

``/apply`` and a tracker import both go through ``log_applications``, so every application has a
first stage change dated the day it was sent (what the funnel and the history count).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.models import Application, StageChange
from storage.repository import TenantRepository


async def log_applications(
    repo: TenantRepository, applications: Sequence[Application], now: datetime
) -> None:
    """Add ``applications`` (numbered A1, A2... in order) with their first stage changes."""
    await repo.add_all(applications)
    await repo.add_all(
        [
            StageChange(application_id=a.id, stage=a.stage, day=a.applied_on, created_at=now)
            for a in applications
        ]
    )
