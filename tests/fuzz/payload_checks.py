"""What every malformed-payload test holds: nothing written, nothing logged as a crash."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.app import App
from storage.models import Base
from storage.scope import system_session


async def row_counts(app: App) -> dict[str, int]:
    """Rows of every table of the core (Slack's own event log, which remembers the ids of events
    it acknowledged, is a separate metadata and not counted)."""
    async with system_session(app.sessions) as session:
        return {
            t.name: (await session.execute(select(func.count()).select_from(t))).scalar_one()
            for t in Base.metadata.sorted_tables
        }


def crashes(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records at ERROR or above, or carrying a traceback, at any level."""
    return [
        f"{r.levelname} {r.name}: {r.getMessage()[:200]}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info or "Traceback" in r.getMessage()
    ]
