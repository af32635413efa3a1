"""Hostile and broken content, built through the real CLI: clear errors or safe output, never worse.

The corpus is ``tests/hostile/`` (its manifest ``cases.toml`` says what each file must give). Broken
files are built together in one site and safe ones in another, so the whole corpus costs two builds;
cases that need a site of their own (symlinks, a 50 MB file, a held lock) get one each. Every build
runs ``site-builder build`` in a subprocess, and every check parses the output (html.parser,
ElementTree, json) instead of looking for substrings, so escaping is proven, not guessed.
The corpus read in-process (manifest, reader limits) is in tests/unit/test_hostile_reader.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder.sources.frontmatter import parse_document
from tests.helpers import HOSTILE, read_tree

CASES = tomllib.loads((HOSTILE / "cases.toml").read_text(encoding="utf-8"))
BASE_URL = "https://example.org/"
SITE_TITLE = "Hostile & <Co> \"archive\" 'quoted'"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FORBIDDEN_IN_BODY = {"iframe", "object", "embed", "form", "input", "base", "svg", "style", "script"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset"}


# --- running builds -------------------------------------------------------------------------------


def make_site(root: Path, content: Path | None = None) -> Path:
    """A site nested a few folders deep, so '../../' escapes would still land inside the snapshot."""
    site = root / "a" / "b" / "c" / "site"
    (site / "content").parent.mkdir(parents=True, exist_ok=True)
    if content is not None:
        shutil.copytree(content, site / "content")
    else:
        (site / "content").mkdir()
    settings = f"title = {json.dumps(SITE_TITLE)}\nbase_url = {json.dumps(BASE_URL)}\n"
    (site / "site.toml").write_text(settings, encoding="utf-8")
    return site


def build(site: Path, *options: str, timeout: float = 120) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "site_builder.cli", "build", "--site", str(site), *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=site)


def snapshot(root: Path, site: Path) -> dict[str, str]:
    """Every path under *root* but the site's output/ and .site-cache/, with a hash of its content."""
    skip = {site / "output", site / ".site-cache"}
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if Path(folder, d) not in skip]
        for name in dirs + files:
            path = Path(folder, name)
            if path.is_symlink():
                found[str(path)] = "link:" + os.readlink(path)
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[str(path)] = "dir"
    return found


@dataclass
class Run:
    site: Path
    result: subprocess.CompletedProcess
    before: dict[str, str]
    after: dict[str, str]

    @property
    def output(self) -> Path:
        return self.site / "output"


def run_build(root: Path, site: Path, *options: str, timeout: float = 120) -> Run:
    before = snapshot(root, site)
    result = build(site, *options, timeout=timeout)
    return Run(site, result, before, snapshot(root, site))


def assert_contained(run: Run) -> None:
    """No traceback, no write outside output/ and .site-cache/, every output file really inside output/."""
    assert "Traceback" not in run.result.stderr, run.result.stderr
    assert run.after == run.before, "files outside output/ changed"
    if run.output.exists():
        real_output = run.output.resolve()
        for path in run.output.rglob("*"):
            assert not path.is_symlink(), path
            assert path.resolve().is_relative_to(real_output), path


# --- a small DOM, enough to prove what is text and what is markup ---------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.iter() if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(path: Path) -> Element:
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def script_free(document: Element, where: Path) -> list[dict]:
    """Assert no executable markup came from content; return the parsed JSON(-LD) blocks.

    Scripts are allowed only as JSON data or as the theme's own files (a ``src`` on this site).
    """
    blocks = []
    for element in document.iter():
        for name, value in element.attrs.items():
            assert not name.startswith("on"), f"{where}: event handler {name}={value!r} on <{element.tag}>"
            if name in URL_ATTRIBUTES or name == "style":
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                for scheme in ("javascript:", "vbscript:", "data:text/html"):
                    assert scheme not in squeezed, f"{where}: {name}={value!r} on <{element.tag}>"
        if element.tag == "meta" and element.attrs.get("http-equiv", "").lower() == "refresh":
            target = element.attrs.get("content", "").split("url=", 1)[-1]
            assert target.startswith("/") and not target.startswith("//"), f"{where}: refresh to {target!r}"
        if element.tag == "script":
            data = element.text()
            if "json" in element.attrs.get("type", ""):  # data: hostile text may be in it, escaped
                assert "</script" not in data.lower() and "<!--" not in data, f"{where}: script breaks out"
                blocks.append(json.loads(data))
            else:  # the theme's own code, from this site; every hostile input carries alert(...)
                assert "alert(" not in data, f"{where}: hostile text inside a <script>"
                source = element.attrs.get("src", "")
                assert source.startswith("/") and not source.startswith("//"), f"{where}: script {source!r}"
    return blocks


