"""The search page in a real browser (Debian chromium through Playwright) on an index whose lists are
chunked: stemmed words, the word being typed, quoted phrases, filters, ranking and paging, and that a
common word reads only the newest chunks of its list."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

import pytest

from site_builder.search import index as search_index
from site_builder.search import postings
from tests.helpers import SiteFixture

playwright_sync = pytest.importorskip("playwright.sync_api", reason="pip install playwright (test extra)")

CHROMIUM = Path("/usr/bin/chromium")
TEASERS = "#results li.teaser"


class _Recording(http.server.SimpleHTTPRequestHandler):
    requested: list[str] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.requested.append(self.path)
        super().do_GET()


@contextlib.contextmanager
def serve(output: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Recording, directory=str(output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    patch = pytest.MonkeyPatch()
    patch.setattr(postings, "INLINE_IDS", 4)  # lists of more than 4 ids are chunked, 4 ids a chunk
    patch.setattr(postings, "CHUNK_IDS", 4)
    patch.setattr(search_index, "GROUP", 3)
    patch.setattr(search_index, "BOOST", 5)
    site = SiteFixture(tmp_path_factory.mktemp("search") / "site")
    for n in range(30):  # "report" in every article, one a day
        body = f"Daily report number {n} from the newsroom."
        if n % 10 == 3:
            body += " The Bank of England raised rates."
        if n % 10 == 7:
            body += " A bank in England closed; the bank said England was calm."
        tags = "[Economy]" if n % 2 else "[Sport]"
        site.article(f"day{n:02d}", f"Day {n} report", f"2021-01-{n + 1:02d}", body, tags=tags)
    site.article("vote", "Elections called", "2020-06-01", "Voters elected a new council.", tags="[Politics]")
    site.article("later", "Council meets", "2020-07-01", "The election was debated at length.")
    from site_builder.build.pipeline import build_site

    build_site(site.config(), jobs=1)
    patch.undo()
    with serve(site.output) as base, playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        try:
            yield browser, base
        finally:
            browser.close()


def results(browser, base, address):
    page = browser.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    _Recording.requested.clear()
    page.goto(base + address)
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-status').textContent;"
        " return s && !s.startsWith('Searching'); }"
    )
    titles = page.locator(TEASERS + " h2 a").all_inner_texts()
    status = page.locator("#search-status").inner_text()
    return page, titles, status, problems


def test_a_common_word_reads_its_newest_chunk_and_pages_through_older_ones(searched):
    browser, base = searched
    page, titles, status, problems = results(browser, base, "search/?q=report")
    assert titles == [f"Day {n} report" for n in range(29, 19, -1)]  # all in the title: newest first
    assert status == "30 articles"
    chunks = [path for path in _Recording.requested if "/search/index/c/" in path]
    assert 1 <= len(chunks) <= 4, chunks  # 30 ids in chunks of 4: the newest ones only
    page.locator("button.more").click()
    page.wait_for_function(f"document.querySelectorAll('{TEASERS}').length === 20")
    assert page.locator(TEASERS + " h2 a").all_inner_texts()[10:] == [
        f"Day {n} report" for n in range(19, 9, -1)
    ]
    assert not problems, problems
    page.close()


def test_words_are_stemmed_and_title_matches_rank_first(searched):
    browser, base = searched
    page, titles, _, problems = results(browser, base, "search/?q=elections%20")
    assert titles == ["Elections called", "Council meets"]  # "election", "elected": one stem; title first
    page.close()
    page, titles, _, _ = results(browser, base, "search/?q=debating%20")  # not a word of the archive
    assert titles == ["Council meets"]
    page.close()
    page, titles, _, _ = results(browser, base, "search/?q=elec")  # being typed: completed
    assert set(titles) == {"Elections called", "Council meets"}
    assert not problems, problems
    page.close()


def test_a_quoted_phrase_finds_only_articles_holding_it(searched):
    browser, base = searched
    page, titles, status, problems = results(browser, base, "search/?q=%22bank%20of%20england%22")
    assert titles == ["Day 23 report", "Day 13 report", "Day 3 report"]  # not days 7, 17, 27
    assert status == "3 articles"
    assert page.locator(TEASERS + " mark").count() > 0
    page.close()
    page, titles, _, _ = results(browser, base, "search/?q=bank%20england")  # no quotes: both words
    assert len(titles) == 6
    assert not problems, problems
    page.close()


def test_filters_narrow_the_results(searched):
    browser, base = searched
    page, titles, status, problems = results(browser, base, "search/?q=report&tag=economy")
    assert titles == [f"Day {n} report" for n in range(29, 9, -2)]
    page.close()
    page, titles, _, _ = results(browser, base, "search/?tag=politics")
    assert titles == ["Elections called"]
    page.close()
    page, titles, _, _ = results(browser, base, "search/?q=council&year=2020")
    assert titles == ["Council meets", "Elections called"]
    assert not problems, problems
    page.close()


def test_a_rare_word_spares_reading_the_chunks_of_a_common_one_where_it_is_absent(searched):
    browser, base = searched
    page, titles, status, problems = results(browser, base, "search/?q=report%20rates")
    assert titles == ["Day 23 report", "Day 13 report", "Day 3 report"] and status == "3 articles"
    report = "/search/index/c/" + b"report".hex() + "/"
    read = [path for path in _Recording.requested if path.startswith(report)]
    assert len(read) == 3, read  # the leaves holding days 3, 13 and 23 of the eight "report" has
    assert not problems, problems
    page.close()
