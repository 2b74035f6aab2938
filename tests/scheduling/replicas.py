"""Helpers for tests that run several real `offerbound run` processes on one PostgreSQL: free
ports, starting a replica with its own log file, waiting for a condition, and who leads."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time as walltime
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path

LEADER = "became the scheduler leader"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_of(logs: Path, index: int) -> Path:
    return logs / f"worker{index}.log"


def start_replica(
    index: int, platform: str, port: int, logs: Path, env: Mapping[str, str]
) -> subprocess.Popen:
    """`offerbound run --platform PLATFORM --port PORT`, stderr to ``logs/worker{index}.log``;
    the environment is this one without Slack or Discord settings, plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    return subprocess.Popen(
        [sys.executable, "-m", "offerbound", "run", "--platform", platform, "--port", str(port)],
        env={**clean, "OFFERBOUND_LOG_LEVEL": "INFO", **env},
        stdout=subprocess.DEVNULL,
        stderr=open(log_of(logs, index), "w"),
    )


def stop_replicas(workers: Iterable[subprocess.Popen], timeout: float = 20) -> None:
    """SIGTERM every live replica, then wait (SIGKILL one that does not stop in time)."""
    workers = list(workers)
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout)
        except subprocess.TimeoutExpired:
            worker.kill()


def led(logs: Path, index: int) -> bool:
    return LEADER in log_of(logs, index).read_text(errors="replace")


async def until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = walltime.monotonic() + timeout
    while not predicate():
        if walltime.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def until_answered(
    predicate: Callable[[], Awaitable[bool]], timeout: float, what: str
) -> None:
    """``until`` for a predicate that has to ask (a replica's /healthz, the database)."""
    deadline = walltime.monotonic() + timeout
    while not await predicate():
        if walltime.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)
