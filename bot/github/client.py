"""A small GitHub REST client, so commits can count as practice without a GitHub SDK in the core.

It asks conditionally (``If-None-Match``) so unchanged data costs nothing, stops asking once
``X-RateLimit-Remaining`` reaches zero until ``X-RateLimit-Reset`` (or ``Retry-After``), and turns
GitHub's answers into errors a member can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any
from urllib.parse import quote

import aiohttp

MAX_PAGES = 3
PER_PAGE = 100
DEFAULT_WAIT = timedelta(minutes=1)  # a rate-limit answer that says nothing about when
API_VERSION = "2022-11-28"

USERNAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
REPO_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


class GithubError(Exception):
    """GitHub could not give us the activity; ``message`` says why in words a member follows."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownUser(GithubError):
    """No GitHub account has that name."""


class RepoNotFound(GithubError):
    """The repository does not exist, or is private (GitHub answers both with 404)."""


class RateLimited(GithubError):
    """GitHub's API limit is reached; ask again at ``until`` (UTC)."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"GitHub's API limit was reached; it resets at {until:%H:%M} UTC.")
        self.until = until


class Unavailable(GithubError):
    """GitHub did not answer usefully (network trouble, 5xx, a refused token)."""


@dataclass(frozen=True)
class Activity:
    """Commits seen at one instant: one commit (commits endpoint) or one push (events)."""

    at: datetime  # UTC
    repo: str  # "owner/name"
    url: str  # a web page showing the commit(s)
    commits: int  # commits in it; 0 when GitHub does not say (a push on github.com's events)


@dataclass(frozen=True)
class Fetched:
    """One conditional read: ``activities`` is None when GitHub answered 304 Not Modified."""

    etag: str
    activities: list[Activity] | None = None

    @property
    def not_modified(self) -> bool:
        return self.activities is None


@dataclass
class _Response:
    status: int
    headers: dict[str, str]
    body: Any
    next_url: str | None = None


@dataclass
class GithubClient:
    """Use as ``async with GithubClient(url, token, clock=...) as gh: await gh.activity(...)``.

    One client shares what it learnt about the rate limit across every request it makes, so a
    batch stops asking as soon as GitHub says the limit is spent.
    """

    api_url: str
    token: str | None = field(default=None, repr=False)  # never in logs
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    timeout: float = 15.0
    blocked_until: datetime | None = None
    requests: int = 0
    _http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> GithubClient:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "offerbound",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        self._http = aiohttp.ClientSession(
            headers=headers, timeout=aiohttp.ClientTimeout(total=self.timeout)
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    # -- what sync asks for ----------------------------------------------------------------

    async def activity(self, username: str, repo: str = "", etag: str = "") -> Fetched:
        """The user's recent commits to ``repo`` (``name`` or ``owner/name``), or, without a
        repository, their recent public pushes anywhere. Newest first, at most a few pages."""
        if repo:
            owner, _, name = repo.rpartition("/")
            path = f"/repos/{quote(owner or username)}/{quote(name)}/commits"
            params = {"author": username, "per_page": str(PER_PAGE)}
        else:
            path = f"/users/{quote(username)}/events/public"
            params = {"per_page": str(PER_PAGE)}
        first = await self._get(self._url(path), params, etag)
        if first.status == 304:
            return Fetched(etag=etag)
        if first.status == 404:
            await self._explain_404(username, repo)
        if first.status == 409 and repo:  # an empty repository: no commits yet
            return Fetched(etag=first.headers.get("etag", ""), activities=[])
        self._raise_for(first)
        pages = [first]
        while pages[-1].next_url and len(pages) < MAX_PAGES:
            page = await self._get(pages[-1].next_url, None, "")
            self._raise_for(page)
            pages.append(page)
        parse = _parse_commits if repo else _parse_events
        activities = [a for page in pages for a in parse(page.body, self.web_url)]
        return Fetched(etag=first.headers.get("etag", ""), activities=activities)

    async def check(self, username: str, repo: str = "") -> None:
        """Raise ``UnknownUser`` or ``RepoNotFound`` unless the account (and the public
        repository, ``name`` or ``owner/name``) exists; one or two small requests."""
        if repo:
            owner, _, name = repo.rpartition("/")
            path = f"/repos/{quote(owner or username)}/{quote(name)}/commits"
            found = await self._get(self._url(path), {"per_page": "1"}, "")
            if found.status == 404:
                await self._explain_404(username, repo)
            if found.status != 409:  # 409: an empty repository, which is fine
                self._raise_for(found)
            if not owner or owner.lower() == username.lower():
                return  # the owner's repository answered: the account exists
        user = await self._get(self._url(f"/users/{quote(username)}"), None, "")
        if user.status == 404:
            raise UnknownUser(f"There is no GitHub user called {username}.")
        self._raise_for(user)

    @property
    def web_url(self) -> str:
        """github.com for api.github.com; ``https://host`` for ``https://host/api/v3``."""
        base = self.api_url.rstrip("/")
        if base == "https://api.github.com":
            return "https://github.com"
        return base.removesuffix("/api/v3")

    # -- HTTP ------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return self.api_url.rstrip("/") + path

    async def _get(self, url: str, params: dict[str, str] | None, etag: str) -> _Response:
        now = self.clock()
        if self.blocked_until is not None and self.blocked_until > now:
            raise RateLimited(self.blocked_until)
        if self._http is None:
            raise RuntimeError("use GithubClient as an async context manager")
        headers = {"If-None-Match": etag} if etag else {}
        try:
            async with self._http.get(url, params=params, headers=headers) as resp:
                self.requests += 1
                body = await _json(resp) if resp.status != 304 else None
                following = resp.links.get("next")
                next_link = following.get("url") if following is not None else None
                response = _Response(
                    resp.status,
                    {k.lower(): v for k, v in resp.headers.items()},
                    body,
                    str(next_link) if next_link else None,
                )
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Unavailable(
                f"I couldn't reach GitHub ({type(exc).__name__}); I'll try again later."
            ) from exc
        self._note_limits(response, now)
        return response

    def _note_limits(self, response: _Response, now: datetime) -> None:
        """Remember when asking is allowed again, from the rate-limit headers."""
        headers = response.headers
        until: datetime | None = None
        retry_after = headers.get("retry-after", "")
        if retry_after.strip().isdigit():
            until = now + timedelta(seconds=int(retry_after))
        elif headers.get("x-ratelimit-remaining") == "0":
            reset = headers.get("x-ratelimit-reset", "")
            until = (
                datetime.fromtimestamp(int(reset), UTC) if reset.isdigit() else now + DEFAULT_WAIT
            )
        limited = response.status == 429 or (response.status == 403 and until is not None)
        if limited and until is None:
            until = now + DEFAULT_WAIT
        if until is not None and (limited or headers.get("x-ratelimit-remaining") == "0"):
            self.blocked_until = max(until, now)
        if limited:
            raise RateLimited(self.blocked_until or until or now + DEFAULT_WAIT)

    async def _explain_404(self, username: str, repo: str) -> None:
        if repo:
            user = await self._get(self._url(f"/users/{quote(username)}"), None, "")
            if user.status != 404:
                self._raise_for(user)
                raise RepoNotFound(
                    f"I can't see the repository {repo} of GitHub user {username}: it doesn't "
                    "exist or it is private. Only public repositories can count."
                )
        raise UnknownUser(f"There is no GitHub user called {username}.")

    def _raise_for(self, response: _Response) -> None:
        if response.status < 300:
            return
        if response.status == 401:
            raise Unavailable("GitHub refused the bot's token (OFFERBOUND_GITHUB_TOKEN).")
        message = response.body.get("message", "") if isinstance(response.body, dict) else ""
        detail = f": {str(message)[:80]}" if message else ""
        raise Unavailable(f"GitHub answered HTTP {response.status}{detail}; I'll try again later.")


