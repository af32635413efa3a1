"""The default theme's pages as built: metadata, links under a subpath, weight budget, no external assets."""

from __future__ import annotations

import json
import re
import shutil

from tests.helpers import read_tree
from tests.helpers.reader_site import build_with_reader_hooks

PEOPLE = [f"Person Number{n}" for n in range(25)]


def busy_site(site):
    """A site on a subpath with one article as busy as a real one: many people, tags, quotes, related."""
    (site.root / "site.toml").write_text(
        'title = "Daily <News>"\nbase_url = "https://example.org/sub/"\npage_size = 5\n', encoding="utf-8"
    )
    people = "[" + ", ".join(PEOPLE) + "]"
    tags = "[" + ", ".join(f"Topic {n}" for n in range(12)) + "]"
    quotes = (
        "["
        + ", ".join(f"{{speaker: {p}, text: 'Words number {i}.'}}" for i, p in enumerate(PEOPLE[:8]))
        + "]"
    )
    body = " ".join(f"{p} said something." for p in PEOPLE) + "\n\n" + ("Plain article text. " * 400)
    site.article("big", "Busy </script><b>story</b>", "2021-05-04T10:00:00", body, people=people, tags=tags,
                 quotes=quotes, authors="[Ida Lund]", summary="'A <summary> & more'")  # fmt: skip
    for n in range(8):
        site.article(f"other{n}", f"Other story {n}", f"2021-05-0{n + 1}", "Text.", people=f"[{PEOPLE[n]}]",
                     tags="[Topic 1]")  # fmt: skip
    build_with_reader_hooks(site.config())
    return site.output


def body_of(page: str) -> str:
    return page.split('<div class="body">', 1)[1].split("</div>", 1)[0]


def test_article_page_metadata(site):
    output = busy_site(site)
    page = (output / "articles/busy-script-b-story-b/index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/sub/articles/busy-script-b-story-b/">' in page
    assert '<meta property="og:type" content="article">' in page
    assert 'property="og:title" content="Busy &lt;/script&gt;&lt;b&gt;story&lt;/b&gt;' in page  # autoescaped
    assert "<b>story</b>" not in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "NewsArticle" and data["headline"] == "Busy </script><b>story</b>"
    assert data["datePublished"].startswith("2021-05-04T10:00") and data["author"][0]["name"] == "Ida Lund"
    assert data["mainEntityOfPage"] == "https://example.org/sub/articles/busy-script-b-story-b/"
    assert len(data["mentions"]) == len(PEOPLE)
    # first mentions in the body link to person pages, on the subpath, once per person
    assert body_of(page).count('class="person" href="/sub/people/') == len(PEOPLE)
    # quotes set apart with their speakers; related articles; previous/next
    assert page.count('<figure class="quote">') == 8 and "<figcaption>Person Number0</figcaption>" in page
    assert 'class="related"' in page and 'rel="prev"' in page


def test_links_stay_on_the_subpath_and_nothing_external_is_loaded(site):
    output = busy_site(site)
    for path in output.rglob("*.html"):
        page = path.read_text()
        for attribute, value in re.findall(r'\b(href|src)="([^"]*)"', page):
            if value.startswith("https://example.org/sub/") or value.startswith("#"):
                continue  # canonical and Open Graph URLs are absolute by design
            assert value.startswith("/sub/"), f"{path}: {attribute}={value}"
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://(?!example\.org/sub/)", page), (
            path
        )
    css = (output / "assets/style.css").read_text()
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    assert "prefers-color-scheme: dark" in css and "@media print" in css


def test_reading_needs_no_javascript_and_the_article_fits_the_weight_budget(site):
    output = busy_site(site)
    page = (output / "articles/busy-script-b-story-b/index.html").read_text()
    scripts = re.findall(r'<script src="/sub/([^"]+)"', page)
    assert scripts == []  # only JSON-LD; the search page alone loads search.js
    own = len(page.encode()) - len(body_of(page).encode())
    css = (output / "assets/style.css").stat().st_size
    assert own + css <= 60 * 1024, f"article page weighs {own} + {css} bytes beyond the article text"
    search = (output / "search/index.html").read_text()
    assert re.findall(r'<script src="/sub/([^"]+)"', search) == ["assets/search.js"]


def test_person_tag_and_front_pages_show_their_extras(site):
    output = busy_site(site)
    person = (output / "people/person-number0/index.html").read_text()
    assert "<svg" in person and "Articles per month" in person  # the inline timeline chart
    assert "Words number 0." in person and 'href="/sub/articles/busy-script-b-story-b/"' in person
    assert "Often mentioned with" in person
    tag = (output / "tags/topic-1/index.html").read_text()
    assert "Related topics" in tag and "Topic 0" in tag
    assert 'class="bio"' not in tag  # no editor description configured, so none shown
    home = (output / "index.html").read_text()
    assert "In the news" in home and "May 2021" in home
    month = (output / "archive/2021/05/index.html").read_text()
    assert month.count('<section class="day"') == 8  # one section per day with articles


def test_builds_are_byte_identical(site, tmp_path):
    first = busy_site(site)
    copy = tmp_path / "again"
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns("output", ".site-cache"))
    site.root = copy
    second = busy_site(site)
    assert read_tree(first) == read_tree(second)  # the same files with the same bytes