def json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


# --- the broken corpus -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("broken")
    site = make_site(root, HOSTILE / "broken")
    return run_build(root, site)


def test_broken_site_fails_cleanly_and_writes_nothing(broken_run):
    assert broken_run.result.returncode == 1
    assert broken_run.result.stderr.startswith("error: ")
    assert_contained(broken_run)
    assert not broken_run.output.exists(), "a failed first build must not create output/"


@pytest.mark.parametrize("case", CASES["broken"], ids=[c["file"] for c in CASES["broken"]])
def test_broken_file_gives_a_located_error(broken_run, case):
    lines = [line.removeprefix("error: ") for line in broken_run.result.stderr.splitlines()]
    prefix = f"content/{case['file']}:"
    mine = [line for line in lines if line.startswith(prefix)]
    assert len(mine) == 1, f"expected one error for {case['file']} ({case['why']}), got {mine}"
    location = f"{prefix}{case['line']}: " + (f"field '{case['field']}': " if "field" in case else "")
    assert mine[0].startswith(location), mine[0]
    assert case["message"] in mine[0]


# --- the safe corpus -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def safe_run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("safe")
    site = make_site(root, HOSTILE / "safe")
    return run_build(root, site)


@pytest.fixture(scope="module")
def pages(safe_run) -> dict[str, Element]:
    assert safe_run.result.returncode == 0, safe_run.result.stderr
    return {
        p.relative_to(safe_run.output).as_posix(): parse_html(p)
        for p in sorted(safe_run.output.rglob("*.html"))
    }


def safe_meta(name: str) -> dict:
    """The front matter of a safe case, read with the project's parser: expectations come from the input."""
    return parse_document((HOSTILE / "safe" / name).read_text(encoding="utf-8"), name).meta


def test_safe_site_builds_and_stays_inside_output(safe_run):
    assert safe_run.result.returncode == 0, safe_run.result.stderr
    assert_contained(safe_run)


@pytest.mark.parametrize("case", CASES["safe"], ids=[c["file"] for c in CASES["safe"]])
def test_safe_file_gives_its_article(safe_run, pages, case):
    page = safe_run.output / case["url"] / "index.html"
    assert page.resolve().is_relative_to(safe_run.output.resolve())
    assert page.is_file(), f"{case['file']} ({case['why']}) should be at /{case['url']}"
    if "title" in case:
        heading = pages[case["url"] + "index.html"].find_all("h1")[0]  # the article's; the body may add more
        assert heading.text() == case["title"]


def test_no_page_carries_executable_markup(safe_run, pages):
    for path, document in pages.items():
        script_free(document, safe_run.output / path)


def test_every_xml_file_parses_and_every_url_is_on_the_site(safe_run):
    for path in safe_run.output.rglob("*.xml"):
        root = ET.parse(path).getroot()  # raises on control characters or broken escaping
        for element in root.iter():
            for value in [element.attrib.get("href"), element.text if element.tag.endswith("loc") else None]:
                if value:
                    assert value.startswith(BASE_URL) and "/../" not in value, (path, value)


def shown(document: Element, value: str) -> bool:
    """True when *value* is the text of some element, markup characters and all (so it was escaped).

    Parsed text, not page source: a value that had become markup would have lost its tags here. Loose
    about which element, so another theme's layout passes as long as it escapes.
    """
    return any(
        value in element.text() for element in document.iter() if element.tag not in {"script", "style"}
    )


_TYPESET = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "--", "\u2014": "---"}


def untypeset(text: str) -> str:
    """Text with smarty's typography undone: a summary is Markdown like the body, so its quotes and
    dashes are curly and long on the page (sources/summaries.py) while its markup stays text."""
    return text.translate(str.maketrans(_TYPESET))


