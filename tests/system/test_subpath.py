"""Subpath hosting: built for https://example.org/news/, served under /news/ and crawled over HTTP.

A tiny stdlib server maps /news/ to output/ (anything else is 404, as on a host where the site owns
only its folder). The crawl starts at /news/ and follows every link, asset, redirect, feed link, sitemap
entry and search-index URL; every one must answer 200 and every #anchor must exist.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from site_builder.build import build_site
from site_builder.config import load_config
from tests.helpers import REPO

BASE = "https://example.org/news/"
PREFIX = "/news/"


class NewsHandler(SimpleHTTPRequestHandler):
    """Serves output/ at /news/ only."""

    def translate_path(self, path: str) -> str:
        if not urlsplit(path).path.startswith(PREFIX):
            return str(Path(self.directory) / ".no-such-file")
        return super().translate_path("/" + path[len(PREFIX) :])

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(NewsHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.redirect = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name):
                self.urls.append(values[name])
        if values.get("srcset"):
            self.urls += [part.split()[0] for part in values["srcset"].split(",") if part.strip()]
        if (values.get("http-equiv") or "").lower() == "refresh":
            self.redirect = True
            self.urls.append(re.sub(r"(?i)^\s*\d+\s*;\s*url\s*=\s*", "", values.get("content") or ""))


class Crawler:
    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.seen: set[str] = set()
        self.ids: dict[str, set[str]] = {}
        self.failures: list[str] = []
        self.anchors: list[tuple[str, str, str]] = []  # (from, page, fragment)
        self.redirect_pages: set[str] = set()

    def local(self, url: str) -> str | None:
        """Site URLs (example.org) are fetched from the local server; other hosts are not ours."""
        parts = urlsplit(url)
        if parts.netloc == "example.org":
            return self.origin + parts.path + (f"?{parts.query}" if parts.query else "")
        if url.startswith(self.origin):
            return url
        return None

    def crawl(self, start: str) -> None:
        queue = deque([(start, "start")])
        while queue:
            url, found_on = queue.popleft()
            url, fragment = urldefrag(url)
            target = self.local(url)
            if target is None:
                continue
            if fragment and fragment != "top":
                self.anchors.append((found_on, urlsplit(target).path, fragment))
            if target in self.seen:
                continue
            self.seen.add(target)
            if not urlsplit(target).path.startswith(PREFIX):
                self.failures.append(f"{target} (on {found_on}): outside {PREFIX}")
                continue
            try:
                with urllib.request.urlopen(target, timeout=10) as response:
                    body, kind, final = response.read(), response.headers.get_content_type(), response.url
            except urllib.error.HTTPError as error:
                self.failures.append(f"{target} (on {found_on}): HTTP {error.code}")
                continue
            queue.extend((link, final) for link in self.links(final, kind, body))

    def links(self, url: str, kind: str, body: bytes) -> list[str]:
        path = urlsplit(url).path
        if kind == "text/html":
            parser = Links()
            parser.feed(body.decode("utf-8"))
            self.ids[path] = parser.ids
            if parser.redirect:
                self.redirect_pages.add(path)
            return [urljoin(url, link) for link in parser.urls]
        if path.endswith(".xml"):
            root = ET.fromstring(body)
            hrefs = [e.get("href") for e in root.iter() if e.tag.endswith("}link") and e.get("href")]
            locs = [e.text.strip() for e in root.iter() if e.tag.endswith("}loc") and e.text]
            return [urljoin(url, link) for link in hrefs + locs]
        if path.endswith("robots.txt"):
            return [
                line.split(":", 1)[1].strip()
                for line in body.decode().splitlines()
                if line.startswith("Sitemap:")
            ]
        if path.endswith(".json"):
            return [urljoin(self.origin + PREFIX, u) for u in json_urls(json.loads(body))]
        return []

    def missing_anchors(self) -> list[str]:
        return [
            f"{page}#{fragment} (on {found_on})"
            for found_on, page, fragment in self.anchors
            if page in self.ids and fragment not in self.ids[page]
        ]


def json_urls(data) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in {"url", "href"} and isinstance(value, str):
                yield value
            else:
                yield from json_urls(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_urls(value)


@pytest.fixture
def news_site(tmp_path: Path) -> Path:
    """The repository's sample site plus a renamed article (alias), an image, anchors and relative links."""
    root = tmp_path / "news"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "site.toml", root / "site.toml")
    (root / "static/images").mkdir(parents=True)
    (root / "static/images/river.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    (root / "content/subpath-check.md").write_text(
        "---\ntitle: Subpath check\ndate: 2018-05-06\naliases: [old/subpath-check/]\ntags: [River]\n---\n\n"
        "## Where the river runs\n\n"
        "See [the river](#where-the-river-runs), [the footbridge](../footbridge-opens-to-the-public/) "
        "and ![the river](/images/river.svg).\n",  # site-absolute: static/images/river.svg
        encoding="utf-8",
    )
    return root


def test_every_link_resolves_when_served_under_a_subpath(news_site):
    config = load_config(news_site, {"base_url": BASE})
    build_site(config)
    output = config.output_dir
    with serve(output) as origin:
        crawler = Crawler(origin)
        crawler.crawl(origin + PREFIX)
        for extra in ("robots.txt", "404.html", "old/subpath-check/", *json_files(output)):
            crawler.crawl(origin + PREFIX + extra)
        assert crawler.failures == []
        assert crawler.missing_anchors() == []
        reached = {urlsplit(url).path for url in crawler.seen}
        html_pages = {PREFIX + p.relative_to(output).as_posix().removesuffix("index.html")
                      for p in output.rglob("*.html")}  # fmt: skip
        unreached = html_pages - reached - {PREFIX + "404.html", PREFIX + "old/subpath-check/"}
        assert unreached == set()
        assert PREFIX + "images/river.svg" in reached and PREFIX + "feed.xml" in reached
        assert PREFIX + "old/subpath-check/" in crawler.redirect_pages
        assert crawler.anchors, "the crawl should have met #anchors"
        # a root-absolute link that forgot the prefix would fail: the server owns only /news/
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(origin + "/articles/subpath-check/", timeout=10)


def json_files(output: Path) -> list[str]:
    return [p.relative_to(output).as_posix() for p in output.rglob("*.json")]
