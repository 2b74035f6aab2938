"""The coach's dashboard on the web: server-rendered pages under ``/dashboard/``, no JavaScript.

Routes only render: who may see what, and every figure, come from ``bot.services.dashboard``
(the same tenant scoping, roles and figure functions as the chat commands). This module owns
the web side: sessions, CSRF, security headers and Jinja2 templates (autoescaped, so no name or
company typed in chat is ever HTML).

Sessions are one signed cookie (HMAC-SHA256 with a key derived from the first key of
``OFFERBOUND_SECRET_KEY``; any listed key verifies, so rotating keys keeps people signed in),
HttpOnly, SameSite=Lax, Secure (and named ``__Host-offerbound``) when the public URL is https.
A session holds an ``Identity`` (platform, workspace or guild, user id) and a CSRF nonce; forms
that change anything carry a token derived from that nonce. Sign-in today is a one-time link
from ``offerbound dashboard link``; Slack and Discord sign-in would only make the same identity.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import jinja2
from aiohttp import web

from bot.calendar.feed import public_url
from bot.services.dashboard import SORTS, Dashboard, Forbidden, Identity, NotFound

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from bot.app import App

log = logging.getLogger("offerbound.dashboard")

PREFIX = "/dashboard"
SESSION_LIFETIME = timedelta(hours=12)
PRE_SESSION_LIFETIME = timedelta(minutes=30)  # the cookie a sign-in page sets for its form
KEY_CONTEXT = b"offerbound dashboard session v1"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
COLUMNS = (
    ("name", "Member"),
    ("applications", "Applications"),
    ("outreach", "Outreach"),
    ("practice", "Practice days"),
    ("hours", "Hours"),
    ("streak", "Streak"),
    ("status", "Status"),
    ("checkin", "Last check-in"),
)


def session_keys(secret_key: str | None) -> list[bytes]:
    """The signing keys: one derived from each key of ``OFFERBOUND_SECRET_KEY`` (the first
    signs), or, without that setting, one random key for this process only."""
    keys = [k.strip() for k in (secret_key or "").split(",") if k.strip()]
    if not keys:
        log.warning(
            "OFFERBOUND_SECRET_KEY is not set: dashboard sessions last until this process "
            "stops and work on this replica only"
        )
        return [secrets.token_bytes(32)]
    return [hmac.new(k.encode(), KEY_CONTEXT, hashlib.sha256).digest() for k in keys]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Session:
    """What the cookie says: who (None before signing in), the CSRF nonce, and until when."""

    identity: Identity | None
    nonce: str
    expires: int  # Unix seconds

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"n": self.nonce, "e": self.expires}
        if self.identity is not None:
            body.update(p=self.identity.platform, t=self.identity.tenant, u=self.identity.user)
        return body


class Sessions:
    """Signs and reads session cookies."""

    def __init__(self, keys: list[bytes], secure: bool) -> None:
        self.keys = keys
        self.secure = secure
        self.cookie = "__Host-offerbound" if secure else "offerbound_session"

    def _sign(self, body: bytes, key: bytes) -> bytes:
        return hmac.new(key, body, hashlib.sha256).digest()

    def encode(self, session: Session) -> str:
        body = json.dumps(session.payload(), separators=(",", ":"), sort_keys=True).encode()
        return f"{_b64(body)}.{_b64(self._sign(body, self.keys[0]))}"

    def decode(self, value: str | None, now: int) -> Session | None:
        """The session in ``value`` if it is signed by one of our keys and not expired."""
        if not value or "." not in value:
            return None
        body_text, _, signature_text = value.partition(".")
        try:
            body, signature = _unb64(body_text), _unb64(signature_text)
        except (ValueError, binascii.Error):
            return None
        if not any(hmac.compare_digest(signature, self._sign(body, k)) for k in self.keys):
            return None
        try:
            data = json.loads(body)
            nonce, expires = str(data["n"]), int(data["e"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires <= now:
            return None
        identity = None
        if "u" in data:
            identity = Identity(str(data["p"]), str(data["t"]), str(data["u"]))
        return Session(identity, nonce, expires)

    def csrf(self, session: Session) -> str:
        """The token a form posts back: bound to the session's nonce, useless elsewhere."""
        return _b64(hmac.new(self.keys[0], b"csrf:" + session.nonce.encode(), "sha256").digest())

    def csrf_ok(self, session: Session | None, token: str) -> bool:
        return (
            session is not None and bool(token) and hmac.compare_digest(self.csrf(session), token)
        )

    def set(self, response: web.StreamResponse, session: Session, max_age: timedelta) -> None:
        response.set_cookie(
            self.cookie,
            self.encode(session),
            path="/",
            max_age=int(max_age.total_seconds()),
            httponly=True,
            secure=self.secure,
            samesite="Lax",
        )

    def clear(self, response: web.StreamResponse) -> None:
        response.del_cookie(self.cookie, path="/")
        # del_cookie writes no flags; a bare expired cookie is all the browser needs.


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("offerbound", "templates/dashboard"),
        autoescape=True,  # every value is escaped; nothing here marks user text safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["prefix"] = PREFIX
    return env


