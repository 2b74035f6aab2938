"""The dashboard's routes over real HTTP: sign-in links, sessions, CSRF, headers, roles, tenants,
escaping, and figures that match ``/cohort report``."""

from __future__ import annotations

import html as htmlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from adapters.console import ConsoleAdapter
from bot.app import App, build_app
from bot.replies import Table
from bot.services.dashboard import LinkError
from bot.settings import Settings
from offerbound.http import HttpServer
from tests.conftest import WEDNESDAY
from tests.dashboard.helpers import (
    browser,
    csrf_of,
    get,
    link,
    member_ids,
    serve,
    sign_in,
    tables,
)

HOSTILE_NAME = "<script>alert(1)</script> & {{ 7*7 }}"
HOSTILE_COMPANY = "<img src=x onerror=alert(2)> & Co {{ 7*7 }}"


@pytest.fixture
async def site(app: App, cohort: ConsoleAdapter) -> AsyncIterator[str]:
    server = await serve(app, cohort)
    try:
        yield f"http://127.0.0.1:{server.bound_port}"
    finally:
        await server.stop()


async def test_a_sign_in_link_works_once(app: App, site: str) -> None:
    token = await link(app, "coach")
    async with browser() as http:
        first = await sign_in(http, site, token)
        assert first.status == 303 and first.headers["Location"] == "/dashboard/"
        status, page = await get(http, f"{site}/dashboard/")
        assert status == 200 and "Hello, coach" in page
    async with browser() as other:
        again = await sign_in(other, site, token)
        assert again.status == 403
        status, page = await get(other, f"{site}/dashboard/cohort")
        assert status == 403 and "Hello" not in page


async def test_a_sign_in_link_expires_after_15_minutes(app: App, site: str, time_machine) -> None:
    fresh, stale = await link(app, "coach"), await link(app, "coach")
    time_machine.move_to(WEDNESDAY + timedelta(minutes=14), tick=False)
    async with browser() as http:
        assert (await sign_in(http, site, fresh)).status == 303
    time_machine.move_to(WEDNESDAY + timedelta(minutes=16), tick=False)
    async with browser() as http:
        assert (await sign_in(http, site, stale)).status == 403
        assert (await get(http, f"{site}/dashboard/cohort"))[0] == 403


async def test_a_session_ends_after_12_hours(app: App, site: str, time_machine) -> None:
    async with browser() as http:
        await sign_in(http, site, await link(app, "coach"))
        assert (await get(http, f"{site}/dashboard/cohort"))[0] == 200
        time_machine.move_to(WEDNESDAY + timedelta(hours=12, minutes=1), tick=False)
        assert (await get(http, f"{site}/dashboard/cohort"))[0] == 403


async def test_an_unknown_token_or_forged_cookie_signs_nobody_in(app: App, site: str) -> None:
    async with browser() as http:
        assert (await sign_in(http, site, "x" * 43)).status == 403
    async with browser() as http:
        http.cookie_jar.update_cookies({"offerbound_session": "eyJ1IjoiY29hY2gifQ.AAAA"})
        assert (await get(http, f"{site}/dashboard/cohort"))[0] == 403


