"""Shared pieces of the dashboard tests: a live server, a browser-like client, page parsing."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import aiohttp

from adapters.console import ConsoleAdapter
from bot.app import App
from bot.services.dashboard import Dashboard
from offerbound.http import HttpServer

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def serve(app: App, console: ConsoleAdapter) -> HttpServer:
    server = HttpServer(app, [console], host="127.0.0.1", port=0)
    await server.start()
    return server


async def link(app: App, who: str, platform: str = "console", tenant: str | None = None) -> str:
    """A fresh one-time sign-in token for ``who``."""
    return await Dashboard(app.sessions, app.clock).issue_link(platform, who, tenant)


def browser() -> aiohttp.ClientSession:
    """A client that keeps cookies for 127.0.0.1, as a browser does."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


async def sign_in(http: aiohttp.ClientSession, base: str, token: str) -> aiohttp.ClientResponse:
    """Open the link, press "Sign in"; the POST's response (a 303 when it worked)."""
    async with http.get(f"{base}/dashboard/signin/{token}") as page:
        assert page.status == 200
        csrf = csrf_of(await page.text())
    async with http.post(
        f"{base}/dashboard/signin", data={"token": token, "csrf": csrf}, allow_redirects=False
    ) as response:
        await response.read()
        return response


async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with http.get(url, allow_redirects=False) as response:
        return response.status, await response.text()


class Tables(HTMLParser):
    """Every table's rows as lists of cell texts, by the table's id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or f"table{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._table and not self._in_head:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def member_ids(html: str) -> dict[str, int]:
    """Names to member ids, from the links on a page (names as the page shows them, escaped)."""
    return {
        name: int(number)
        for number, name in re.findall(r'href="/dashboard/members/(\d+)">([^<]*)</a>', html)
    }