def test_markup_in_fields_is_text_in_html(safe_run, pages):
    meta = safe_meta("markup-in-fields.md")
    person = meta["people"][0]
    case = next(c for c in CASES["safe"] if c["file"] == "markup-in-fields.md")
    article = pages[case["url"] + "index.html"]
    assert article.find_all("h1")[0].text() == meta["title"]
    (title,) = article.find_all("title")
    assert meta["title"] in title.text()
    descriptions = [untypeset(m.attrs.get("content") or "") for m in article.find_all("meta")]
    assert meta["summary"] in descriptions  # an attribute value, exactly (but for the body's typography)
    summaries = [untypeset(p.text()) for p in article.find_all("p") if "summary" in p.attrs.get("class", "")]
    assert summaries in ([], [meta["summary"]])  # shown as the standfirst, markup characters and all
    for value in [person["name"], person["role"], meta["authors"][0], *meta["tags"]]:
        assert shown(article, value), value
    links = {a.text(): a.attrs["href"] for a in article.find_all("a")}
    for tag in meta["tags"]:
        assert "/tags/" in links[tag] and ".." not in links[tag]
    assert "/people/" in links[person["name"]]
    linked = [a.attrs["href"] for a in article.find_all("a") if a.text() == meta["people"][1]]
    assert linked and all("/people/" in href for href in linked)
    in_body = [a.text() for a in article.find_all("a", **{"class": "person"})]  # linking.py's mention link
    assert in_body == [meta["people"][1]]
    for block in script_free(article, Path(case["url"])):  # JSON-LD, when the theme has it
        assert meta["title"] in json_strings(block)


def test_every_json_file_parses_and_keeps_hostile_text_as_data(safe_run):
    """JSON the site ships (a search index, say) is data: it parses, and hostile text is in it verbatim."""
    meta = safe_meta("markup-in-fields.md")
    strings: list[str] = []
    for path in safe_run.output.rglob("*.json"):
        strings += json_strings(json.loads(path.read_text(encoding="utf-8")))
    if strings:
        assert meta["title"] in strings


def test_markup_in_fields_is_text_on_listing_pages(safe_run, pages):
    meta = safe_meta("markup-in-fields.md")
    name = meta["people"][0]["name"]
    for listing in ("tags/index.html", "index.html"):
        texts = [a.text() for a in pages[listing].find_all("a")]
        wanted = meta["tags"] if listing.startswith("tags") else [meta["title"]]
        assert set(wanted) <= set(texts), listing
    assert name in [a.text() for a in pages["people/index.html"].find_all("a")]
    person_pages = [
        d for p, d in pages.items() if p.startswith("people/") and d.find_all("h1")[0].text() == name
    ]
    (person_page,) = person_pages
    feeds = person_page.find_all("link", type="application/atom+xml", title=name)
    assert len(feeds) == 1  # the person's name inside an attribute, intact
    (redirect,) = [d for p, d in pages.items() if p == "old/markup/index.html"]
    assert redirect.find_all("title")[0].text() == meta["title"]


def test_markup_in_fields_is_text_in_feeds_and_sitemap(safe_run):
    meta = safe_meta("markup-in-fields.md")
    feed = ET.parse(safe_run.output / "feed.xml").getroot()
    assert feed.find(ATOM + "title").text == SITE_TITLE
    entry = next(e for e in feed.iter(ATOM + "entry") if e.find(ATOM + "title").text == meta["title"])
    assert untypeset(entry.find(ATOM + "summary").text) == meta["summary"]
    assert [c.get("term") for c in entry.iter(ATOM + "category")] == meta["tags"]
    assert [a.find(ATOM + "name").text for a in entry.iter(ATOM + "author")] == meta["authors"]
    tag_feeds = {
        ET.parse(p).getroot().find(ATOM + "title").text for p in (safe_run.output / "tags").glob("*/feed.xml")
    }
    assert {f"{SITE_TITLE}: {tag}" for tag in meta["tags"]} <= tag_feeds
    locs = [e.text for e in ET.parse(safe_run.output / "sitemap.xml").getroot().iter(SITEMAP + "loc")]
    case = next(c for c in CASES["safe"] if c["file"] == "markup-in-fields.md")
    assert BASE_URL + case["url"] in locs


