"""Logging set-up: readable lines on a terminal, JSON lines in production, secrets never printed.

Records may carry ``tenant``, ``request_id`` and ``command`` extras; the JSON formatter keeps
them as fields so a log search can follow one request or one workspace.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TextIO

from bot.settings import Settings

# Libraries that log statements with their parameters (what members typed) at DEBUG: never below
# INFO, whatever OFFERBOUND_LOG_LEVEL says.
PARAMETER_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool")

EXTRA_FIELDS = ("tenant", "request_id", "command", "outcome", "duration_ms", "platform")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any known extras."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["error"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


class RedactSecrets(logging.Filter):
    """Replaces any configured token or secret in a record's text with [redacted]."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:  # a traceback's text is redacted too
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        return True

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text


def configure_logging(
    settings: Settings, secrets: Sequence[str] = (), stream: TextIO | None = None
) -> None:
    """Install one stderr handler for the whole process; ``secrets`` (the platforms' tokens) and
    the core's own are redacted from every line."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets([*settings.secrets(), *secrets]))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    for name in PARAMETER_LOGGERS:
        library = logging.getLogger(name)
        library.setLevel(max(library.getEffectiveLevel(), logging.INFO))
