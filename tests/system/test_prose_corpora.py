"""The plain-prose fast path gives exactly Python-Markdown's HTML, or declines, on every article of the
real corpora in ../shared (BBC, fundus-dev, the seed article)."""

from __future__ import annotations

import json

import pytest

from site_builder.sources.markup import MarkdownRenderer, sanitise
from tests.helpers import require_shared
from tests.helpers.prose import python_markdown


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(time_limit=None)


def bbc_bodies() -> list[str]:
    folder = require_shared("corpora", "bbc")
    bodies = []
    for path in sorted(folder.glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", "replace")
        bodies.append(text.split("\n", 1)[1] if "\n" in text else text)
    return bodies


def test_every_bbc_article_the_fast_path_takes_renders_as_python_markdown_does(renderer):
    bodies = bbc_bodies()
    taken = 0
    for body in bodies:
        html = renderer._prose.render(body)
        if html is not None:
            taken += 1
            assert html == python_markdown(renderer, body)
    assert taken > 0.85 * len(bodies)  # the fast path is the common one for news text


def test_the_fundus_article_bodies_render_as_python_markdown_does(renderer):
    truth = require_shared("corpora", "fundus-dev", "truth.jsonl")
    taken = 0
    for line in truth.read_text(encoding="utf-8").splitlines():
        body = json.loads(line).get("body_text") or ""
        html = renderer._prose.render(body)
        if html is not None:
            taken += 1
            assert html == python_markdown(renderer, body)
    assert taken > 50  # 22 languages: quotes of every kind


def test_the_seed_article_renders_as_python_markdown_does(renderer):
    text = require_shared("seed", "kremlin-tillerson.txt").read_text(encoding="utf-8")
    html = renderer._prose.render(text)
    assert html is not None and html == python_markdown(renderer, text)


def test_the_renderer_gives_the_same_body_either_way(renderer):
    """MarkdownRenderer.render (fast path, then sanitising) against Python-Markdown and the same
    sanitising: the article body is what it always was."""
    for body in bbc_bodies()[:300]:
        assert renderer.render(body).html == sanitise(python_markdown(renderer, body))
        assert renderer.render(body).toc_html == ""
