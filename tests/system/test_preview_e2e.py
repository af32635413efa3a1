"""End to end: the real dev server, the real watchdog observer and a real Chromium driven by Playwright.

Nothing here calls the rebuild by hand: files are edited on disk and the browser must show the result by
itself. Each wait is for a condition and bounded; the session and the browser stop in fixture teardown.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.config import load_config
from site_builder.preview.session import PreviewOptions, PreviewSession
from tests.helpers.waiting import wait_until

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian chromium is not installed at /usr/bin/chromium", allow_module_level=True)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 10_000


def article(title: str, slug: str, tags: list[str], date: str) -> str:
    tag_lines = "".join(f"  - {t}\n" for t in tags)
    return f"---\ntitle: {title}\nslug: {slug}\ndate: {date}\ntags:\n{tag_lines}---\n\nText of {title}.\n"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    (tmp_path / "site.toml").write_text('title = "E2E"\nbase_url = "http://localhost:8000/"\n')
    content = tmp_path / "content"
    content.mkdir()
    (content / "alpha.md").write_text(article("Alpha original", "alpha", ["Economy"], "2024-03-01"))
    (content / "beta.md").write_text(article("Beta story", "beta", ["Economy"], "2024-03-02"))
    return tmp_path


@pytest.fixture()
def session(site: Path) -> Iterator[PreviewSession]:
    # debounce=0.25: the vim test counts rebuilds exactly; a loaded CI machine may stall a burst >100 ms.
    options = PreviewOptions(port=0, debounce=0.25)
    with PreviewSession(lambda: load_config(site), options, out=io.StringIO()) as running:
        yield running


@pytest.fixture()
def page(browser: object, session: PreviewSession) -> Iterator[object]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    try:
        yield tab
    finally:
        context.close()


def terminal(session: PreviewSession) -> str:
    """What the session printed so far: one line per rebuild, naming the files it was for."""
    return session.out.getvalue()


def expect(locator: object):
    return playwright_api.expect(locator)


def test_title_edit_shows_up_by_itself(site: Path, session: PreviewSession, page) -> None:
    page.goto(session.url + "articles/alpha/")
    expect(page.locator("h1")).to_have_text("Alpha original")
    page.evaluate("window.__sameDocument = true")
    (site / "content" / "alpha.md").write_text(article("Alpha renamed", "alpha", ["Economy"], "2024-03-01"))
    expect(page.locator("h1")).to_have_text("Alpha renamed", timeout=WAIT_MS)
    assert page.evaluate("window.__sameDocument === undefined"), "the page was not reloaded"
    output = session.config.output_dir / "articles" / "alpha" / "index.html"
    assert b"__livereload" not in output.read_bytes(), "the reload script leaked into output/"


def test_broken_front_matter_overlay_then_fix_clears_it(site: Path, session: PreviewSession, page) -> None:
    page.goto(session.url + "articles/alpha/")
    expect(page.locator("h1")).to_have_text("Alpha original")
    source = site / "content" / "alpha.md"
    source.write_text("---\ntitle: [unclosed\nslug: alpha\n---\n\nBroken.\n")
    overlay = page.locator("#site-builder-error-overlay")
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay.locator(".site-builder-error-location")).to_contain_text("content/alpha.md:")
    expect(page.locator("article h1")).to_have_text("Alpha original")  # the last good site stays
    # A new tab opened while the build is broken shows the overlay too.
    other = page.context.new_page()
    other.goto(session.url)
    expect(other.locator("#site-builder-error-overlay")).to_contain_text("content/alpha.md")
    other.close()
    source.write_text(article("Alpha fixed", "alpha", ["Economy"], "2024-03-01"))
    expect(page.locator("h1")).to_have_text("Alpha fixed", timeout=WAIT_MS)
    expect(overlay).to_have_count(0)


def test_deleted_article_leaves_its_tag_page(site: Path, session: PreviewSession, page) -> None:
    page.goto(session.url + "tags/economy/")
    listing = page.locator("main")
    expect(listing).to_contain_text("Beta story")
    expect(listing).to_contain_text("Alpha original")
    (site / "content" / "beta.md").unlink()
    expect(listing).not_to_contain_text("Beta story", timeout=WAIT_MS)
    expect(listing).to_contain_text("Alpha original")
    response = page.request.get(session.url + "articles/beta/")
    assert response.status == 404


def test_vim_style_save_is_one_rebuild_and_served(site: Path, session: PreviewSession, page) -> None:
    """Delete-then-create through a backup file, with swap and probe files around it."""
    page.goto(session.url + "articles/alpha/")
    expect(page.locator("h1")).to_have_text("Alpha original")
    builds_before = len(session.rebuild.history)
    content = site / "content"
    (content / ".alpha.md.swp").write_bytes(b"swap")
    (content / "4913").write_text("")
    (content / "4913").unlink()
    shutil.move(content / "alpha.md", content / "alpha.md~")
    (content / "alpha.md").write_text(article("Alpha via vim", "alpha", ["Economy"], "2024-03-01"))
    (content / "alpha.md~").unlink()
    expect(page.locator("h1")).to_have_text("Alpha via vim", timeout=WAIT_MS)
    (content / ".alpha.md.swp").unlink()
    # A later save of another file: the watcher reports events in order, so a late rebuild caused by
    # the vim save would come before this one's, or share its terminal line.
    (content / "barrier.md").write_text(article("Barrier", "barrier", ["Economy"], "2024-03-05"))
    assert wait_until(lambda: "barrier.md" in terminal(session), timeout=WAIT_MS / 1000)
    assert session.rebuild.wait_for_builds(builds_before + 2, timeout=WAIT_MS / 1000)
    (barrier_line,) = [line for line in terminal(session).splitlines() if "barrier.md" in line]
    assert "alpha" not in barrier_line, barrier_line
    assert len(session.rebuild.history) == builds_before + 2  # the vim save, then the barrier
    assert all(outcome.ok for outcome in session.rebuild.history)


def test_page_follows_its_article_to_a_new_url(site: Path, session: PreviewSession, page) -> None:
    """No explicit slug: a new title gives a new URL; the open page goes there instead of a 404."""
    source = site / "content" / "gamma.md"
    source.write_text("---\ntitle: Gamma first\ndate: 2024-03-03\n---\n\nGamma text.\n")
    assert session.rebuild.wait_for_builds(2, timeout=WAIT_MS / 1000)
    page.goto(session.url + "articles/gamma-first/")
    expect(page.locator("h1")).to_have_text("Gamma first")
    source.write_text("---\ntitle: Gamma second\ndate: 2024-03-03\n---\n\nGamma text.\n")
    expect(page.locator("h1")).to_have_text("Gamma second", timeout=WAIT_MS)
    assert page.url.endswith("/articles/gamma-second/")
