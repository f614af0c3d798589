"""The pages in a real browser: Playwright driving Debian's Chromium (``/usr/bin/chromium``;
never a downloaded browser) against a live uvicorn serving the test archive
(``conftest.live_server``: its clock starts on 2010-01-01, before the seed's
declassification on 2017-03-01).

One reader's journey per test: a CONFIDENTIAL reader logs in, searches, clicks a facet,
narrows the histogram by dragging across its bars, exports the search and logs out; the
same reader opens the seed and finds paragraphs 12 and 18 withheld; a SECRET reviewer
pins the as-of day, reads them, and follows a reference to part I and back. Every page
must load without a console error (a script or style the content security policy
blocks would log one). Screenshots of the search page and the cable reader are saved
under ``build/screenshots/``.

Without ``/usr/bin/chromium`` the tests skip, saying so (``make test`` installs it as
root); under ``CI=true`` its absence is an error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright
from web_support import CONFIDENTIAL, SECRET, WebArchive, WebUser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
SEED_ID = "07MOSCOW1002"
PART_ONE_ID = "07MOSCOW1001"
#: Words written only in the seed's SECRET paragraphs 12 and 18.
SECRET_WORDS = ("weapon of choice", "Iskander-E")
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is absent: install Debian's chromium (`make browser` as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must install it")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


class Session:
    """A browser context for one reader, collecting console errors of every page."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def log_in(self, user: WebUser, start: str = "/search") -> Page:
        """Ask for a page, get the login form, log in, land on the page asked for."""
        page = self.page
        page.goto(self.base + start)
        expect(page).to_have_url(re.compile(r"/login\?next="))
        page.get_by_label("User name").fill(user.name)
        page.get_by_label("Password").fill(user.password)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(self.base + start)
        expect(page.get_by_test_id("clearance")).to_have_text(user.clearance.word)
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser: Browser, live_server: str) -> Iterator[Session]:
    opened = Session(browser, live_server)
    yield opened
    opened.close()
    assert not opened.errors, f"console errors: {opened.errors}"


def total(page: Page) -> int:
    return int(page.get_by_test_id("total").get_attribute("data-total") or "")


def test_search_facet_histogram_export_and_log_out(session: Session) -> None:
    page = session.log_in(CONFIDENTIAL)
    page.get_by_test_id("query").fill("ambassador")
    page.get_by_test_id("query").press("Enter")
    expect(page).to_have_url(re.compile(r"q=ambassador"))
    everything = total(page)
    assert everything > 20

    # A facet: its count is the total after the click, and it shows as a chip.
    facet = page.locator("[data-facet=tag] a[data-count]").first
    value, count = facet.get_attribute("data-value"), int(facet.get_attribute("data-count") or "")
    facet.click()
    expect(page.get_by_test_id("chip")).to_have_text(re.compile(rf"tag:{value}"))
    assert total(page) == count < everything
    page.get_by_test_id("chip").click()  # remove it again
    expect(page.get_by_test_id("chip")).to_have_count(0)
    assert total(page) == everything
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)

    # The histogram: drag from the second bar to the fourth.
    bars = page.locator("[data-histogram] a[data-bucket]")
    assert bars.count() >= 4
    buckets = [bars.nth(i).get_attribute("data-bucket") for i in (1, 2, 3)]
    counts = [int(bars.nth(i).get_attribute("data-count") or "") for i in (1, 2, 3)]
    start, end = bars.nth(1).bounding_box(), bars.nth(3).bounding_box()
    assert start is not None and end is not None
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] - 1)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] - 1, steps=8)
    page.mouse.up()
    expect(page).to_have_url(re.compile(rf"from={buckets[0]}&to={buckets[2]}"))
    expect(page.get_by_test_id("chip")).to_have_text(f"date:{buckets[0]}..{buckets[2]} ×")
    assert total(page) == sum(counts)

    # Export what the page counts, as JSON Lines: a download of one line per cable.
    with page.expect_download() as download:
        page.get_by_test_id("export-jsonl").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(lines) == sum(counts)

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto(session.base + "/search")
    expect(page).to_have_url(re.compile(r"/login\?next=/search"))


