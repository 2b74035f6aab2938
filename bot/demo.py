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
from bot.app import build_app
from bot.clock import ManualClock
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
]
PEOPLE = ["Priya Shah", "Tom Becker", "Lena Ortiz", "Sam Okafor", "Mei Lin", "Ravi Iyer"]


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


async def play(
    database_url: str,
    start: date,
    echo: Callable[[str], None] = print,
    verbose: bool = False,
) -> ConsoleAdapter:
    """Play the week starting on Monday ``start`` into ``database_url``; return the console."""
    zone = ZoneInfo(ZONE)
    clock = ManualClock(datetime.combine(start, time(8, 0), zone))
    app = await build_app(Settings(database_url=database_url, default_timezone=ZONE), clock)
    console = ConsoleAdapter(app)
    rng = random.Random(2026)

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
    for offset in range(7):
        today = start + timedelta(days=offset)
        clock.set(datetime.combine(today, time(9, 0), zone))
        echo(f"\n== {today:%A %b} {today.day} ==")
        weekday = offset < 5
        for p in CAST:
            if weekday:
                await say(
                    p.name,
                    f'/standup yesterday="{_yesterday(p, offset)}" '
                    f'today="{p.apps} applications, {p.outreach} coffee chats"'
                    + (
                        ' blockers="portfolio site is down"'
                        if p.name == "dana" and offset == 2
                        else ""
                    ),
                )
                for _ in range(p.apps):
                    company, role = rng.choice(COMPANIES)
                    reply = await say(p.name, f'/apply {company} "{role}" follow-up="in 5 days"')
                    app_ids[p.name].append(reply.split("application ")[1].split(":")[0])
                for _ in range(p.outreach):
                    person = rng.choice(PEOPLE)
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
        if offset == 4:
            await say("alice", f"/app stage {app_ids['alice'][0]} offer")
            for p in CAST:
                await say(
                    p.name,
                    '/retro worked="mornings for applications" '
                    'didnt="too many tabs open" adjust="batch outreach on Tuesdays"',
                )
            await say("eli", '/me status=paused until="in 7 days"')
    clock.set(datetime.combine(start + timedelta(days=6), time(20, 0), zone))
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
    finally:
        await console.app.close()


def last_monday(today: date) -> date:
    """The Monday of the most recent complete week."""
    return today - timedelta(days=today.weekday() + 7)
