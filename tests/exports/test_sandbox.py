"""Uploaded files are read in a child process with CPU, memory and time limits: a hostile
workbook is refused while the bot's event loop goes on serving everyone else."""

from __future__ import annotations

import asyncio
import os
import time
import zipfile
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter
from bot.tracker import importer
from bot.tracker.sandbox import Limits, OverLimit, child_pid, run_limited


def spin() -> None:
    while True:
        pass


def hog() -> bytes:
    return b"x" * (2 * 1024 * 1024 * 1024)


def nap() -> None:
    time.sleep(30)


def boom() -> None:
    raise ValueError("a plain failure comes back as itself")


async def test_work_runs_in_another_process_and_returns_its_result() -> None:
    assert await run_limited(child_pid) != os.getpid()


@pytest.mark.parametrize(
    ("fn", "limits"),
    [
        (spin, Limits(cpu_seconds=1, wall_seconds=20)),
        (hog, Limits(memory_bytes=256 * 1024 * 1024)),
        (nap, Limits(wall_seconds=0.5)),
    ],
    ids=["cpu", "memory", "wall clock"],
)
async def test_a_read_over_a_limit_is_stopped(fn, limits: Limits) -> None:
    with pytest.raises(OverLimit):
        await run_limited(fn, limits=limits)


async def test_an_error_in_the_child_is_raised_in_the_parent() -> None:
    with pytest.raises(ValueError, match="comes back as itself"):
        await run_limited(boom)


async def test_a_100_kb_bomb_is_refused_while_the_loop_keeps_serving(
    cohort: ConsoleAdapter, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<c>0</c>" * (12 * 1024 * 1024))
    assert path.stat().st_size < 200 * 1024
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0)

    counting = asyncio.create_task(ticker())
    reply = await cohort.say("alice", f"/import tracker {path}")
    done.set()
    await counting
    assert "unpacks to more than 50 MB" in reply
    assert ticks > 10, "the event loop went on while the file was read elsewhere"


async def test_a_workbook_too_slow_to_read_is_refused_with_a_clear_message(
    cohort: ConsoleAdapter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for n in range(3000):
        book.active.append([f"Company {n}", "Dev", "", "applied", "2026-11-02"])
    path = tmp_path / "big.xlsx"
    book.save(path)
    monkeypatch.setattr(importer, "READ_LIMITS", Limits(wall_seconds=0.01))
    reply = await cohort.say("alice", f"/import tracker {path}")
    assert "takes too long or too much memory to read" in reply
