"""`offerbound demo`: a scripted cohort week played through the console adapter.

A coach and five members log a realistic Monday-to-Sunday; then the demo prints the stats,
streaks, report and leaderboard that result. A manual clock moves time, so it runs in a second.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from adapters.console import ConsoleAdapter
from adapters.console.render import render_reply
from bot.app import build_app
from bot.clock import ManualClock
from bot.delivery import Delivered, Outcome, Target
from bot.platform import Capabilities
from bot.replies import Reply
from bot.scheduling.pacer import Pacer
from bot.scheduling.planner import PromptPlanner
from bot.scheduling.worker import DeliveryWorker
from bot.settings import Settings

COHORT = "Fall 2026"
ZONE = "America/New_York"
COMPANIES = [
    ("Stripe", "Backend Engineer"),
    ("Shopify", "Junior Developer"),
    ("Datadog", "SRE I"),
    ("Etsy", "Frontend Engineer"),
    ("Twilio", "Software Engineer"),
    ("Asana", "Full-Stack Dev"),
    ("Duolingo", "Junior Engineer"),
    ("Figma", "Frontend Engineer"),
    ("Plaid", "API Engineer"),
    ("Notion", "Software Engineer"),
    ("GitLab", "Backend Developer"),
    ("Canva", "Graduate SWE"),
    ("Airtable", "Junior Engineer"),
    ("Monzo", "Backend Engineer"),
    ("Linear", "Product Engineer"),
    ("Vercel", "Developer Advocate"),
]
FIRST_NAMES = ["Priya", "Tom", "Lena", "Sam", "Mei", "Ravi"]
LAST_NAMES = ["Shah", "Becker", "Ortiz", "Okafor", "Lin", "Iyer"]


@dataclass(frozen=True)
class Persona:
    """How hard one member pushes: applications and contacts per weekday, practice habit."""

    name: str
    apps: int
    outreach: int
    practice_days: tuple[int, ...]
    practice: str


CAST = (
    Persona("alice", 3, 2, (0, 1, 2, 3, 4, 5, 6), "45m"),
    Persona("bob", 2, 2, (0, 1, 2, 3, 4), "1h"),
    Persona("chen", 2, 3, (0, 1, 3, 4, 5), "30m"),
    Persona("dana", 1, 1, (0, 2, 4), "1.5h"),
    Persona("eli", 1, 0, (1, 2), "20m"),
)


class DemoDeliverer:
    """Shows each scheduled message as it goes out (a line each, or in full with --verbose)."""

    name = "console"
    capabilities = Capabilities()

    def __init__(self, echo: Callable[[str], None], verbose: bool) -> None:
        self.echo = echo
        self.verbose = verbose
        self.sent: list[tuple[Target, Reply]] = []
        self.full_kinds: set[str] = set()

    async def send(self, target: Target, reply: Reply, key: str) -> Outcome:
        self.sent.append((target, reply))
        where = f"DM to {target.user_id}" if target.user_id else f"#{target.channel_id}"
        text = render_reply(reply)
        if self.verbose or key.split(":")[0] in self.full_kinds:
            self.echo(f"  📬 {where}:\n" + "\n".join("          " + r for r in text.splitlines()))
        else:
            first = next(
                (line for line in text.splitlines() if line.strip() and not line.startswith("[")),
                "",
            )
            self.echo(f"  📬 {where}: {first[:90]}")
        return Delivered(ref=key)

    async def was_delivered(self, target: Target, key: str) -> bool | None:
        return None


async def play(
    database_url: str,
    start: date,
    echo: Callable[[str], None] = print,
    verbose: bool = False,
) -> ConsoleAdapter:
    """Play the week starting on Monday ``start`` into ``database_url``; return the console.

    The scheduler's planner and delivery worker run at each moment something is due, on the
    demo's manual clock, so the week's standups, reminders, summaries, retro, coach digest and
    leaderboard post appear as they would in a chat.
    """
    zone = ZoneInfo(ZONE)
    clock = ManualClock(datetime.combine(start - timedelta(days=1), time(18, 0), zone))
    app = await build_app(Settings(database_url=database_url, default_timezone=ZONE), clock)
    console = ConsoleAdapter(app)
    rng = random.Random(2026)
    planner = PromptPlanner(app.sessions)
    deliverer = DemoDeliverer(echo, verbose)
    worker = DeliveryWorker(
        app.sessions,
        {"console": deliverer},
        clock,
        "demo",
        pacer=Pacer(enabled=False),
    )
    last_tick = clock.now()

    async def tick(day: date, at: time) -> None:
        nonlocal last_tick
        clock.set(datetime.combine(day, at, zone))
        await planner.plan_all(last_tick, clock.now())
        await worker.drain()
        last_tick = clock.now()

    async def say(user: str, line: str) -> str:
        reply = await console.say(user, line)
        first = reply.strip().splitlines()[0] if reply.strip() else ""
        echo(f"  {user:>6}> {line}")
        echo(
            ("\n".join("          " + r for r in reply.splitlines()))
            if verbose
            else f"          {first}"
        )
        return reply

    echo(f"== Sunday before: the coach sets up {COHORT} ==")
    await say("coach", f'/cohort create "{COHORT}" timezone={ZONE} applications=10 outreach=8')
    for p in CAST:
        await say(p.name, f'/cohort join "{COHORT}"')
    await say("eli", "/me leaderboard=anonymous")

    app_ids: dict[str, list[str]] = {p.name: [] for p in CAST}
    # Each member applies to a company and role once and meets each person once in the week:
    # the same ones twice would be asked about as probable duplicates.
    openings = {p.name: rng.sample(COMPANIES, len(COMPANIES)) for p in CAST}
    people = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    contacts = {p.name: rng.sample(people, len(people)) for p in CAST}
    for offset in range(7):
        today = start + timedelta(days=offset)
        echo(f"\n== {today:%A %b} {today.day} ==")
        await tick(today, time(9, 0))
        clock.set(datetime.combine(today, time(9, 30), zone))
        weekday = offset < 5
        for p in CAST:
            if weekday and not (p.name == "dana" and offset == 3):
                blockers = ' blockers="portfolio site is down"' if p.name == "dana" else ""
                await say(
                    p.name,
                    f'/standup yesterday="{_yesterday(p, offset)}" '
                    f'today="{p.apps} applications, {p.outreach} coffee chats"' + blockers,
                )
            if weekday:
                for _ in range(p.apps):
                    company, role = openings[p.name].pop()
                    reply = await say(p.name, f'/apply {company} "{role}" follow-up="in 5 days"')
                    app_ids[p.name].append(reply.split("application ")[1].split(":")[0])
                for _ in range(p.outreach):
                    person = contacts[p.name].pop()
                    company, _role = rng.choice(COMPANIES)
                    how = rng.choice(["linkedin", "email", "coffee", "meetup"])
                    await say(p.name, f'/outreach "{person}" company={company} how={how}')
                await say(p.name, f"/hours research {rng.choice(['1h', '1.5h', '2h'])}")
            if offset in p.practice_days:
                await say(p.name, f"/practice {p.practice} daily_practice kata")
        if offset == 1:
            await say("alice", f"/app stage {app_ids['alice'][0]} screen")
            await say("bob", "/kudos @alice thanks for the resume review!")
        if offset == 3:
            await say("alice", f"/app stage {app_ids['alice'][0]} interview")
            await say("chen", "/hours interview-prep 2h mock interview with bob")
            await say("chen", "/kudos @bob great mock interview")
        await tick(today, time(13, 0))
        if offset == 4:
            await say("alice", f"/app stage {app_ids['alice'][0]} offer")
            await tick(today, time(16, 0))
            for p in CAST:
                await say(
                    p.name,
                    '/retro worked="mornings for applications" '
                    'didnt="too many tabs open" adjust="batch outreach on Tuesdays"',
                )
        await tick(today, time(17, 0))
        if offset == 4:
            await say("eli", '/me status=paused until="in 7 days"')
        await tick(today, time(23, 0))
    clock.set(datetime.combine(start + timedelta(days=6), time(20, 0), zone))

    async def next_monday() -> None:
        monday = start + timedelta(days=7)
        echo(f"\n== Monday {monday:%b} {monday.day}: the coach digest and the leaderboard post ==")
        deliverer.full_kinds = {"digest", "leaderboard"}
        await tick(monday, time(8, 0))
        await tick(monday, time(9, 0))

    console.next_monday = next_monday  # type: ignore[attr-defined]
    return console


def _yesterday(p: Persona, offset: int) -> str:
    return "onboarding" if offset == 0 else f"{p.apps} applications and practice"


async def run_demo(
    database_url: str, start: date, echo: Callable[[str], None] = print, verbose: bool = False
) -> None:
    """Play the week, then print what a cohort sees at the end of it."""
    console = await play(database_url, start, echo, verbose)
    try:
        echo("\n== Sunday evening: where the cohort stands ==")
        for title, user, line in (
            ("Alice's stats", "alice", "/stats"),
            ("Alice's streak", "alice", "/streak"),
            ("Dana's streak", "dana", "/streak"),
            ("The coach's report", "coach", "/cohort report"),
            ("The leaderboard (as bob sees it)", "bob", "/leaderboard"),
        ):
            echo(f"\n--- {title}: {user}> {line}")
            echo(await console.say(user, line))
        await console.next_monday()  # type: ignore[attr-defined]
    finally:
        await console.app.close()


def last_monday(today: date) -> date:
    """The Monday of the most recent complete week."""
    return today - timedelta(days=today.weekday() + 7)
