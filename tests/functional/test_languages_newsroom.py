"""A multilingual site with the newsroom's features: pages stay site-wide, each tree has its own
sections, authors and feeds in every format, with links into that tree."""

from __future__ import annotations

import json

import feedparser

from tests.helpers import SiteFixture


def make_site(root) -> SiteFixture:
    site = SiteFixture(root)
    site.write(
        "site.toml",
        'title = "Courier"\nbase_url = "https://example.org/"\nlanguages = ["en", "de"]\n'
        'feeds = ["atom", "rss", "json"]\n',
    )
    site.article("harbour", "Harbour reopens", "2021-03-02", section="World", authors="[Ana Diaz]")
    site.article(
        "hafen", "Hafen wieder offen", "2021-03-03", language="de", section="Welt", authors="[Jörg Müller]"
    )
    site.write("content/pages/about.md", "---\ntitle: About us\n---\n\nWho we are.\n")
    return site


def test_pages_are_site_wide_and_sections_authors_feeds_are_per_tree(tmp_path):
    site = make_site(tmp_path / "s")
    site.build()
    files = site.files()
    assert "about/index.html" in files and not any(
        p.endswith("about/index.html") and p != "about/index.html" for p in files
    )
    assert {"en/sections/world/index.html", "de/sections/welt/index.html"} <= files.keys()
    assert {"en/authors/ana-diaz/index.html", "de/authors/jorg-muller/index.html"} <= files.keys()
    for tree, slug in (("en", "harbour-reopens"), ("de", "hafen-wieder-offen")):
        rss = feedparser.parse(files[f"{tree}/rss.xml"])
        assert not rss.bozo and [e.link for e in rss.entries] == [
            f"https://example.org/{tree}/articles/{slug}/"
        ]
        feed = json.loads(files[f"{tree}/feed.json"])
        assert feed["home_page_url"] == f"https://example.org/{tree}/"
        assert [item["url"] for item in feed["items"]] == [f"https://example.org/{tree}/articles/{slug}/"]
    sitemap = files["sitemap.xml"].decode()
    assert "https://example.org/about/" in sitemap and "https://example.org/de/sections/welt/" in sitemap
