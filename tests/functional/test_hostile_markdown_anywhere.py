"""The Markdown time limit holds in every thread (issue 15, item 9).

SIGALRM interrupts only the main thread, and ``serve`` builds in a thread of its own: a pathological
body rendered there for minutes and was published. Such renders now run in a helper process killed
at the deadline.
"""

from __future__ import annotations

import threading
import time

import pytest

from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.sources import markup
from site_builder.sources.markup import MarkdownRenderer
from site_builder.sources.reader import read_article

# Python-Markdown is quadratic on runs of '[': seconds for this many, minutes for 20,000
BRACKETS = "[" * 8000


def _in_a_thread(function, timeout: float):
    """Run *function* in a thread, as the dev server builds; its result or exception, and the time."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome["error"] = error

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"still rendering after {timeout} s: no time limit in this thread"
    return outcome, time.monotonic() - started


def test_a_render_in_another_thread_is_stopped_at_the_limit(tmp_path):
    (tmp_path / "content").mkdir()
    config = load_config(tmp_path)
    renderer = MarkdownRenderer(time_limit=0.5)
    data = ("---\ntitle: Brackets\n---\n\n" + BRACKETS + "\n").encode()
    outcome, seconds = _in_a_thread(lambda: read_article(data, "bomb.md", config, renderer, "k"), 30)
    error = outcome.get("error")
    assert isinstance(error, SiteError), outcome
    assert str(error).startswith("content/bomb.md:5: Markdown took more than 0.5 s")
    assert seconds < 10
    fine = b"---\ntitle: Fine\n---\n\nA [link](https://x.org/) and *words*.\n"
    outcome, _ = _in_a_thread(lambda: read_article(fine, "ok.md", config, renderer, "k"), 30)
    assert "value" in outcome, outcome
    article, body = outcome["value"]  # the helper is started again after a timeout
    assert article.title == "Fine" and '<a href="https://x.org/">link</a>' in body.html


def test_a_build_in_another_thread_gives_the_located_error(site, monkeypatch):
    monkeypatch.setattr(markup, "RENDER_SECONDS", 0.5)
    site.article("fine", "Fine")
    site.article("bomb", "Bomb", body=BRACKETS)
    outcome, seconds = _in_a_thread(lambda: site.build(jobs=1), 60)
    assert isinstance(outcome.get("error"), SiteError), outcome
    assert "content/bomb.md:6: Markdown took more than 0.5 s" in str(outcome["error"])
    assert not site.output.exists()


def test_helper_renders_the_same_html_as_the_main_thread():
    text = 'A "quoted" --- [link](https://x.org/) <script>alert(1)</script>\n\n# Head\n\n```\ncode\n```\n'
    here = MarkdownRenderer().render(text)
    outcome, _ = _in_a_thread(lambda: MarkdownRenderer().render(text), 30)
    assert outcome["value"] == here


@pytest.fixture(autouse=True)
def _no_stray_helpers():
    yield
    import multiprocessing

    for child in multiprocessing.active_children():
        if child.name == "markdown":
            child.kill()