async def _json(resp: aiohttp.ClientResponse) -> Any:
    """The body as JSON, or None when it is not (an HTML error page from a proxy)."""
    try:
        return await resp.json(content_type=None)
    except ValueError:
        return None


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _parse_commits(body: Any, web_url: str) -> list[Activity]:
    """Items of ``GET /repos/{owner}/{repo}/commits``: the author date is when it was done."""
    return [a for item in _items(body) if (a := _safe(_commit, item, web_url))]


def _parse_events(body: Any, web_url: str) -> list[Activity]:
    """PushEvents of ``GET /users/{user}/events/public``: a push counts when it happened.

    github.com no longer lists a push's commits in events (Enterprise Server still does), so a
    push without them counts as activity with an unknown number of commits.
    """
    return [a for item in _items(body) if (a := _safe(_push, item, web_url))]


def _items(body: Any) -> list[dict[str, Any]]:
    return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []


def _safe(
    parse: Callable[[dict[str, Any], str], Activity | None], item: dict[str, Any], web_url: str
) -> Activity | None:
    """One malformed item is skipped, never the whole sync."""
    try:
        return parse(item, web_url)
    except (ValueError, TypeError, AttributeError, KeyError):
        return None


def _commit(item: dict[str, Any], web_url: str) -> Activity | None:
    commit = item.get("commit") or {}
    stamp = (commit.get("author") or {}).get("date") or (commit.get("committer") or {}).get("date")
    if not stamp:
        return None
    url = str(item.get("html_url", ""))
    repo = url.removeprefix(web_url + "/").split("/commit/")[0] if url else ""
    return Activity(_parse_time(stamp), repo, url, 1)


def _push(event: dict[str, Any], web_url: str) -> Activity | None:
    if event.get("type") != "PushEvent" or not event.get("created_at"):
        return None
    payload = event.get("payload") or {}
    repo = str((event.get("repo") or {}).get("name", ""))
    commits = payload.get("commits")
    count = len(commits) if isinstance(commits, list) else int(payload.get("size") or 0)
    head = str(payload.get("head", ""))
    url = f"{web_url}/{repo}/commit/{head}" if head else f"{web_url}/{repo}"
    return Activity(_parse_time(event["created_at"]), repo, url, count)
