"""``site-builder check``: prove that a built site has no broken internal link before it is published.

Checks the files in ``output/`` as a static host would serve them under ``base_url`` (which may carry a
subpath such as ``/news/``): every internal link, asset, redirect and ``#anchor`` in the HTML, ``url()``
in CSS, links in Atom/RSS feeds, the sitemap (parses, every entry exists, every indexable page is
listed), ``Sitemap:`` in robots.txt and ``url``/``href`` values in JSON files (search indexes).
Links to other hosts are not fetched: this is an offline check.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urljoin, urlsplit

from site_builder.build.output.staging import existing_files
from site_builder.config import SiteConfig
from site_builder.errors import SiteError

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ASSET_ATTRS = {
    ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"), ("script", "src"),
    ("iframe", "src"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"),
    ("embed", "src"), ("object", "data"), ("input", "src"),
}  # fmt: skip
LINK_ATTRS = {("a", "href"), ("area", "href"), ("link", "href")}
ASSET_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.I)
JSON_URL_KEYS = {"url", "href"}
RASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


@dataclass(frozen=True, order=True)
class Problem:
    """One broken thing: the output file it was found in, where, what and why."""

    file: str  # relative to output/
    kind: str  # link, asset, anchor, redirect, feed, sitemap, css, json, robots
    target: str  # the URL as written (or the element at fault)
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.kind} {self.target}: {self.message}"


@dataclass
class PageLinks:
    """What one HTML file links to, and the anchors it offers to others."""

    refs: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, url, line)
    widths: list[tuple[str, int, int]] = field(default_factory=list)  # srcset (url, "w" descriptor, line)
    ids: set[str] = field(default_factory=set)
    base: str | None = None
    noindex: bool = False


class _LinkParser(HTMLParser):
    """Collects links, assets, ids and the few head elements that change how links resolve."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        line = self.getpos()[0]
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(name):
                self.page.ids.add(values[name])
        if tag == "base" and values.get("href") and self.page.base is None:
            self.page.base = values["href"]
        if tag == "meta":
            self._meta(values, line)
        for name, value in values.items():
            if (tag, name) in ASSET_ATTRS:
                urls = _srcset(value) if name == "srcset" else [value]
                self.page.refs.extend(("asset", url, line) for url in urls)
                if name == "srcset":
                    self.page.widths.extend((url, width, line) for url, width in _srcset_widths(value))
            elif (tag, name) in LINK_ATTRS:
                rels = set(values.get("rel", "").lower().split())
                self.page.refs.append(("asset" if rels & ASSET_RELS else "link", value, line))

    handle_startendtag = handle_starttag

    def _meta(self, values: dict[str, str], line: int) -> None:
        if values.get("http-equiv", "").lower() == "refresh":
            match = REFRESH_URL.search(values.get("content", ""))
            if match:
                self.page.refs.append(("redirect", match.group(1).strip(), line))
        if values.get("name", "").lower() == "robots" and "noindex" in values.get("content", "").lower():
            self.page.noindex = True


def _srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.split()]


def _srcset_widths(value: str) -> list[tuple[str, int]]:
    """The candidates of a srcset that state their width ("photo-480.webp 480w")."""
    found = []
    for part in value.split(","):
        words = part.split()
        if len(words) == 2 and words[1].endswith("w") and words[1][:-1].isdigit():
            found.append((words[0], int(words[1][:-1])))
    return found


def parse_html(text: str) -> PageLinks:
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    return parser.page


def page_url(relative: str) -> str:
    """The site-relative URL a file is served at: ``a/index.html`` is ``a/``."""
    if relative == "index.html" or relative.endswith("/index.html"):
        return relative.removesuffix("index.html")
    return relative


