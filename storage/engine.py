"""Engine set-up from one database URL: SQLite (WAL, foreign keys) by default, PostgreSQL by URL.

Users write plain ``sqlite:///...`` or ``postgresql://...`` URLs; the async driver is picked here.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Result, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession


def async_url(url: str | URL) -> URL:
    """Return ``url`` with the async driver Offerbound uses for its backend."""
    parsed = make_url(url) if isinstance(url, str) else url
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg")
    raise ValueError(
        f"unsupported database URL scheme {parsed.drivername!r}: use sqlite:///path/to/file.db "
        "or postgresql://user:password@host:5432/dbname"
    )


@dataclass(frozen=True)
class PoolSettings:
    """How many connections a process keeps and how long one statement may run (PostgreSQL).

    The defaults suit a replica serving commands, deliveries and the scheduler at once; each
    is a setting (``OFFERBOUND_DB_POOL_SIZE``, ``..._MAX_OVERFLOW``, ``..._STATEMENT_TIMEOUT``).
    """

    size: int = 10
    max_overflow: int = 10
    timeout: float = 10.0  # seconds to wait for a free connection before failing the command
    statement_timeout: float = 30.0  # seconds; PostgreSQL cancels a statement running longer


def create_engine(url: str | URL, pool: PoolSettings | None = None, **kwargs: Any) -> AsyncEngine:
    """Create the async engine for ``url``; SQLite files get their folder, WAL and foreign keys.

    Bound parameters never appear in an error's text (``hide_parameters``): a failing statement
    would otherwise log what members typed. On PostgreSQL every statement carries a timeout.
    """
    target = async_url(url)
    kwargs.setdefault("hide_parameters", True)
    if target.get_backend_name() == "sqlite":
        database = target.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(target, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if pool is not None:
        kwargs.setdefault("pool_size", pool.size)
        kwargs.setdefault("max_overflow", pool.max_overflow)
        kwargs.setdefault("pool_timeout", pool.timeout)
        milliseconds = str(int(pool.statement_timeout * 1000))
        server = {"statement_timeout": milliseconds, "application_name": application_name()}
        kwargs.setdefault("connect_args", {"server_settings": server})
    return create_async_engine(target, **kwargs)


def application_name(role: str = "") -> str:
    """How this process's connections show in ``pg_stat_activity`` (``application_name``):
    ``offerbound HOST:PID``, so an operator can tell the replicas (and their roles) apart."""
    name = f"offerbound {socket.gethostname()}:{os.getpid()}"
    return f"{name} {role}"[:63] if role else name[:63]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (-1 when the driver cannot say for a batch)."""
    count = cast(CursorResult[Any], result).rowcount
    return -1 if count is None else int(count)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that enforce tenant scoping (``storage.scope``): the only sessions the app uses."""
    from storage.scope import ScopedSession

    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=ScopedSession)
