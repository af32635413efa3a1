"""A multilingual site (tests/fixtures/site-multi: ``languages = ["en", "de"]``): one tree per language
under /en/ and /de/, a root page sending readers to English, key pages and the file list compared with
tests/expected/site-multi (python tests/regenerate_expected.py after an intended change), and rebuilds
after edits matching cold builds while touching only the edited language's tree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from site_builder.build import build_site
from site_builder.build.state.memory import BuildMemory
from site_builder.config import load_config
from site_builder.publish.check import check_output
from tests.helpers import read_tree
from tests.regenerate_expected import (
    HERE,
    MULTILINGUAL,
    MULTILINGUAL_FILES,
    MULTILINGUAL_PAGES,
    NOW,
    build_language_fixture,
)

FIXTURE = HERE / "fixtures" / MULTILINGUAL
EXPECTED = HERE / "expected" / MULTILINGUAL
DE_ARTICLE = "de/articles/der-hafen-offnet-nach-dem-sturm-wieder/index.html"
EN_ARTICLE = "en/articles/the-harbour-reopens-after-the-storm/index.html"


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    return build_language_fixture(MULTILINGUAL, tmp_path_factory.mktemp("multilingual"))


def text(output: Path, page: str) -> str:
    return (output / page).read_text(encoding="utf-8")


def test_file_list_and_key_pages_match_expected(output):
    files = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    expected = (EXPECTED / MULTILINGUAL_FILES).read_text(encoding="utf-8").splitlines()
    assert files == expected, "file list differs: run python tests/regenerate_expected.py if intended"
    for page in MULTILINGUAL_PAGES:
        assert (output / page).read_bytes() == (EXPECTED / page).read_bytes(), f"{page} differs"


def test_each_language_has_its_own_tree(output):
    for tree in ("en", "de"):
        for page in ("index.html", "page/2/index.html", "feed.xml", "tags/index.html", "people/index.html",
                     "archive/index.html", "archive/2021/03/index.html", "search/index.html",
                     "search/index/meta.json"):  # fmt: skip
            assert (output / tree / page).is_file(), f"{tree}/{page}"
    for one in ("404.html", "sitemap.xml", "robots.txt", "index.html"):
        assert (output / one).is_file()
    assert not (output / "tags").exists() and not (output / "en/404.html").exists()
    # articles go to the tree of their language; de-AT joins de, a language without a tree the default
    assert (output / "de/articles/grusse-aus-wien/index.html").is_file()
    assert (output / "en/articles/le-marche-du-port/index.html").is_file()
    # the same slug in two trees is two articles
    assert "Frühlingsmarkt" in text(output, "de/articles/spring-market/index.html")
    assert "Forty stalls" in text(output, "en/articles/spring-market/index.html")
    assert check_output(load_config(output.parent)) == []


def test_german_tree_speaks_german(output):
    home = text(output, "de/index.html")
    assert '<html lang="de">' in home and "<h1>Neueste Artikel</h1>" in home
    assert "<span>Seite 1 von 2</span>" in home and 'href="/de/page/2/"' in home
    assert '<a href="/de/tags/markte/">Märkte</a>' in home
    assert '<time datetime="2021-03-20T10:00:00+01:00">20. März 2021</time>' in home
    month = text(output, "de/archive/2021/03/index.html")
    assert "<h1>März 2021</h1>" in month and ">Samstag, 20. März 2021</time>" in month
    assert 'xml:lang="de"' in text(output, "de/feed.xml")
    assert "<id>https://example.org/de/tags/hafen/</id>" in text(output, "de/tags/hafen/feed.xml")
    english = text(output, "en/index.html")
    assert '<html lang="en">' in english and "<h1>Latest articles</h1>" in english
    assert "Märkte" not in english and '<a href="/en/tags/council/">Council</a>' in english


def test_switcher_links_translations_else_front_pages(output):
    german = text(output, DE_ARTICLE)
    assert '<nav class="languages" aria-label="Andere Sprachen">' in german
    assert f'<a href="/{EN_ARTICLE.removesuffix("index.html")}" hreflang="en" lang="en">English</a>' in german
    assert f'hreflang="en" href="https://example.org/{EN_ARTICLE.removesuffix("index.html")}"' in german
    english = text(output, EN_ARTICLE)
    assert (
        '<a href="/de/articles/der-hafen-offnet-nach-dem-sturm-wieder/" hreflang="de" lang="de">Deutsch'
        in english
    )
    assert 'class="translations"' not in english  # the header's switcher links them once
    untranslated = text(output, "en/articles/council-agrees-the-budget/index.html")
    assert '<a href="/de/" hreflang="de" lang="de">Deutsch</a>' in untranslated
    tags = text(output, "de/tags/index.html")  # a page every tree has: the same page in the others
    assert '<a href="/en/tags/" hreflang="en" lang="en">English</a>' in tags
    assert '<link rel="alternate" hreflang="x-default" href="https://example.org/en/tags/">' in tags


def test_root_sends_readers_to_the_default_language(output):
    root = text(output, "index.html")
    assert '<meta http-equiv="refresh" content="0; url=/en/">' in root
    assert '<meta name="robots" content="noindex">' in root
    for language, url in (("en", "en/"), ("de", "de/"), ("x-default", "")):
        assert f'<link rel="alternate" hreflang="{language}" href="https://example.org/{url}">' in root
    sitemap = text(output, "sitemap.xml")
    assert "<loc>https://example.org/de/articles/spring-market/</loc>" in sitemap
    assert (
        "<loc>https://example.org/en/tags/</loc>" in sitemap
        and "<loc>https://example.org/</loc>" not in sitemap
    )


def test_each_tree_has_its_own_search_with_its_stemmer(output):
    for tree, stems, title in (
        ("de", "german", "Grüße aus Wien"),
        ("en", "english", "Council agrees the budget"),
    ):
        meta = json.loads(text(output, f"{tree}/search/index/meta.json"))
        assert meta["stems"] == stems and meta["docs"] == (3 if tree == "de" else 4)
        records = json.loads(text(output, f"{tree}/search/index/r/0.json"))
        assert title in [r["t"] for r in records]
        assert all(r["u"].startswith(f"{tree}/articles/") for r in records)
    search = text(output, "de/search/index.html")
    assert 'data-index="/de/search/index/" data-root="/"' in search


def copy_site(tmp_path: Path, settings: str | None = None) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    if settings is not None:
        (site / "site.toml").write_text(settings, encoding="utf-8")
    return site


def cold(site: Path, where: Path) -> dict[str, bytes | None]:
    shutil.copytree(site, where, ignore=shutil.ignore_patterns("output", ".site-cache"))
    build_site(load_config(where), now=NOW, jobs=1)
    return read_tree(where / "output")


def test_default_language_at_the_root(tmp_path):
    settings = (FIXTURE / "site.toml").read_text(encoding="utf-8") + "default_language_in_subdir = false\n"
    site = copy_site(tmp_path, settings)
    build_site(load_config(site), now=NOW, jobs=1)
    output = site / "output"
    home = text(output, "index.html")
    assert "<h1>Latest articles</h1>" in home and '<a href="/de/" hreflang="de" lang="de">Deutsch</a>' in home
    assert '<link rel="alternate" hreflang="x-default" href="https://example.org/">' in home
    assert (output / "articles/spring-market/index.html").is_file() and not (output / "en").exists()
    assert '<a href="/tags/" hreflang="en" lang="en">English</a>' in text(output, "de/tags/index.html")
    assert json.loads(text(output, "search/index/meta.json"))["stems"] == "english"
    assert check_output(load_config(site)) == []


def test_one_language_in_the_list_is_a_site_of_one_language(tmp_path):
    plain = build_language_fixture("site-de", tmp_path / "plain")
    site = tmp_path / "listed"
    shutil.copytree(HERE / "fixtures" / "site-de", site)
    toml = (site / "site.toml").read_text(encoding="utf-8").replace('language = "de"', 'languages = ["de"]')
    (site / "site.toml").write_text(toml, encoding="utf-8")
    build_site(load_config(site), now=NOW, jobs=1)
    assert read_tree(site / "output") == read_tree(plain)


GERMAN = "content/de/hafen.md"


def test_an_edit_in_one_tree_rewrites_only_that_tree_and_matches_a_cold_build(tmp_path):
    site = copy_site(tmp_path)
    config = load_config(site)
    build_site(config, now=NOW, jobs=1)
    english = {p: b for p, b in read_tree(site / "output").items() if p.startswith("en/")}
    source = site / GERMAN
    source.write_text(source.read_text(encoding="utf-8").replace("üblichen", "neuen"), encoding="utf-8")
    report = build_site(config, now=NOW, jobs=1)
    assert report.changed_paths and all(p.startswith("de/") for p in report.changed_paths), (
        report.changed_paths
    )
    assert DE_ARTICLE in report.changed_paths
    assert read_tree(site / "output") == cold(site, tmp_path / "cold-1")
    assert {p: b for p, b in read_tree(site / "output").items() if p.startswith("en/")} == english
    # a structural edit (a new tag) and an article moving to the other tree
    source.write_text(source.read_text(encoding="utf-8").replace("[Hafen, Verkehr]", "[Hafen, Fähren]"))
    build_site(config, now=NOW, jobs=1)
    assert read_tree(site / "output") == cold(site, tmp_path / "cold-2")
    moved = site / "content/en/council-budget.md"
    moved.write_text(
        moved.read_text(encoding="utf-8").replace("tags: [Council]", "language: de\ntags: [Rat]")
    )
    report = build_site(config, now=NOW, jobs=1)
    assert "de/articles/council-agrees-the-budget/index.html" in report.changed_paths
    assert "en/articles/council-agrees-the-budget/index.html" in report.removed_paths
    assert read_tree(site / "output") == cold(site, tmp_path / "cold-3")


def test_the_dev_servers_rebuilds_after_edits_match_cold_builds(tmp_path):
    site = copy_site(tmp_path)
    config, memory = load_config(site), BuildMemory()
    build_site(config, now=NOW, jobs=1, memory=memory, changed=None)
    edits = [("üblichen", "neuen"), ("Mannschaften", "Crews"), ("[Hafen, Verkehr]", "[Hafen]")]
    for step, (old, new) in enumerate(edits):
        source = site / GERMAN
        source.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        report = build_site(config, now=NOW, jobs=1, memory=memory, changed={source})
        # (a tag gone from the German tree is gone from the sitemap too)
        outside = [p for p in report.changed_paths + report.removed_paths if not p.startswith("de/")]
        assert outside == ([] if step < 2 else ["sitemap.xml"]), outside
        assert read_tree(site / "output") == cold(site, tmp_path / f"cold-{step}"), step
