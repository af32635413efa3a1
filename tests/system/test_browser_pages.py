"""Every page type in a real browser (Debian chromium through Playwright), served under a subpath.

No console errors, screenshots at phone and desktop widths in test-artifacts/, no serious or critical
axe-core violation, no sideways scrolling on a 375 px phone, keyboard reaches search and pagination,
and typing a person's name on /search/ lists their articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api", reason="pip install playwright (test extra)")
axe_module = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="pip install axe-playwright-python"
)

from tests.helpers import REPO  # noqa: E402
from tests.helpers.reader_pages import PAGE_TYPES, build_sample_site, serve_under_prefix  # noqa: E402

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = REPO / "test-artifacts"
WIDTHS = {"phone": 375, "desktop": 1280}
NARROWEST = 320  # checked for sideways scrolling only
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def browser_site(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    output = build_sample_site(tmp_path_factory.mktemp("browser") / "site")
    with serve_under_prefix(output) as base, playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser, base
        finally:
            browser.close()


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


@pytest.mark.slow
def test_every_page_type_renders_cleanly_and_accessibly(browser_site):
    browser, base = browser_site
    ARTIFACTS.mkdir(exist_ok=True)
    axe = axe_module.Axe()
    failures = []
    for name, path in PAGE_TYPES.items():
        for label, width in WIDTHS.items():
            page, problems = open_page(browser, base + path, width)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{label}-{width}.png"), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                problems.append(f"scrolls sideways by {overflow}px")
            if label == "desktop":  # axe once per page type: the markup is the same at both widths
                violations = axe.run(page).response["violations"]
                problems += [
                    f"axe {v['impact']}: {v['id']} ({len(v['nodes'])} nodes)"
                    for v in violations
                    if v["impact"] in {"serious", "critical"}
                ]
            failures += [f"{name} at {width}px: {p}" for p in problems]
            page.close()
        page, _ = open_page(browser, base + path, NARROWEST)
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            failures.append(f"{name} at {NARROWEST}px: scrolls sideways by {overflow}px")
        page.close()
    assert not failures, "\n".join(failures)


FOCUSED = """(() => {
  const e = document.activeElement;
  return (e.id || e.parentElement.className || e.tagName) + ":" + (e.textContent || "").trim();
})()"""


def focus_path(page, presses: int = 40) -> list[str]:
    """What keyboard focus lands on, Tab after Tab: id, or class of the parent, and the text."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    return seen


def test_keyboard_reaches_search_and_pagination(browser_site):
    browser, base = browser_site
    page, _ = open_page(browser, base, 1280)
    seen = focus_path(page)
    assert any(s.startswith("site-search") for s in seen), seen
    assert any(s.startswith("pagination:Older") for s in seen), seen
    page.close()
    page, _ = open_page(browser, base, 1280)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    assert page.evaluate("location.hash") == "#main"
    page.close()


def test_typing_a_persons_name_on_search_lists_their_articles(browser_site):
    browser, base = browser_site
    page, problems = open_page(browser, base + "search/", 1280)
    page.locator("#q").press_sequentially("Anna Berg", delay=20)
    try:
        page.wait_for_function(  # "Anna Ber" already finds her 3 articles by prefix: wait for the whole name
            "document.querySelectorAll('#results li.teaser').length === 3"
            " && location.search.includes('q=Anna+Berg')",
            timeout=60_000,
        )
    except playwright_sync.TimeoutError:
        state = page.evaluate(
            "[document.querySelector('#q').value, document.querySelector('#search-status').textContent,"
            " document.querySelectorAll('#results li.teaser').length, location.href]"
        )
        pytest.fail(f"search results never showed Anna Berg's 3 articles: {state}; {problems}")
    links = page.locator("#results li.teaser h2 a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert (
        links
        == [  # every article naming her, those naming her in title, people or tags first, newest first
            "/news/2021/04/minister-answers-questions/",
            "/news/2021/03/leaders-meet-at-the-summit-agree/",
            "/news/2021/02/parliament-vote-delayed/",
        ]
    )
    assert page.locator("#results mark").first.inner_text().lower() in {"anna", "berg"}
    assert "3 articles" in page.locator("#search-status").inner_text()
    assert "q=Anna+Berg" in page.url
    for scheme in ("light", "dark"):  # highlighted results stay readable in both colour schemes
        page.emulate_media(color_scheme=scheme)
        violations = axe_module.Axe().run(page).response["violations"]
        assert not [v["id"] for v in violations if v["impact"] in {"serious", "critical"}], scheme
    # filters narrow the results; a person link from their page pre-selects the person
    page.goto(base + "search/?person=tom-ode")
    page.wait_for_function("document.querySelectorAll('#results li.teaser').length === 3")
    assert page.locator("#person").input_value() == "Tom Ode"
    page.select_option("#year", "2021")
    page.wait_for_function("document.querySelectorAll('#results li.teaser').length === 2")
    page.locator("#q").fill("budget")
    page.wait_for_function("document.querySelectorAll('#results li.teaser').length === 1")
    found = page.locator("#results li.teaser h2 a").get_attribute("href")
    assert found == "/news/2021/04/minister-answers-questions/"  # "budget" is in its body only
    assert "person=tom-ode" in page.url and "year=2021" in page.url
    assert not problems, problems
    page.close()


def test_a_language_trees_search_finds_its_articles_typed_without_umlauts(browser_site):
    """The German tree of the multilingual site searches its own index (German stems, folded accents)
    and links the results at their URLs in the tree."""
    browser, base = browser_site
    page, problems = open_page(browser, base + "ml/de/search/", 1280)
    page.locator("#q").press_sequentially("fruhlingsmarkt", delay=20)
    page.wait_for_function(
        "document.querySelectorAll('#results li.teaser').length === 1"
        " && location.search.includes('fruhlingsmarkt')",
        timeout=60_000,
    )
    found = page.locator("#results li.teaser h2 a").get_attribute("href")
    assert found == "/news/ml/de/articles/spring-market/"
    assert "1 Artikel" in page.locator("#search-status").inner_text()
    assert not problems, problems
    page.close()