async def test_the_session_cookie_is_http_only_and_same_site_lax(app: App, site: str) -> None:
    async with browser() as http:
        response = await sign_in(http, site, await link(app, "coach"))
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("offerbound_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http: a Secure cookie would never come back


async def test_the_cookie_is_secure_behind_an_https_public_url(
    settings: Settings, cohort: ConsoleAdapter, tmp_path: Path
) -> None:
    secure = settings.model_copy(update={"public_url": "https://bot.example.com"})
    core = await build_app(secure, migrate=False)
    server = await serve(core, ConsoleAdapter(core, files_dir=tmp_path))
    base, token = f"http://127.0.0.1:{server.bound_port}", await link(core, "coach")
    try:
        # A client that keeps no cookies: the Secure cookie is handed back by hand (over plain
        # http here; behind the https proxy the browser sends it itself).
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            async with http.get(f"{base}/dashboard/signin/{token}") as page:
                pre = page.cookies["__Host-offerbound"]
                assert pre["secure"] and pre["httponly"] and pre["samesite"] == "Lax"
                csrf = csrf_of(await page.text())
            async with http.post(
                f"{base}/dashboard/signin",
                data={"token": token, "csrf": csrf},
                headers={"Cookie": f"__Host-offerbound={pre.value}"},
                allow_redirects=False,
            ) as response:
                assert response.status == 303
                cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-offerbound=") and "Secure" in cookie
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    finally:
        await server.stop()
        await core.close()


async def test_sign_out_needs_the_csrf_token(app: App, site: str) -> None:
    async with browser() as http:
        await sign_in(http, site, await link(app, "coach"))
        _, page = await get(http, f"{site}/dashboard/")
        csrf = csrf_of(page)
        refusals: list[tuple[dict[str, str], dict[str, str]]] = [
            ({}, {}),  # no token
            ({"csrf": "forged"}, {}),
            ({"csrf": csrf}, {"Origin": "https://evil.example"}),
            ({"csrf": csrf}, {"Sec-Fetch-Site": "cross-site"}),
        ]
        for data, headers in refusals:
            async with http.post(
                f"{site}/dashboard/signout", data=data, headers=headers, allow_redirects=False
            ) as refused:
                assert refused.status == 403, (data, headers)
        assert (await get(http, f"{site}/dashboard/cohort"))[0] == 200  # still signed in
        async with http.post(
            f"{site}/dashboard/signout", data={"csrf": csrf}, allow_redirects=False
        ) as done:
            assert done.status == 303
        assert (await get(http, f"{site}/dashboard/cohort"))[0] == 403


async def test_sign_in_needs_the_csrf_nonce_of_this_browser(app: App, site: str) -> None:
    """Login CSRF: a sign-in form posted from elsewhere (no pre-session cookie) is refused."""
    token = await link(app, "coach")
    async with browser() as http:
        async with http.post(
            f"{site}/dashboard/signin", data={"token": token, "csrf": "x"}, allow_redirects=False
        ) as refused:
            assert refused.status == 403
        assert (await sign_in(http, site, token)).status == 303  # the link was not used up


@pytest.mark.parametrize(
    "path",
    ["/dashboard/", "/dashboard/signin/" + "a" * 43, "/dashboard/nothing", "/dashboard/cohort"],
)
async def test_every_page_sends_the_security_headers(site: str, path: str) -> None:
    async with browser() as http, http.get(site + path) as response:
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src" not in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        page = await response.text()
        assert "<script" not in page and "style=" not in page


async def test_a_member_sees_only_their_own_page(app: App, site: str) -> None:
    async with browser() as coach:
        await sign_in(coach, site, await link(app, "coach"))
        ids = member_ids((await get(coach, f"{site}/dashboard/"))[1])
    async with browser() as alice:
        await sign_in(alice, site, await link(app, "alice"))
        status, page = await get(alice, f"{site}/dashboard/")
        assert status == 200 and "Cohort week" not in page
        assert (await get(alice, f"{site}/dashboard/members/{ids['alice']}"))[0] == 200
        status, page = await get(alice, f"{site}/dashboard/members/{ids['bob']}")
        assert status == 403 and "bob" not in page
        assert (await get(alice, f"{site}/dashboard/cohort"))[0] == 403


async def test_a_coach_cannot_see_another_tenants_member(
    app: App, cohort: ConsoleAdapter, site: str, tmp_path: Path
) -> None:
    elsewhere = ConsoleAdapter(app, tenant="elsewhere", files_dir=tmp_path / "elsewhere")
    await elsewhere.say("zed", "/apply Secretco Spy")
    async with browser() as zed:
        await sign_in(zed, site, await link(app, "zed", tenant="elsewhere"))
        zed_id = member_ids((await get(zed, f"{site}/dashboard/"))[1]).get("Your week")
    async with browser() as coach:
        await sign_in(coach, site, await link(app, "coach", tenant="local"))
        mine = member_ids((await get(coach, f"{site}/dashboard/"))[1])
        candidates = {zed_id} if zed_id else set(range(1, 10)) - set(mine.values())
        for member_id in candidates:
            status, page = await get(coach, f"{site}/dashboard/members/{member_id}")
            assert status == 404 and "Secretco" not in page and "zed" not in page
        assert (await get(coach, f"{site}/dashboard/members/999999"))[0] == 404
        assert (await get(coach, f"{site}/dashboard/no/such/page"))[0] == 404


async def test_signing_in_needs_a_known_member(app: App, cohort: ConsoleAdapter) -> None:
    with pytest.raises(LinkError):
        await link(app, "nobody")
    with pytest.raises(LinkError):
        await link(app, "coach", platform="slack")


async def test_hostile_names_and_companies_are_escaped(
    app: App, cohort: ConsoleAdapter, site: str
) -> None:
    joined = await cohort.say(HOSTILE_NAME, '/cohort join "Fall 2026"')
    assert "Fall 2026" in joined
    await cohort.say(HOSTILE_NAME, f'/apply "{HOSTILE_COMPANY}" "{{{{ role }}}} & <i>x</i>"')
    async with browser() as coach:
        await sign_in(coach, site, await link(app, "coach"))
        status, week = await get(coach, f"{site}/dashboard/cohort")
        assert status == 200
        ids = member_ids(week)
        escaped = htmlib.escape(HOSTILE_NAME, quote=False)
        assert escaped in ids, ids
        status, page = await get(coach, f"{site}/dashboard/members/{ids[escaped]}")
        assert status == 200
    for body in (week, page):
        assert "<script>" not in body and "<img" not in body and "<i>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; {{ 7*7 }}" in body
        assert "49" not in body
    assert "&lt;img src=x onerror=alert(2)&gt; &amp; Co {{ 7*7 }}" in page


def _report_rows(reply_blocks: tuple[object, ...]) -> dict[str, tuple[str, ...]]:
    table = next(b for b in reply_blocks if isinstance(b, Table))
    return {row[0]: row for row in table.rows}


async def test_the_figures_are_the_ones_cohort_report_shows(
    app: App, cohort: ConsoleAdapter, site: str
) -> None:
    for line in (
        "/apply Acme Developer",
        "/apply Globex Tester",
        "/outreach Sam",
        "/practice 45m arrays",
        "/hours research 2h",
        "/apply Initech Developer date=2026-11-10 force=yes",
        "/practice 30m date=2026-11-11 force=yes",
    ):
        await cohort.say("alice", line)
    await cohort.say("bob", "/apply Hooli Developer date=2026-11-09 force=yes")
    await cohort.say("bob", "/me status=paused")
    cases = {"": None, "?week=2026-11-11": "2026-11-11"}
    async with browser() as coach:
        await sign_in(coach, site, await link(app, "coach"))
        for query, week in cases.items():
            status, page = await get(coach, f"{site}/dashboard/cohort{query}")
            assert status == 200
            shown = {row[0]: row for row in tables(page)["cohort-table"]}
            command = "/cohort report" + (f" week={week}" if week else "")
            report = _report_rows((await cohort.ask("coach", command)).blocks)
            assert set(shown) == set(report)
            for name, (_, apps, outreach, practice, hours, streak, status_) in report.items():
                row = shown[name]
                assert f"{apps} " in row[1] + " " and f"{outreach} " in row[2] + " "
                assert f"{practice} " in row[3] + " "
                assert row[4].split("/")[0].split(" ", 1)[1] == hours
                assert row[5] == streak
                assert status_ in row[6]


async def test_the_week_picker_moves_by_weeks(app: App, site: str) -> None:
    async with browser() as coach:
        await sign_in(coach, site, await link(app, "coach"))
        _, this_week = await get(coach, f"{site}/dashboard/cohort")
        assert "this week" in this_week and 'id="next-week"' not in this_week
        assert "week=2026-11-09" in this_week  # the previous-week link
        _, last_week = await get(coach, f"{site}/dashboard/cohort?week=2026-11-12")
        assert "week of Nov 9-15" in last_week
        assert "week=2026-11-02" in last_week and "week=2026-11-16" in last_week
        status, bad = await get(coach, f"{site}/dashboard/cohort?week=garbage&sort=drop+table")
        assert status == 200 and "this week" in bad


async def test_sorting_by_a_column(app: App, cohort: ConsoleAdapter, site: str) -> None:
    for i in range(3):  # three companies: the same one thrice would be a duplicate
        await cohort.say("bob", f"/apply Acme{i} Developer")
    await cohort.say("alice", "/apply Acme Developer")
    async with browser() as coach:
        await sign_in(coach, site, await link(app, "coach"))
        _, by_name = await get(coach, f"{site}/dashboard/cohort")
        _, most = await get(coach, f"{site}/dashboard/cohort?sort=applications&dir=desc")
        _, least = await get(coach, f"{site}/dashboard/cohort?sort=applications&dir=asc")

    def names(page: str) -> list[str]:
        return [row[0] for row in tables(page)["cohort-table"]]

    assert names(by_name) == ["alice", "bob"]
    assert names(most) == ["bob", "alice"]
    assert names(least) == ["alice", "bob"]
    assert 'aria-sort="descending"' in most


async def test_the_dashboard_is_served_with_any_platform(app: App, console: ConsoleAdapter) -> None:
    server = HttpServer(app, [console], host="127.0.0.1", port=0)
    await server.start()
    try:
        async with browser() as http:
            status, page = await get(http, f"http://127.0.0.1:{server.bound_port}/dashboard/")
        assert status == 200 and "not signed in" in page
    finally:
        await server.stop()
