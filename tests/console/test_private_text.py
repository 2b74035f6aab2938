"""What members type never reaches the logs, and every backend stores the same text: a session
with a secret in every text field leaves no trace in any log line; control characters (NUL,
which PostgreSQL refuses) are removed the same way everywhere; a failing statement's error does
not carry its parameters."""

from __future__ import annotations

import io
import logging

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from adapters.console import ConsoleAdapter
from bot.logs import PARAMETER_LOGGERS, RedactSecrets, configure_logging
from bot.settings import Settings
from storage.models import Member
from storage.scope import system_session

SECRET = "SSN-078-05-1120"
SESSION = [
    f'/apply Stripe "Backend {SECRET}" notes="my {SECRET}" next="{SECRET}" contact="{SECRET}"',
    f'/outreach "Jane {SECRET}" company=Acme learned="{SECRET}" next="{SECRET}"',
    f"/practice 30m {SECRET}",
    f"/hours research 1h {SECRET}",
    f'/standup yesterday="{SECRET}" today="{SECRET}" blockers="{SECRET}"',
    f'/retro worked="{SECRET}" didnt="{SECRET}" adjust="{SECRET}" barriers="{SECRET}"',
    f'/barrier add "{SECRET}" overcome="{SECRET}"',
    f'/goal add "{SECRET}" specific="{SECRET}" measurable="x" actionable="x" resonant="x" '
    'timely="in 4 weeks"',
    f'/kudos @bob "{SECRET}"',
    f'/app update A1 notes="{SECRET}\x00 with a NUL"',
    "/app show A1",
    "/export tracker",
    "/history",
]


@pytest.fixture
def production_logging():
    """The process's logging as `offerbound run` sets it up, at DEBUG (the chattiest level)."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    levels = {name: logging.getLogger(name).level for name in PARAMETER_LOGGERS}
    stream = io.StringIO()
    settings = Settings(log_level="DEBUG", log_format="json", _env_file=None)
    configure_logging(settings, stream=stream)
    try:
        yield stream
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


async def test_a_secret_typed_everywhere_never_reaches_a_log(
    cohort: ConsoleAdapter, production_logging: io.StringIO
) -> None:
    for line in SESSION:
        reply = await cohort.ask("alice", line)
        assert reply.ok, (line, reply.plain_text())
    shown = await cohort.say("alice", "/app show A1")
    assert "\x00" not in shown and f"{SECRET} with a NUL" in shown  # stored without the NUL
    logged = production_logging.getvalue()
    assert '"command apply: ok"' in logged  # the session was logged, at DEBUG level
    assert SECRET not in logged


async def test_a_failing_statement_does_not_carry_what_was_typed(cohort: ConsoleAdapter) -> None:
    async with system_session(cohort.app.sessions) as session:
        with pytest.raises(IntegrityError) as failure:
            await session.execute(  # no tenant, no timezone: refused by the database
                insert(Member).values(platform_user_id="x", display_name=SECRET)
            )
    assert SECRET not in str(failure.value)


def test_tracebacks_are_redacted_too() -> None:
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", (), None)
    try:
        raise RuntimeError(f"token xoxb-{SECRET}")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RedactSecrets([f"xoxb-{SECRET}"]).filter(record)
    assert record.exc_text and SECRET not in record.exc_text and "[redacted]" in record.exc_text