def test_a_confidential_reader_finds_paragraphs_12_and_18_withheld(
    session: Session, web_archive: WebArchive, shared_dir: Path
) -> None:
    assert web_archive.has_seed
    page = session.log_in(CONFIDENTIAL)
    page.get_by_test_id("query").fill(f"id:{SEED_ID}")
    page.get_by_test_id("query").press("Enter")
    page.get_by_role("link", name=SEED_ID, exact=True).click()
    expect(page.get_by_test_id("cable-id")).to_have_text(SEED_ID)
    for number in (12, 18):
        portion = page.locator(f"[data-portion=paragraph-{number}]")
        expect(portion).to_have_class(re.compile("withheld"))
        expect(portion).to_contain_text(f"[paragraph {number} withheld — S]")
    body = page.locator("body").inner_text()
    assert not any(word in body for word in SECRET_WORDS)
    expect(page.get_by_test_id("withheld-notice")).to_contain_text("as of 2010-01-01")
    # A plain reader sees the day and cannot change it.
    expect(page.locator("input[name=as_of]")).to_have_count(0)
    page.locator("[data-portion=paragraph-12]").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "cable-reader-confidential.png"))


def test_a_secret_reviewer_pins_the_day_reads_and_follows_a_reference(
    session: Session, web_archive: WebArchive, shared_dir: Path
) -> None:
    assert web_archive.has_seed
    page = session.log_in(SECRET, f"/cables/{SEED_ID}")
    page.get_by_label("As of").fill("2010-01-01")
    page.get_by_role("button", name="Set").click()
    expect(page).to_have_url(session.base + f"/cables/{SEED_ID}")
    expect(page.get_by_label("As of")).to_have_value("2010-01-01")
    expect(page.get_by_role("button", name="Today")).to_be_visible()  # the day is pinned
    expect(page.locator("[data-portion=paragraph-12]")).to_contain_text(SECRET_WORDS[0])
    expect(page.locator("[data-portion=paragraph-18]")).to_contain_text(SECRET_WORDS[1])
    expect(page.locator(".withheld")).to_have_count(0)
    expect(page.get_by_test_id("withheld-notice")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "cable-reader.png"), full_page=True)

    # REF G is part I: follow it, then come back through its "cited by" list.
    page.locator(f"[data-testid=references] a[data-ref='{PART_ONE_ID}']").click()
    expect(page.get_by_test_id("cable-id")).to_have_text(PART_ONE_ID)
    page.get_by_test_id("cited-by").get_by_role("link", name=SEED_ID).click()
    expect(page.get_by_test_id("cable-id")).to_have_text(SEED_ID)

    # After the declassification day, the notes say so; "Today" unpins.
    page.get_by_label("As of").fill("2017-03-01")
    page.get_by_role("button", name="Set").click()
    expect(page.locator("[data-portion=paragraph-12] .declassified-note")).to_contain_text(
        "Declassified on 2017-03-01"
    )
    page.get_by_role("button", name="Today").click()
    expect(page.get_by_role("button", name="Today")).to_have_count(0)


def test_the_keyboard_reaches_the_content_first_and_shows_focus(session: Session) -> None:
    page = session.log_in(CONFIDENTIAL)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The first facet is reached by Tab and followed with Enter.
    facet = page.locator("[data-facet=tag] a[data-count]").first
    count = int(facet.get_attribute("data-count") or "")
    for _ in range(40):
        page.keyboard.press("Tab")
        if facet.evaluate("e => e === document.activeElement"):
            break
    expect(facet).to_be_focused()
    assert facet.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("chip")).to_have_count(1)
    assert total(page) == count
