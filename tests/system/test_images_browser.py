"""The lead image in a real browser (Debian chromium through Playwright) at a phone's and a desktop's
width: the srcset candidate chosen fits the layout, nothing shifts as the images arrive (cumulative
layout shift measured in the page, 0), the alt text is there. A control page without width and height
shifts, so the measurement is shown to see shifts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api", reason="pip install playwright (test extra)")

from tests.helpers.reader_pages import PAGE_TYPES, build_sample_site, serve_under_prefix  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTICLE = PAGE_TYPES["article-image"]
# Layout shifts summed as the page reports them (not those right after input), from the first paint.
MEASURE_SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""
LEAD = """(() => {
  const img = document.querySelector(".lead-image img");
  return {src: img.currentSrc, alt: img.alt, complete: img.complete, natural: img.naturalWidth,
          box: img.getBoundingClientRect().width,
          supported: PerformanceObserver.supportedEntryTypes.includes("layout-shift")};
})()"""


@pytest.fixture(scope="module")
def browser_site(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    output = build_sample_site(tmp_path_factory.mktemp("images") / "site")
    with serve_under_prefix(output) as base, playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser, base
        finally:
            browser.close()


def slow_images(route) -> None:
    """Images arrive after the first paint, as on a slow network: a box not reserved would shift."""
    time.sleep(0.4)
    route.continue_()


def open_article(browser, url: str, width: int, without_size: bool = False):
    page = browser.new_page(viewport={"width": width, "height": 800}, device_scale_factor=1)
    page.add_init_script(MEASURE_SHIFTS)
    page.route("**/*.{webp,jpg,png}", slow_images)
    if without_size:  # the control: the same page with the lead image's width and height removed
        page.route(url, lambda route: _strip_size(route))
    page.goto(url, wait_until="load")
    page.wait_for_function("document.querySelector('.lead-image img').complete")
    page.wait_for_timeout(300)  # shifts are reported after the frame that made them
    return page


def _strip_size(route) -> None:
    response = route.fetch()
    html = response.text().replace('width="1400" height="933"', "", 1)
    route.fulfill(response=response, body=html)


@pytest.mark.parametrize(("width", "chosen", "smaller"), [(375, 480, 0), (1280, 960, 480)])
def test_the_lead_image_takes_the_fitting_candidate_without_layout_shift(
    browser_site, width, chosen, smaller
):
    browser, base = browser_site
    page = open_article(browser, base + ARTICLE, width)
    lead = page.evaluate(LEAD)
    assert lead["supported"], "this browser does not report layout shifts"
    assert lead["src"].endswith(f"-{chosen}.webp"), lead  # WebP, the smallest candidate covering the box
    assert lead["complete"] and smaller < lead["box"] <= chosen, lead
    assert lead["alt"] == "Fishing boats leaving the harbour under an orange dawn sky"
    assert page.evaluate("window.__shift") == 0
    figure = page.evaluate("document.querySelector('.figure img').getAttribute('loading')")
    assert figure == "lazy"
    page.close()


def test_the_measurement_sees_a_shift_when_the_box_is_not_reserved(browser_site):
    browser, base = browser_site
    page = open_article(browser, base + ARTICLE, 375, without_size=True)
    assert "width=" not in page.evaluate("document.querySelector('.lead-image img').outerHTML")
    assert page.evaluate("window.__shift") > 0.05
    page.close()