class DashboardSite:
    """The ``/dashboard/`` routes on the runtime's HTTP server."""

    def __init__(self, core: App) -> None:
        self.core = core
        self.service = Dashboard(core.sessions, core.clock, core.dispatcher.slots)
        base = public_url(core.settings)
        secure = bool(base and urlsplit(base).scheme == "https")
        key = core.settings.secret_key.get_secret_value() if core.settings.secret_key else None
        self.sessions = Sessions(session_keys(key), secure)
        self.templates = _environment()
        self.css = (
            resources.files("offerbound").joinpath("templates/dashboard/dashboard.css").read_text()
        )

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get(PREFIX, self._to_index),
            web.get(PREFIX + "/", self.index),
            web.get(PREFIX + "/dashboard.css", self.stylesheet),
            web.get(PREFIX + "/signin/{token:[A-Za-z0-9_-]{20,100}}", self.signin_page),
            web.post(PREFIX + "/signin", self.signin),
            web.post(PREFIX + "/signout", self.signout),
            web.get(PREFIX + "/cohort", self.cohort),
            web.get(PREFIX + r"/members/{member:\d{1,18}}", self.member),
            web.route("*", PREFIX + "/{tail:.*}", self.not_found),
        ]

    # -- helpers ------------------------------------------------------------------------------

    def _now(self) -> int:
        return int(self.core.clock.now().timestamp())

    def _session(self, request: web.Request) -> Session | None:
        return self.sessions.decode(request.cookies.get(self.sessions.cookie), self._now())

    def _render(
        self,
        template: str,
        status: int = 200,
        session: Session | None = None,
        **values: Any,
    ) -> web.Response:
        signed_in = session is not None and session.identity is not None
        html = self.templates.get_template(template).render(
            csrf=self.sessions.csrf(session) if session is not None else "",
            signed_in=signed_in,
            **values,
        )
        return web.Response(
            text=html, status=status, content_type="text/html", charset="utf-8", headers=HEADERS
        )

    def _refuse(self, status: int, session: Session | None) -> web.Response:
        template = {403: "forbidden.html", 404: "not_found.html"}.get(status, "invalid.html")
        return self._render(template, status, session)

    def _same_origin(self, request: web.Request) -> bool:
        """A POST came from this site, as far as the browser says (defence in depth: the CSRF
        token decides). Browsers send ``Sec-Fetch-Site``; with ``Referrer-Policy:
        no-referrer`` their ``Origin`` is "null", so a real Origin only counts when present."""
        fetch_site = request.headers.get("Sec-Fetch-Site")
        if fetch_site is not None:
            return fetch_site in ("same-origin", "none")
        origin = request.headers.get("Origin")
        if origin is None or origin == "null":
            return True
        return urlsplit(origin).netloc == request.host

    def _redirect(self, where: str) -> web.Response:
        return web.Response(status=303, headers={**HEADERS, "Location": where})

    async def _page(
        self,
        request: web.Request,
        build: Callable[[Identity], Awaitable[web.Response]],
    ) -> web.Response:
        session = self._session(request)
        if session is None or session.identity is None:
            return self._render("signed_out.html", 403, session)
        try:
            return await build(session.identity)
        except Forbidden:
            return self._refuse(403, session)
        except NotFound:
            return self._refuse(404, session)

    # -- handlers -----------------------------------------------------------------------------

    async def _to_index(self, _request: web.Request) -> web.StreamResponse:
        return self._redirect(PREFIX + "/")

    async def stylesheet(self, _request: web.Request) -> web.StreamResponse:
        headers = {**HEADERS, "Cache-Control": "public, max-age=3600"}
        return web.Response(text=self.css, content_type="text/css", headers=headers)

    async def index(self, request: web.Request) -> web.StreamResponse:
        session = self._session(request)
        if session is None or session.identity is None:
            return self._render("signed_out.html", 200, session)

        async def build(identity: Identity) -> web.Response:
            return self._render(
                "index.html", session=session, page=await self.service.index(identity)
            )

        return await self._page(request, build)

    async def signin_page(self, request: web.Request) -> web.StreamResponse:
        """The link shows a button; only the POST uses the link up (so a link preview or a
        prefetch cannot), with a CSRF nonce bound to this browser (no login CSRF)."""
        pre = Session(
            None, secrets.token_urlsafe(16), self._now() + int(PRE_SESSION_LIFETIME.total_seconds())
        )
        response = self._render("signin.html", session=pre, token=request.match_info["token"])
        self.sessions.set(response, pre, PRE_SESSION_LIFETIME)
        return response

    async def signin(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        session = self._session(request)
        token, csrf = str(form.get("token", "")), str(form.get("csrf", ""))
        if not self._same_origin(request) or not self.sessions.csrf_ok(session, csrf):
            return self._render("invalid.html", 403, session)
        identity = await self.service.redeem(token)
        if identity is None:
            return self._render("link_used.html", 403, session)
        fresh = Session(
            identity, secrets.token_urlsafe(16), self._now() + int(SESSION_LIFETIME.total_seconds())
        )
        response = self._redirect(PREFIX + "/")
        self.sessions.set(response, fresh, SESSION_LIFETIME)
        log.info("dashboard sign-in: %s user in tenant %s", identity.platform, identity.tenant)
        return response

    async def signout(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        session = self._session(request)
        if not self._same_origin(request) or not self.sessions.csrf_ok(
            session, str(form.get("csrf", ""))
        ):
            return self._render("invalid.html", 403, session)
        response = self._redirect(PREFIX + "/")
        self.sessions.clear(response)
        return response

    async def cohort(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        week = _parse_week(query.get("week"))
        sort = query.get("sort", "name")
        sort = sort if sort in SORTS else "name"
        descending = query.get("dir") == "desc"
        session = self._session(request)

        async def build(identity: Identity) -> web.Response:
            page = await self.service.cohort_week(identity, week, sort, descending)

            def url(**change: str | None) -> str:
                params: dict[str, str | None] = {
                    "week": None if page.current else page.monday.isoformat(),
                    "sort": sort,
                    "dir": "desc" if descending else "asc",
                }
                params.update(change)
                kept = {k: v for k, v in params.items() if v is not None}
                return PREFIX + "/cohort?" + urlencode(kept)

            headers = []
            for key, title in COLUMNS:
                if key == sort:
                    flip = "asc" if descending else "desc"
                    state = "descending" if descending else "ascending"
                else:
                    flip = "asc" if key in ("name", "status") else "desc"
                    state = "none"
                headers.append(
                    {"key": key, "title": title, "url": url(sort=key, dir=flip), "sorted": state}
                )
            return self._render(
                "cohort.html",
                session=session,
                page=page,
                columns=headers,
                previous_url=url(week=page.previous.isoformat()),
                next_url=None if page.next is None else url(week=page.next.isoformat()),
                this_week_url=url(week=None),
            )

        return await self._page(request, build)

    async def member(self, request: web.Request) -> web.StreamResponse:
        member_id = int(request.match_info["member"])
        session = self._session(request)

        async def build(identity: Identity) -> web.Response:
            page = await self.service.member_page(identity, member_id)
            return self._render("member.html", session=session, page=page)

        return await self._page(request, build)

    async def not_found(self, request: web.Request) -> web.StreamResponse:
        return self._refuse(404, self._session(request))


def _parse_week(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
