"""Command latency through the core and the console adapter, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from adapters.console import ConsoleAdapter
from bot.app import build_app
from bot.settings import Settings
from tests.perf.stats import markdown_table, summary_ms

COMMANDS = [
    '/apply Stripe "Backend Engineer" follow-up=fri',
    '/outreach "Jane Doe" company=Stripe how=coffee',
    "/practice 30m katas",
    "/stats",
    "/leaderboard",
    "/followups",
]
ROUNDS = 60


async def _measure(url: str) -> list[tuple[str, str, str, str]]:
    app = await build_app(Settings(database_url=url, default_timezone="UTC", _env_file=None))
    console = ConsoleAdapter(app)
    await console.say("coach", '/cohort create "Bench"')
    members = [f"member{i}" for i in range(20)]
    for m in members:
        await console.say(m, '/cohort join "Bench"')
    rows = []
    try:
        for command in COMMANDS:
            samples = []
            for i in range(ROUNDS):
                start = time.perf_counter()
                await console.say(members[i % len(members)], command)
                samples.append(time.perf_counter() - start)
            rows.append((command.split()[0], *summary_ms(samples)))
    finally:
        await app.close()
    return rows


async def run() -> str:
    out = ["## Command latency through the core (console adapter)", ""]
    out.append(
        f"{ROUNDS} invocations per command, 20 members in one cohort, one at a time; "
        "each includes parsing, the member lookup, the transaction and rendering."
    )
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")]
        pg = os.environ.get("OFFERBOUND_TEST_DATABASE_URL")
        if pg:
            backends.append(("PostgreSQL", pg))
        for label, url in backends:
            if label == "PostgreSQL":
                from tests.perf.pg import fresh_database

                async with fresh_database(url) as private:
                    rows = await _measure(private)
            else:
                rows = await _measure(url)
            out += [
                "",
                f"### {label}",
                "",
                markdown_table(("command", "p50 ms", "p99 ms", "mean ms"), rows),
            ]
    return "\n".join(out) + "\n"
