"""Reading an uploaded spreadsheet in a separate process with hard limits, off the event loop.

A hostile workbook (a zip bomb, a sheet of millions of cells, deeply nested XML) can take seconds
of CPU and hundreds of megabytes to parse. It is read in a child process with a CPU-time and an
address-space limit and a wall-clock deadline; the bot's event loop keeps serving everyone else,
and a file that breaks a limit is refused with a clear message instead of stalling the process.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What one read may use: CPU seconds, memory (bytes of address space), wall seconds."""

    cpu_seconds: int = 10
    memory_bytes: int = 768 * 1024 * 1024
    wall_seconds: float = 15.0


class OverLimit(Exception):
    """The read used more time or memory than its limits allow."""


def _child(conn: Connection, limits: Limits, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    except (ImportError, ValueError, OSError):  # no resource module (Windows): the wall clock
        pass
    try:
        result: tuple[str, Any] = ("ok", fn(*args))
    except MemoryError:
        result = ("limit", "memory")
    except BaseException as exc:  # sent back and raised in the parent
        result = ("error", exc)
    try:
        conn.send_bytes(pickle.dumps((os.getpid(), result)))
    except Exception as exc:  # an unpicklable exception: send its text
        conn.send_bytes(pickle.dumps((os.getpid(), ("error", RuntimeError(str(exc))))))
    finally:
        conn.close()


async def run_limited(fn: Callable[..., T], *args: Any, limits: Limits | None = None) -> T:
    """``fn(*args)`` in a child process within ``limits``; its result or exception.

    ``fn`` must be a module-level function and its arguments and result picklable. Raises
    ``OverLimit`` when the child runs out of CPU time, memory or wall-clock time (it is killed).
    """
    limits = limits or Limits()
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(  # type: ignore[attr-defined]
        target=_child, args=(child, limits, fn, args), daemon=True
    )
    process.start()
    child.close()
    try:
        ready = await asyncio.to_thread(parent.poll, limits.wall_seconds)
        if not ready:
            raise OverLimit("time")
        try:
            payload = await asyncio.to_thread(parent.recv_bytes)
        except EOFError:  # killed by the CPU or memory limit before it could answer
            raise OverLimit("cpu or memory") from None
        _pid, (status, value) = pickle.loads(payload)
    finally:
        parent.close()
        if process.is_alive():
            process.kill()
        await asyncio.to_thread(process.join, 5)
    if status == "limit":
        raise OverLimit(str(value))
    if status == "error":
        raise value
    result: T = value
    return result


def child_pid() -> int:
    """The current process id (lets a test see that work ran outside the bot's process)."""
    return os.getpid()
