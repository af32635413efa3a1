"""A built sample site with every page type, served under a subpath, for browser and validator tests."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

from site_builder.config import load_config
from tests.helpers import FIXTURE_SITE as FIXTURE
from tests.helpers.reader_site import build_with_reader_hooks

PREFIX = "news"  # the fixture's base_url is https://example.org/news/

# page type -> site-relative URL in the built fixture (plus the extra article written below)
PAGE_TYPES = {
    "home": "",
    "home-page-2": "page/2/",
    "article": "2021/03/leaders-meet-at-the-summit-agree/",
    "article-quotes": "2021/04/minister-answers-questions/",
    "article-image": "2021/02/harbour-reopens/",  # a page bundle: lead image, a figure
    "person": "people/anna-berg/",
    "people": "people/",
    "tag": "tags/europe/",
    "tags": "tags/",
    "archive": "archive/",
    "archive-year": "archive/2021/",
    "archive-month": "archive/2021/03/",
    "archive-undated": "archive/undated/",
    "search": "search/",
    "404": "404.html",
    "page": "about/",  # content/pages/about.md
    "section": "sections/world/",
    "sections": "sections/",
    "author": "authors/ida-lund/",  # with authors.toml: bio, photo, links, the person she is
    "authors": "authors/",
    # a multilingual site (tests/fixtures/site-multi) built into the folder MULTILINGUAL beside them (its
    # root page, which sends readers on, is validated with the whole output)
    "multilingual-de-home": "ml/de/",
    "multilingual-de-article": "ml/de/articles/der-hafen-offnet-nach-dem-sturm-wieder/",
    "multilingual-de-month": "ml/de/archive/2021/03/",
    "multilingual-de-search": "ml/de/search/",
}
MULTILINGUAL = "ml"

EXTRA_ARTICLE = """\
---
title: Minister answers questions
date: 2021-04-02T09:00:00+02:00
tags: [Europe, Diplomacy]
authors: [Ida Lund]
people:
- {name: Anna Berg, role: Prime Minister, mentions: [[4, 13]]}
- {name: Tom Ode, role: Minister of Finance}
quotes:
- {speaker: Anna Berg, text: "We will publish every figure."}
- {speaker: Tom Ode, text: "The budget holds."}
---

Mrs Anna Berg answered questions for an hour. Tom Ode, the finance minister, stayed silent.

## Figures

| Year | Budget |
|------|--------|
| 2020 | 10 |
| 2021 | 12 |
"""


def build_sample_site(root: Path) -> Path:
    """Copy the fixture site to *root*, add an article with quotes and a table, build it, and build the
    multilingual fixture into its output/ml/ (served at /news/ml/); returns output/."""
    shutil.copytree(FIXTURE, root)
    (root / "templates" / "tags.html").unlink()  # test the theme's own page, not the fixture's override
    (root / "content" / "world" / "questions.md").write_text(textwrap.dedent(EXTRA_ARTICLE), encoding="utf-8")
    build_with_reader_hooks(load_config(root))
    multilingual = root.parent / "site-multi"
    shutil.copytree(FIXTURE.parent / "site-multi", multilingual)
    build_with_reader_hooks(
        load_config(multilingual, {"base_url": f"https://example.org/{PREFIX}/{MULTILINGUAL}/"})
    )
    shutil.copytree(multilingual / "output", root / "output" / MULTILINGUAL)
    return root / "output"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@contextlib.contextmanager
def serve_under_prefix(output: Path) -> Iterator[str]:
    """Serve *output* at http://127.0.0.1:<port>/news/ with the standard library server; yields the base."""
    root = output.parent / "served"
    root.mkdir(exist_ok=True)
    link = root / PREFIX
    if not link.exists():
        link.symlink_to(output, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{PREFIX}/"
    finally:
        server.shutdown()
        server.server_close()
