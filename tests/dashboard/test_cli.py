"""``offerbound dashboard link`` and ``offerbound run --port`` serving the dashboard, as real
processes: the console run by a newcomer, signed in to from a second terminal."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

from tests.dashboard.helpers import browser, get, sign_in
from tests.test_cli import OFFERBOUND, run_cli

SETUP = '/cohort create "Fall 2026"\n:as alice\n/cohort join "Fall 2026"\n/apply Acme Developer\n'


def test_a_link_is_printed_for_a_known_member_only(tmp_path: Path) -> None:
    assert run_cli(["run", "--as", "coach"], tmp_path, SETUP).returncode == 0
    made = run_cli(
        ["dashboard", "link", "--as", "coach"],
        tmp_path,
        OFFERBOUND_PUBLIC_URL="https://bot.example.com/",
    )
    assert made.returncode == 0, made.stderr
    assert re.fullmatch(
        r"https://bot\.example\.com/dashboard/signin/[A-Za-z0-9_-]{43}\n", made.stdout
    )
    assert "15 minutes" in made.stderr
    local = run_cli(["dashboard", "link", "--as", "Alice", "--port", "8080"], tmp_path)
    assert local.stdout.startswith("http://localhost:8080/dashboard/signin/")
    unknown = run_cli(["dashboard", "link", "--as", "nobody"], tmp_path)
    assert unknown.returncode == 1 and "nobody has not used Offerbound" in unknown.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_console_serves_the_dashboard_on_its_port(tmp_path: Path) -> None:
    assert run_cli(["run", "--as", "coach"], tmp_path, SETUP).returncode == 0
    port = _free_port()
    env = {"OFFERBOUND_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    server = subprocess.Popen(
        [*OFFERBOUND, "run", "--as", "coach", "--port", str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=_environment(tmp_path, env),
    )
    try:
        banner = ""
        deadline = time.monotonic() + 60
        while "Dashboard:" not in banner and time.monotonic() < deadline:
            assert server.stderr is not None
            banner += server.stderr.readline()
        assert f"Dashboard: http://127.0.0.1:{port}/dashboard/" in banner
        made = run_cli(["dashboard", "link", "--as", "coach"], tmp_path, **env)
        url = made.stdout.strip()
        base, token = url.split("/dashboard/signin/")
        async with browser() as http:
            assert (await sign_in(http, base, token)).status == 303
            status, page = await get(http, f"{base}/dashboard/cohort")
        assert status == 200 and "alice" in page and "1/10" in page
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _environment(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "OFFERBOUND_"))
    }
    environment.update({"OFFERBOUND_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", **extra})
    return environment
