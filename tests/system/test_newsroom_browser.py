"""The site's own menu, a page and an author page in Chromium at phone and desktop widths: the menu
folds behind its button on a 375 px phone and opens with it (keyboard too), and lies open at 1280 px."""

from __future__ import annotations

from pathlib import Path

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api", reason="pip install playwright (test extra)")

from tests.helpers.reader_pages import build_sample_site, serve_under_prefix  # noqa: E402

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
MENU = ["Latest", "World", "Topics", "Authors", "Archive", "About us"]  # tests/fixtures/site/site.toml


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    output = build_sample_site(tmp_path_factory.mktemp("newsroom") / "site")
    with serve_under_prefix(output) as base, playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser, base
        finally:
            browser.close()


def open_page(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.goto(url, wait_until="load")
    return page, errors


def visible_menu(page) -> list[str]:
    return [text.strip() for text in page.locator("#menu-items a:visible").all_inner_texts()]


def test_the_menu_folds_on_a_phone_and_opens_with_its_button(served):
    browser, base = served
    page, errors = open_page(browser, base, 375)
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert visible_menu(page) == []
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 200  # six items no longer stack above the news
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert visible_menu(page) == MENU
    boxes = [page.locator("#menu-items a").nth(n).bounding_box() for n in range(len(MENU))]
    assert all(box["height"] >= 24 for box in boxes)  # comfortable targets, one per line
    assert len({box["y"] for box in boxes}) == len(MENU)
    toggle.focus()
    page.keyboard.press("Enter")  # the keyboard closes it again
    assert toggle.get_attribute("aria-expanded") == "false" and visible_menu(page) == []
    assert not errors, errors
    page.close()


def test_the_menu_lies_open_on_a_desktop(served):
    browser, base = served
    page, errors = open_page(browser, base + "about/", 1280)
    assert not page.locator(".menu-toggle").is_visible()
    assert visible_menu(page) == MENU
    ys = {page.locator("#menu-items a").nth(n).bounding_box()["y"] for n in range(len(MENU))}
    assert len(ys) == 1  # one line
    current = page.locator('#menu-items a[aria-current="page"]')
    assert current.inner_text() == "About us"
    assert page.locator("h1").inner_text() == "About us"
    assert page.locator("img.logo").evaluate("img => img.naturalWidth") > 0
    assert not errors, errors
    page.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_page_and_an_author_page_read_at_both_widths(served, width):
    browser, base = served
    page, errors = open_page(browser, base + "about/", width)
    assert page.locator("article.page .body").inner_text().startswith("Fixture & Friends News covers")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.close()
    page, more = open_page(browser, base + "authors/ida-lund/", width)
    assert page.locator("h1").inner_text() == "Ida Lund"
    assert page.locator(".author-photo").evaluate("img => img.naturalWidth") > 0
    assert page.locator("a[rel=me]").get_attribute("href") == "https://example.org/ida"
    page.locator(".teasers a").first.click()  # a byline leads back to the author
    page.wait_for_load_state("load")
    assert page.locator('a[rel="author"]').first.get_attribute("href") == "/news/authors/ida-lund/"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert not errors and not more, errors + more
    page.close()
