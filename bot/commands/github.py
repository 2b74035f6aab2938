"""/github link, unlink, sync, status: commits to daily_practice count as practice days."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands.common import day, plural
from bot.context import Context
from bot.errors import UsageError, UserError
from bot.github.client import REPO_NAME, USERNAME, GithubError, RepoNotFound, UnknownUser
from bot.github.sync import (
    LOOKBACK,
    SyncResult,
    client_for,
    fetch,
    github_logs,
    link_of,
    record,
)
from bot.locks import Busy
from bot.params import Kind, Param
from bot.progress import member_streak
from bot.registry import CommandSet, Example
from bot.replies import Fields, Reply, Text, t
from storage.models import GithubLink

commands = CommandSet()

_URL = re.compile(r"(?:https?://)?(?:www\.)?github\.com/", re.IGNORECASE)
LINK_HINT = t("Link one with `/github link USER daily_practice` (your GitHub user name).")


def _split(user: str, repo: str | None) -> tuple[str, str]:
    """Accept ``alice``, ``alice daily_practice``, ``alice/daily_practice`` or a github.com URL."""
    user = _URL.sub("", user.strip()).strip("/").removeprefix("@")
    repo = (repo or "").strip().strip("/")
    if "/" in user and not repo:
        user, _, repo = user.partition("/")
        repo = repo.split("/")[0]
    if not USERNAME.fullmatch(user):
        raise UsageError(
            t(
                "`{user}` is not a GitHub user name; they are letters, digits and single "
                "hyphens, at most 39 characters.",
                user=user[:40],
            ),
            param="user",
        )
    owner, _, name = repo.rpartition("/")
    repo_ok = REPO_NAME.fullmatch(name) and (not owner or USERNAME.fullmatch(owner))
    if repo and not repo_ok:
        raise UsageError(
            t(
                "`{repo}` is not a repository name; use its name (`daily_practice`) or owner/name.",
                repo=repo[:60],
            ),
            param="repo",
        )
    return user, repo.removeprefix(f"{user}/") if owner.lower() == user.lower() else repo


def _where(link: GithubLink) -> str:
    return f"{link.username}/{link.repo}" if link.repo else f"{link.username} (all public repos)"


def _local(ctx: Context, instant: datetime) -> str:
    local = instant.astimezone(ZoneInfo(ctx.member.timezone))
    when = "today" if local.date() == ctx.today else day(local.date())
    return f"{when} {local:%H:%M}"


@commands.command(
    "github link",
    "Count your GitHub commits (e.g. to daily_practice) as practice days",
    params=[
        Param(
            "user",
            Kind.TEXT,
            "your GitHub user name",
            required=True,
            positional=True,
            max_length=120,
            example="alice",
        ),
        Param(
            "repo",
            Kind.TEXT,
            "one repository (default: all your public activity)",
            positional=True,
            max_length=140,
            example="daily_practice",
        ),
    ],
    examples=[
        Example("/github link alice daily_practice", "Linked GitHub"),
        Example("/github link alice", "all public repos"),
    ],
    details=t(
        "Commits are read every hour (or now with `/github sync`); each local day with a "
        "commit counts once as a practice day, together with anything you log with /practice."
    ),
)
async def github_link(ctx: Context, *, user: str, repo: str | None) -> Reply:
    user, repo = _split(user, repo)
    unchecked = ""
    try:
        async with (
            ctx.outside(),  # no connection nor database slot waits on GitHub
            client_for(ctx.settings, ctx.clock) as client,
        ):
            await client.check(user, repo)
    except UnknownUser as exc:
        raise UserError(
            f"{exc.message} Nothing is linked.",
            hint=t("Use your GitHub user name as in github.com/NAME, e.g. `/github link alice`."),
            param="user",
        ) from None
    except RepoNotFound as exc:
        raise UserError(
            f"{exc.message} Nothing is linked.",
            hint=t(
                "Make it public, or link another: `/github link {user} daily_practice`.", user=user
            ),
            param="repo",
        ) from None
    except GithubError as exc:  # rate limit, GitHub or the network down: link, check later
        unchecked = (
            f"\n(I couldn't check it with GitHub just now: {exc.message} The next sync will.)"
        )
    link = await link_of(ctx.repo, ctx.member.id)
    if link is None:
        link = await ctx.repo.add(
            GithubLink(member_id=ctx.member.id, username=user, repo=repo, created_at=ctx.now)
        )
    else:
        link.username, link.repo = user, repo
        link.etag, link.synced_at, link.retry_at, link.last_error = "", None, None, ""
    return Reply.of(
        t(
            "🔗 Linked GitHub: {where}. Each day you commit there counts as a practice day "
            "(the last {days} days too).\nI read it every hour; `/github sync` reads it now.",
            where=_where(link),
            days=str(LOOKBACK.days),
        )
        + unchecked
    )


@commands.command(
    "github unlink",
    "Stop counting your GitHub commits as practice",
    examples=[Example("/github unlink", "GitHub")],
)
async def github_unlink(ctx: Context) -> Reply:
    link = await link_of(ctx.repo, ctx.member.id)
    if link is None:
        return Reply.of("No GitHub account is linked, so there is nothing to unlink.")
    where = _where(link)
    await ctx.repo.delete(link)
    return Reply.of(f"Unlinked GitHub: {where}. Practice days already counted stay in your log.")


@commands.command(
    "github sync",
    "Read your GitHub commits now (they are also read every hour)",
    examples=[Example("/github sync", "/github link")],
    expensive=True,
)
async def github_sync(ctx: Context) -> Reply:
    link = await link_of(ctx.repo, ctx.member.id)
    if link is None:
        return Reply.of(Text("No GitHub account is linked yet. ", LINK_HINT))
    try:
        async with (
            ctx.locks.exclusive(("github sync", ctx.tenant.id, ctx.member.id)),
            ctx.outside(),  # no connection nor database slot waits on GitHub
            client_for(ctx.settings, ctx.clock) as client,
        ):
            outcome = await fetch(link, client, ctx.now)
    except Busy:
        raise UserError(
            "Your GitHub sync is already running.", hint="Its result comes in a moment."
        ) from None
    result = await record(ctx.repo, link, ctx.member, outcome, ctx.now)
    return Reply.of(await _sync_text(ctx, link, result))


async def _sync_text(ctx: Context, link: GithubLink, result: SyncResult) -> str:
    """What a sync did (or why it waits), with the streak it leaves; a failure is an error."""
    if result.retry_at is not None:
        return (
            f"⏳ {result.error} I'll sync {_where(link)} again after "
            f"{_local(ctx, result.retry_at)} (your time); nothing is lost meanwhile."
        )
    if result.error:
        raise UserError(result.error, hint=t("Fix the link with `/github link USER [REPO]`."))
    if result.not_modified:
        head = f"🐙 Nothing new on GitHub ({_where(link)}) since the last sync."
    elif result.added or result.updated:
        days = sorted(result.added + result.updated)
        shown = ", ".join(day(d) for d in days[-5:])
        more = f" and {len(days) - 5} earlier" if len(days) > 5 else ""
        head = (
            f"🐙 Synced GitHub ({_where(link)}): {plural(len(result.added), 'new practice day')}"
            f" ({shown}{more})."
        )
    else:
        head = f"🐙 Synced GitHub ({_where(link)}): no new commits."
    streak = await member_streak(ctx.repo, ctx.member, ctx.cohort, ctx.now)
    return f"{head}\nStreak: {plural(streak.current, 'day')} (longest {streak.longest})."


@commands.command(
    "github status",
    "Your GitHub link: account, last sync, problems, GitHub practice days",
    examples=[Example("/github status", "GitHub")],
)
async def github_status(ctx: Context) -> Reply:
    link = await link_of(ctx.repo, ctx.member.id)
    if link is None:
        return Reply.of(Text("No GitHub account is linked. ", LINK_HINT))
    since = ctx.today - LOOKBACK
    days = await github_logs(ctx.repo, ctx.member.id, since, ctx.today)
    fields = [
        ("Account", link.username),
        ("Repository", link.repo or "all public repositories"),
        ("Last sync", _local(ctx, link.synced_at) if link.synced_at else "not yet"),
        (f"GitHub practice days (last {LOOKBACK.days})", str(len(days))),
    ]
    if days:
        latest = max(days)
        fields.append(("Latest", f"{day(latest)}: {days[latest].what}"))
    if link.last_error:
        fields.append(("Problem", link.last_error))
    if link.retry_at is not None and link.retry_at > ctx.now:
        fields.append(("Next try", f"{_local(ctx, link.retry_at)} (your time)"))
    return Reply.of(Fields("Your GitHub link", tuple(fields)))
