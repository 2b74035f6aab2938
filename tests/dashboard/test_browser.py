"""The dashboard in a real headless Chromium (selenium and Debian's chromedriver) against a live
``HttpServer``: sign in through the link, read the cohort week, sort, go back a week, sign out.

Skipped, saying why, when Chromium, chromedriver or selenium is missing, unless
``OFFERBOUND_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets), where a missing browser fails instead.
WebDriver calls block, so each runs in a worker thread while the server answers on the loop.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from adapters.console import ConsoleAdapter
from bot.app import App
from tests.dashboard.helpers import link, serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),  # one backend is enough
]

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = ("/usr/bin/chromedriver",)
REQUIRE = "OFFERBOUND_REQUIRE_BROWSER"


def _first(paths: tuple[str, ...], name: str) -> str | None:
    found = next((p for p in paths if os.path.exists(p)), None)
    return found or shutil.which(name)


@pytest.fixture
def driver() -> Iterator[Any]:
    missing = []
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    chromium = _first(CHROMIUM, "chromium")
    chromedriver = _first(CHROMEDRIVER, "chromedriver")
    if chromium is None:
        missing.append("Chromium (apt-get install chromium)")
    if chromedriver is None:
        missing.append("chromedriver (apt-get install chromium-driver)")
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{REQUIRE}=1 but {reason}")
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium  # type: ignore[assignment]
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


async def act(function: Any, *args: Any) -> Any:
    """One blocking WebDriver call, off the event loop that serves the pages."""
    return await asyncio.to_thread(function, *args)


async def click(browser: Any, element_id: str) -> None:
    """Click a link or button and wait until the page it leads to has replaced this one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    def go() -> None:
        element = browser.find_element(By.ID, element_id)
        element.click()
        WebDriverWait(browser, 20).until(expected_conditions.staleness_of(element))

    await act(go)


async def rows(browser: Any) -> list[list[str]]:
    from selenium.webdriver.common.by import By

    def read() -> list[list[str]]:
        table = browser.find_element(By.ID, "cohort-table")
        return [
            [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
            for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
        ]

    return await act(read)


async def text(browser: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(await act(lambda: browser.find_element(By.TAG_NAME, "body").text))


async def test_a_coach_signs_in_reads_sorts_goes_back_a_week_and_signs_out(
    app: App, cohort: ConsoleAdapter, driver: Any
) -> None:
    from selenium.webdriver.common.by import By

    for i in range(3):  # three companies: the same one thrice would be a duplicate
        await cohort.say("bob", f"/apply Acme{i} Developer")
    await cohort.say("alice", "/apply Globex Developer")
    await cohort.say("alice", "/apply Initech Developer date=2026-11-10 force=yes")
    server = await serve(app, cohort)
    base = f"http://127.0.0.1:{server.bound_port}"
    try:
        await act(driver.get, f"{base}/dashboard/signin/{await link(app, 'coach')}")
        await click(driver, "signin")
        assert "Hello, coach" in await text(driver)
        await click(driver, "cohort-week")
        assert "Fall 2026: this week" in await text(driver)
        table = await rows(driver)
        assert [r[0] for r in table] == ["alice", "bob"]
        assert "1/10" in table[0][1] and "3/10" in table[1][1]
        assert "below" in table[0][6]  # the status says it in words, not only in colour
        colour = await act(
            lambda: driver.find_element(By.CSS_SELECTOR, ".figure.below").value_of_css_property(
                "color"
            )
        )
        assert colour == "rgba(163, 60, 0, 1)"  # the stylesheet loaded under the CSP

        await click(driver, "sort-applications")  # most applications first
        assert [r[0] for r in await rows(driver)] == ["bob", "alice"]
        assert "sort=applications" in driver.current_url

        await click(driver, "previous-week")
        assert "week of Nov 9-15" in await text(driver)
        table = await rows(driver)
        assert [r[0] for r in table] == ["alice", "bob"]  # sorted still: 1 against 0
        assert "1/10" in table[0][1] and "0/10" in table[1][1]

        await click(driver, "signout")
        assert "not signed in" in await text(driver)
        await act(driver.get, f"{base}/dashboard/cohort")
        assert "Hello" not in await text(driver) and "alice" not in await text(driver)
        browser_logs = await act(driver.get_log, "browser")
        refused = [e for e in browser_logs if "Content Security Policy" in e.get("message", "")]
        assert refused == []  # the stylesheet and forms live within the policy
    finally:
        await server.stop()


async def test_a_member_is_refused_the_cohort_week_in_the_browser(
    app: App, cohort: ConsoleAdapter, driver: Any
) -> None:
    server = await serve(app, cohort)
    base = f"http://127.0.0.1:{server.bound_port}"
    try:
        await act(driver.get, f"{base}/dashboard/signin/{await link(app, 'alice')}")
        await click(driver, "signin")
        await click(driver, "my-week")
        assert "This week" in await text(driver)
        await act(driver.get, f"{base}/dashboard/cohort")
        assert "Not allowed" in await text(driver) and "bob" not in await text(driver)
    finally:
        await server.stop()