class OutputChecker:
    """Resolves URLs against the files of one output folder served under one base URL."""

    def __init__(self, output_dir: Path, base_url: str) -> None:
        self.root = output_dir
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        parts = urlsplit(self.base_url)
        self.host = parts.netloc.lower()
        self.prefix = parts.path or "/"
        self.files = existing_files(output_dir)
        self.pages: dict[str, PageLinks] = {}
        self.problems: list[Problem] = []
        self.checked = 0  # internal references resolved

    def run(self) -> list[Problem]:
        for relative in sorted(self.files):
            if relative.endswith((".html", ".htm")):
                self.pages[relative] = parse_html(self._text(relative))
        for relative, page in self.pages.items():
            self._check_page(relative, page)
        for relative in sorted(self.files):
            if relative.endswith(".xml"):
                self._check_xml(relative)
            elif relative.endswith(".css"):
                self._check_css(relative)
            elif relative.endswith(".json"):
                self._check_json(relative)
        self._check_robots()
        return sorted(set(self.problems))

    def _text(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8", errors="replace")

    def _report(self, file: str, kind: str, target: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(file, kind, target, message, line))

    def resolve(self, url: str) -> tuple[str | None, str | None]:
        """(output file, None) for an internal URL that exists; (None, why) when broken; (None, None)
        for anything that is not ours to check (other hosts, mailto:, data:...)."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.netloc.lower() != self.host:
            return None, None
        self.checked += 1
        if not parts.path.startswith(self.prefix):
            return None, f"outside the site's base path {self.prefix}"
        relative = unquote(parts.path[len(self.prefix) :])
        candidates = [relative + "index.html"] if relative.endswith("/") or not relative else [relative]
        if candidates[0] != relative + "index.html":
            candidates.append(relative + "/index.html")  # a folder without its slash: hosts redirect
        for candidate in candidates:
            if candidate in self.files:
                return candidate, None
        return None, "no such file in output/"

    def files_target(self, url: str) -> str | None:
        """The output file an internal URL names, if it exists (not counted as a checked link)."""
        checked = self.checked
        target, _ = self.resolve(url)
        self.checked = checked
        return target

    def _check_ref(self, file: str, kind: str, url: str, base: str, line: int | None = None) -> None:
        url = url.strip()
        if not url:
            self._report(file, kind, '""', "empty URL", line)
            return
        absolute = urljoin(base, url)
        target, why = self.resolve(absolute)
        if why:
            self._report(file, kind, url, why, line)
            return
        fragment = unquote(urlsplit(absolute).fragment)
        if fragment and fragment != "top" and target in self.pages and fragment not in self.pages[target].ids:
            self._report(file, "anchor", url, f"no element with id {fragment!r} in {target}", line)

    def _check_page(self, relative: str, page: PageLinks) -> None:
        base = self.base_url + page_url(relative)
        if page.base:
            base = urljoin(base, page.base)
        for kind, url, line in page.refs:
            self._check_ref(relative, kind, url, base, line)
        for url, width, line in page.widths:
            self._check_width(relative, url, width, base, line)

    def _check_width(self, file: str, url: str, width: int, base: str, line: int) -> None:
        """A srcset candidate is as wide as it says: the browser picks candidates by these widths."""
        target = self.files_target(urljoin(base, url.strip()))
        if target is None or not target.lower().endswith(RASTER_SUFFIXES):
            return  # broken ones are reported as assets; other hosts are not ours to open
        actual = _image_width(self.root / target)
        if actual is None:
            self._report(file, "srcset", url, "not an image Pillow can read", line)
        elif actual != width:
            self._report(file, "srcset", url, f"says {width}w but the image is {actual} pixels wide", line)

    def _check_css(self, relative: str) -> None:
        base = self.base_url + relative
        for number, text in enumerate(self._text(relative).splitlines(), start=1):
            for match in CSS_URL.finditer(text):
                if not match.group(2).startswith(("data:", "#")):
                    self._check_ref(relative, "css", match.group(2), base, number)

    def _check_json(self, relative: str) -> None:
        try:
            data = json.loads(self._text(relative))
        except ValueError as error:
            self._report(relative, "json", relative, f"does not parse: {error}")
            return
        for url in _json_urls(data):
            self._check_ref(relative, "json", url, self.base_url)

    def _check_robots(self) -> None:
        if "robots.txt" not in self.files:
            return
        for number, text in enumerate(self._text("robots.txt").splitlines(), start=1):
            key, _, value = text.partition(":")
            if key.strip().lower() == "sitemap":
                self._check_ref("robots.txt", "robots", value.strip(), self.base_url, number)

    def _check_xml(self, relative: str) -> None:
        try:
            root = ET.parse(self.root / relative).getroot()
        except ET.ParseError as error:
            self._report(relative, "xml", relative, f"does not parse: {error}", error.position[0])
            return
        if root.tag == f"{ATOM}feed":
            self._check_atom(relative, root)
        elif root.tag == "rss":
            base = self.base_url + relative
            for link in root.iter("link"):
                self._check_ref(relative, "feed", link.text or "", base)
        elif root.tag == f"{SITEMAP}urlset":
            self._check_sitemap(relative, root)

    def _check_atom(self, relative: str, feed: ET.Element) -> None:
        base = self.base_url + relative
        for element in [feed, *feed.findall(f"{ATOM}entry")]:
            name = "feed" if element is feed else f"entry {element.findtext(f'{ATOM}id') or '?'}"
            for required in ("id", "title", "updated"):
                if not (element.findtext(f"{ATOM}{required}") or "").strip():
                    self._report(relative, "feed", name, f"missing <{required}>")
            for link in element.findall(f"{ATOM}link"):
                self._check_ref(relative, "feed", link.get("href", ""), base)

    def _check_sitemap(self, relative: str, urlset: ET.Element) -> None:
        listed: set[str] = set()
        for loc in urlset.iter(f"{SITEMAP}loc"):
            url = (loc.text or "").strip()
            self._check_ref(relative, "sitemap", url, self.base_url)
            target, _ = self.resolve(urljoin(self.base_url, url))
            if target:
                listed.add(target)
        if relative != "sitemap.xml":
            return
        for page, links in self.pages.items():
            if page not in listed and not links.noindex and page_url(page) != "404.html":
                self._report(relative, "sitemap", self.base_url + page_url(page), "page not listed")


def _image_width(path: Path) -> int | None:
    """The width of an image file, from its header only (None if it is not a readable image)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.width
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


def _json_urls(data: Any) -> Iterator[str]:
    """String values under ``url``/``href`` keys anywhere in a JSON document."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in JSON_URL_KEYS and isinstance(value, str):
                yield value
            else:
                yield from _json_urls(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_urls(value)


def check_tree(output_dir: Path, base_url: str) -> list[Problem]:
    """Every problem in *output_dir* when served at *base_url*; an empty list means it checks clean."""
    if not output_dir.is_dir():
        raise SiteError(f"no output folder at {output_dir}: run 'site-builder build' first", output_dir)
    return OutputChecker(output_dir, base_url).run()


def check_output(config: SiteConfig) -> list[Problem]:
    """The check of a site's built output (what ``build --check`` calls after the build)."""
    return check_tree(config.output_dir, config.base_url)


def report_problems(problems: list[Problem], out: TextIO | None = None, limit: int | None = None) -> int:
    """Print *problems* one a line and return the exit status (1 when anything is broken)."""
    out = out or sys.stdout
    shown = problems if limit is None else problems[:limit]
    for problem in shown:
        print(problem, file=out)
    if len(shown) < len(problems):
        print(f"... and {len(problems) - len(shown)} more", file=out)
    if problems:
        files = len({p.file for p in problems})
        print(f"{len(problems)} broken reference(s) in {files} file(s)", file=out)
    return 1 if problems else 0
