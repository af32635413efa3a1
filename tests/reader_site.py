"""Build helpers for the reader-experience tests: the search index and person links wired into a build.

``site_builder.search.search_pages`` and ``site_builder.linking.link_people`` are called from build.py
and render.py; until (or unless) those hooks are present, :func:`reader_hooks` adds them around a
build so the tests exercise what a real build produces.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator

from site_builder import build, render
from site_builder.content import ArticleBody
from site_builder.linking import link_people
from site_builder.search import search_pages


def hooks_wired() -> tuple[bool, bool]:
    return "search_pages" in inspect.getsource(build), "link_people" in inspect.getsource(render)


@contextlib.contextmanager
def reader_hooks() -> Iterator[None]:
    """Wire the search index and person links into builds made inside the block (if not wired yet)."""
    search_wired, links_wired = hooks_wired()
    saved_commit, saved_render = build.render_and_commit, render.PageRenderer._render_template

    def commit_with_search(config, cache, pages, *args, **kwargs):
        return saved_commit(config, cache, pages + search_pages(pages, cache.body), *args, **kwargs)

    def render_with_links(self, page):
        if not page.body_key or "article" not in page.context:
            return saved_render(self, page)
        load = self.load_body

        def linked(key: str) -> ArticleBody:
            body = load(key)
            people = page.context["article"].get("people", [])
            return ArticleBody(link_people(body.html, people, self.env.globals["url"]), body.toc_html)

        self.load_body = linked
        try:
            return saved_render(self, page)
        finally:
            self.load_body = load

    if not search_wired:
        build.render_and_commit = commit_with_search
    if not links_wired:
        render.PageRenderer._render_template = render_with_links
    try:
        yield
    finally:
        build.render_and_commit, render.PageRenderer._render_template = saved_commit, saved_render


def build_with_reader_hooks(config, **options):
    """Build with the hooks; in-process by default (jobs=1) to keep the test suite light on small machines."""
    options.setdefault("jobs", 1)
    with reader_hooks():
        return build.build_site(config, **options)