def test_raw_html_in_markdown_is_removed_but_text_stays(pages):
    document = pages["articles/raw-html/index.html"]
    (body,) = document.find_all("div", **{"class": "body"})
    text = body.text()
    assert "Ordinary paragraph stays." in text
    assert "alert('body')" not in text  # the script element is gone, not turned into text
    assert "<script>alert('code')</script>" in text  # ...while code samples stay, as text
    names = {a.text(): a.attrs.get("href") for a in body.find_all("a")}
    assert names["click me"] is None and names["mixed case"] is None and names["data"] is None
    assert [img.attrs for img in body.find_all("img")] == [
        {"src": "https://img.example.org/x.png", "alt": "pic", "loading": "lazy", "decoding": "async"}
    ]  # a remote image: kept as a reference (a missing local one would stop the build)
    assert not {e.tag for e in body.iter()} & FORBIDDEN_IN_BODY  # (the theme may have a search form)


def test_control_characters_never_reach_the_output(safe_run):
    case = next(c for c in CASES["safe"] if c["file"] == "control-characters.md")
    forbidden = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    for path in safe_run.output.rglob("*"):
        if path.suffix in {".html", ".xml"}:
            assert not forbidden.search(path.read_text(encoding="utf-8")), path
    entry = next(
        e
        for e in ET.parse(safe_run.output / "feed.xml").getroot().iter(ATOM + "entry")
        if e.find(ATOM + "title").text == case["title"]
    )
    assert entry.find(ATOM + "summary").text == "Form feed summary"


def test_hostile_slugs_stay_one_segment_in_their_folder(safe_run):
    output = safe_run.output
    for folder in ("articles", "tags", "people"):
        for path in (output / folder).iterdir():
            if path.name == "index.html":  # the folder's own listing page
                continue
            assert path.is_dir() and path.name not in {".", ".."} and path.name.strip("-"), path
            assert (path / "index.html").is_file()
    assert (output / "people" / "outside" / "index.html").is_file()  # slug '../../../../outside'
    assert not (safe_run.site / "outside").exists()


def test_aliases_on_this_site_become_redirects_inside_output(safe_run, pages):
    for path in ("old/absolute/index.html", "café/index.html", "old/plain.html"):
        (refresh,) = pages[path].find_all("meta", **{"http-equiv": "refresh"})
        assert refresh.attrs["content"] == "0; url=/articles/alias-on-this-site/"


def test_odd_yaml_values_give_deterministic_output(safe_run):
    """A !!set would be ordered by hash randomisation; a second build must find nothing to do."""
    first = read_tree(safe_run.output)
    shutil.rmtree(safe_run.site / ".site-cache")
    again = build(safe_run.site)
    assert again.returncode == 0, again.stderr
    assert read_tree(safe_run.output) == first


# --- cases with a site of their own ----------------------------------------------------------------


OWN = {case["name"]: case for case in CASES["own"]}


def own_case(name: str, tmp_path: Path, setup, timeout: float = 120) -> Run:
    site = make_site(tmp_path)
    (site / "content" / "fine.md").write_text("---\ntitle: Fine\ndate: 2020-01-01\n---\n\nOk.\n")
    setup(site)
    run = run_build(tmp_path, site, timeout=timeout)
    case = OWN[name]
    assert_contained(run)
    if case["expect"] == "error":
        assert run.result.returncode == 1, run.result.stderr
        assert run.result.stderr.startswith("error: ") and case["message"] in run.result.stderr
        assert not run.output.exists()
    else:
        assert run.result.returncode == 0, run.result.stderr
    return run


def write(site: Path, name: str, text: str) -> None:
    (site / "content" / name).write_text(text, encoding="utf-8")


def outside_file(site: Path) -> Path:
    secret = site.parent / "secret"
    secret.mkdir(exist_ok=True)
    (secret / "secret.md").write_text("---\ntitle: Top secret\n---\n\nSECRET-CONTENT\n")
    return secret


def test_symlink_to_a_file_outside_is_refused(tmp_path):
    run = own_case(
        "symlink-outside",
        tmp_path,
        lambda site: (site / "content" / "evil.md").symlink_to(outside_file(site) / "secret.md"),
    )
    assert "evil.md" in run.result.stderr


