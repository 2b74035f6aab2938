"""FakeGithubAPI: a local GitHub REST API the real GithubClient talks to, on a free port.

It serves the endpoints Offerbound reads (``/users/{u}``, ``/users/{u}/events/public``,
``/repos/{o}/{r}/commits``) from commits and pushes a test adds, answers ``If-None-Match`` with a
304 when the ETag still matches, can answer with a rate limit (403 with ``X-RateLimit-Remaining: 0``
and ``X-RateLimit-Reset``, or 429 with ``Retry-After``) until a given instant, and records every
request with its headers.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web


@dataclass
class Request:
    """One request the fake received."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int = 0


@dataclass
class _Limit:
    until: float  # epoch seconds; limited while time.time() is before it
    status: int = 403
    retry_after: int | None = None


@dataclass
class FakeGithubAPI:
    """Start with ``async with FakeGithubAPI() as gh:``; put ``gh.url`` in settings."""

    users: set[str] = field(default_factory=set)
    private: set[str] = field(default_factory=set)  # "owner/repo" that answer 404
    commits: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # "owner/repo" ->
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # user ->
    requests: list[Request] = field(default_factory=list)
    limit: _Limit | None = None
    url: str = ""
    on_request: Callable[[], None] | None = None  # runs as each request arrives (instrumentation)
    gate: asyncio.Event | None = None  # when set up, every answer waits until it is set (slow)
    _runner: web.AppRunner | None = None
    _shas: itertools.count = field(default_factory=lambda: itertools.count(0xABC0001))

    async def __aenter__(self) -> FakeGithubAPI:
        app = web.Application()
        app.router.add_get("/users/{user}", self._gated(self._user))
        app.router.add_get("/users/{user}/events/public", self._gated(self._events))
        app.router.add_get("/repos/{owner}/{repo}/commits", self._gated(self._commits))
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what tests set up -----------------------------------------------------------------

    def add_repo(self, owner: str, repo: str) -> None:
        """A public repository with no commits yet (its owner exists)."""
        self.users.add(owner)
        self.commits.setdefault(f"{owner}/{repo}", [])

    def add_commit(self, owner: str, repo: str, at: datetime, *, author: str = "") -> str:
        """A commit by ``author`` (default: the owner) authored at ``at``; newest listed first."""
        self.users.add(owner)
        sha = f"{next(self._shas):x}" * 5
        stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        who = author or owner
        item = {
            "sha": sha,
            "html_url": f"{self.url}/{owner}/{repo}/commit/{sha}",
            "commit": {
                "author": {"name": who, "email": f"{who}@example.com", "date": stamp},
                "committer": {"name": who, "email": f"{who}@example.com", "date": stamp},
                "message": "daily exercise",
            },
            "author": {"login": who},
        }
        items = self.commits.setdefault(f"{owner}/{repo}", [])
        items.append(item)
        items.sort(key=lambda c: c["commit"]["author"]["date"], reverse=True)
        return sha

    def add_push(self, user: str, repo: str, at: datetime, *, commits: int | None = None) -> None:
        """A PushEvent; ``commits=None`` is github.com's trimmed payload (no commit list)."""
        self.users.add(user)
        payload: dict[str, Any] = {"ref": "refs/heads/main", "head": f"{next(self._shas):x}" * 5}
        if commits is not None:
            payload["size"] = commits
            payload["commits"] = [{"sha": f"{next(self._shas):x}"} for _ in range(commits)]
        event = {
            "type": "PushEvent",
            "repo": {"name": f"{user}/{repo}"},
            "created_at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "payload": payload,
        }
        items = self.events.setdefault(user, [])
        items.append(event)
        items.sort(key=lambda e: e["created_at"], reverse=True)

    def rate_limit(self, until: datetime, *, status: int = 403, retry_after: int | None = None):
        """Answer every request with a rate-limit error until ``until``."""
        self.limit = _Limit(until.timestamp(), status, retry_after)

    def calls(self, path_part: str = "") -> list[Request]:
        return [r for r in self.requests if path_part in r.path]

    # -- handlers --------------------------------------------------------------------------

    def _gated(
        self, handler: Callable[[web.Request], Awaitable[web.Response]]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def answer(request: web.Request) -> web.Response:
            if self.on_request is not None:
                self.on_request()
            if self.gate is not None:
                await self.gate.wait()
            return await handler(request)

        return answer

    def _record(self, request: web.Request) -> Request:
        seen = Request(request.path, dict(request.query), dict(request.headers))
        self.requests.append(seen)
        return seen

    def _limited(self, seen: Request) -> web.Response | None:
        if self.limit is None or time.time() >= self.limit.until:
            return None
        headers = {
            "X-RateLimit-Limit": "60",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(int(self.limit.until)),
        }
        if self.limit.retry_after is not None:
            headers["Retry-After"] = str(self.limit.retry_after)
        seen.status = self.limit.status
        body = {"message": "API rate limit exceeded for 127.0.0.1."}
        return web.json_response(body, status=self.limit.status, headers=headers)

    def _answer(self, seen: Request, request: web.Request, items: list[Any]) -> web.Response:
        per_page = int(request.query.get("per_page", "30"))
        page = int(request.query.get("page", "1"))
        chunk = items[(page - 1) * per_page : page * per_page]
        text = json.dumps(chunk)
        etag = '"' + hashlib.sha1(text.encode()).hexdigest() + '"'
        headers = {"ETag": etag, "X-RateLimit-Remaining": "59", "X-RateLimit-Limit": "60"}
        if len(items) > page * per_page:
            query = dict(request.query, page=str(page + 1))
            headers["Link"] = f'<{request.url.with_query(query)}>; rel="next"'
        if request.headers.get("If-None-Match") == etag:
            seen.status = 304
            return web.Response(status=304, headers=headers)
        seen.status = 200
        return web.Response(text=text, content_type="application/json", headers=headers)

    def _not_found(self, seen: Request) -> web.Response:
        seen.status = 404
        return web.json_response({"message": "Not Found"}, status=404)

    async def _user(self, request: web.Request) -> web.Response:
        seen = self._record(request)
        if limited := self._limited(seen):
            return limited
        user = request.match_info["user"]
        if user not in self.users:
            return self._not_found(seen)
        seen.status = 200
        return web.json_response({"login": user, "public_repos": 1})

    async def _events(self, request: web.Request) -> web.Response:
        seen = self._record(request)
        if limited := self._limited(seen):
            return limited
        user = request.match_info["user"]
        if user not in self.users:
            return self._not_found(seen)
        return self._answer(seen, request, self.events.get(user, []))

    async def _commits(self, request: web.Request) -> web.Response:
        seen = self._record(request)
        if limited := self._limited(seen):
            return limited
        full = f"{request.match_info['owner']}/{request.match_info['repo']}"
        if full not in self.commits or full in self.private:
            return self._not_found(seen)
        author = request.query.get("author")
        items = [c for c in self.commits[full] if not author or c["author"]["login"] == author]
        return self._answer(seen, request, items)