def test_symlinked_folder_outside_is_not_followed(tmp_path):
    run = own_case(
        "symlinked-folder-outside",
        tmp_path,
        lambda site: (site / "content" / "linked").symlink_to(outside_file(site), target_is_directory=True),
    )
    for path in run.output.rglob("*"):
        assert not path.is_file() or b"SECRET-CONTENT" not in path.read_bytes()


def test_a_50_mb_file_is_refused_quickly(tmp_path):
    def huge(site: Path) -> None:
        with open(site / "content" / "huge.md", "wb") as handle:
            handle.write(b"---\ntitle: Huge\n---\n\n")
            line = b"All work and no play makes a very long article. " * 20 + b"\n"
            handle.write(line * (50 * 1024 * 1024 // len(line) + 1))

    started = time.monotonic()
    run = own_case("huge-file", tmp_path, huge)
    assert time.monotonic() - started < 20
    assert "content/huge.md: " in run.result.stderr


def test_a_second_build_at_once_is_refused_with_a_clear_message(tmp_path):
    from site_builder.build.lock import build_lock

    def hold_lock(site: Path) -> None:
        stack.enter_context(build_lock(site / ".site-cache"))

    import contextlib

    with contextlib.ExitStack() as stack:
        own_case("concurrent-build", tmp_path, hold_lock)


def test_an_alias_on_an_existing_page_is_a_clear_error(tmp_path):
    own_case(
        "alias-on-the-home-page",
        tmp_path,
        lambda site: (site / "content" / "home.md").write_text(
            "---\ntitle: Home\naliases: [index.html]\n---\n"
        ),
    )


def files_and_times(folder: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_a_broken_file_added_later_leaves_the_published_site_exactly(tmp_path):
    site = make_site(tmp_path)
    write(site, "fine.md", "---\ntitle: Fine\ndate: 2020-01-01\n---\n\nOk.\n")
    assert build(site).returncode == 0
    published = files_and_times(site / "output")
    shutil.copy(HOSTILE / "broken" / "yaml-alias-bomb.md", site / "content")
    run = run_build(tmp_path, site)
    assert run.result.returncode == 1 and "content/yaml-alias-bomb.md:3:" in run.result.stderr
    assert_contained(run)
    assert files_and_times(site / "output") == published


def test_an_alias_on_a_generated_file_is_a_clear_error(tmp_path):
    own_case(
        "alias-on-a-generated-file",
        tmp_path,
        lambda site: (site / "content" / "feed.md").write_text(
            "---\ntitle: Feed\naliases: [feed.xml]\n---\n"
        ),
    )


def test_a_symlink_loop_is_a_clear_error(tmp_path):
    own_case("symlink-loop", tmp_path, lambda site: (site / "content" / "loop.md").symlink_to("loop.md"))


def test_a_file_name_that_is_not_utf8_is_a_clear_error(tmp_path):
    def latin1_name(site: Path) -> None:
        with open(os.path.join(os.fsencode(site / "content"), b"caf\xe9.md"), "wb") as handle:
            handle.write(b"---\ntitle: Latin-1 name\n---\n")

    own_case("undecodable-file-name", tmp_path, latin1_name)


def test_a_dangling_symlink_is_a_clear_error(tmp_path):
    own_case("broken-symlink", tmp_path, lambda site: (site / "content" / "gone.md").symlink_to("nowhere.md"))


def output_dir_setting(folder: str):
    def setup(site: Path) -> None:
        (site / "templates").mkdir(exist_ok=True)
        (site / "templates" / "mine.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
        with open(site / "site.toml", "a", encoding="utf-8") as handle:
            handle.write(f"output_dir = {json.dumps(folder)}\n")

    return setup


def test_an_output_folder_on_the_templates_is_refused(tmp_path):
    own_case("output-dir-is-templates", tmp_path, output_dir_setting("templates"))


def test_an_output_folder_on_the_cache_is_refused(tmp_path):
    own_case("output-dir-is-cache", tmp_path, output_dir_setting(".site-cache"))


def test_a_named_pipe_is_a_clear_error_not_a_hang(tmp_path):
    own_case("fifo", tmp_path, lambda site: os.mkfifo(site / "content" / "pipe.md"), timeout=5)
