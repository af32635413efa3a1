"""What a reader sees that an editor would not let pass: quotes shown twice, archives and indexes that
hide their articles or list hundreds of names on one page."""

from __future__ import annotations

from site_builder.plan import people_pages
from site_builder.publish.check import check_output
from site_builder.render.quotes import quotes_outside
from tests.helpers import SiteFixture, read_tree
from tests.helpers.site import from_scratch

QUOTED_BODY = """The mayor spoke first. "We will build it -- and soon," she said.

Later she added: 'Nobody is against it.'
"""


def test_quotes_outside_the_body_compares_without_typography():
    body = "<p>&ldquo;We will build it &ndash; and soon,&rdquo; she said.</p>"
    quotes = [{"text": "We will build it - and soon"}, {"text": "A new quote."}]
    assert quotes_outside(quotes, body) == [{"text": "A new quote."}]
    assert quotes_outside([], body) == []


def test_the_quotes_box_shows_only_quotes_the_body_does_not(tmp_path):
    site = SiteFixture(tmp_path / "s")
    both = (
        "\n  - {speaker: Ann Lee, text: 'We will build it -- and soon,'}"
        "\n  - {speaker: Ann Lee, text: 'The bridge opens in May.'}"
    )
    site.article("some", "Some in the body", "2020-01-01", body=QUOTED_BODY, quotes=both, people="[Ann Lee]")
    inside = "\n  - {speaker: Ann Lee, text: Nobody is against it.}"
    site.article("all", "All in the body", "2020-01-02", body=QUOTED_BODY, quotes=inside, people="[Ann Lee]")
    site.build()
    some = (site.output / "articles/some-in-the-body/index.html").read_text()
    box = some.split('<section class="quotes"', 1)[1].split("</section>", 1)[0]
    assert "The bridge opens in May." in box and "We will build it" not in box
    every = (site.output / "articles/all-in-the-body/index.html").read_text()
    assert 'class="quotes"' not in every
    person = (site.output / "people/ann-lee/index.html").read_text()
    assert "Nobody is against it." in person  # the person page still lists every quote


def test_a_year_page_says_its_articles_are_listed_by_month(tmp_path):
    site = SiteFixture(tmp_path / "s")
    site.article("a", "A story", "2020-03-01")
    site.build()
    year = (site.output / "archive/2020/index.html").read_text()
    assert "listed month by month: choose a month." in year
    assert 'href="/archive/2020/03/"' in year


NAMES = ["Ann Able", "Bo Baker", "Cy Cole", "Di Cole", "Ed Cole", "Flo Cole", "Gus Dunn", "Hal Eve"]


def test_the_people_index_is_cut_into_pages_at_letters(tmp_path, monkeypatch):
    monkeypatch.setattr(people_pages, "PEOPLE_PER_PAGE", 3)
    site = SiteFixture(tmp_path / "s")
    for n, name in enumerate(NAMES):
        site.article(f"a{n}", f"Story {n}", f"2020-01-0{n + 1}", people=f"[{name}]")
    site.build()
    pages = [site.output / "people/index.html", *sorted((site.output / "people/page").glob("*/index.html"))]
    texts = [page.read_text() for page in pages]
    # A and B fit on page 1; the four Coles, more than a page, are cut in two; D and E join the rest
    assert [page.parent.name for page in pages] == ["people", "2", "3"]
    assert texts[2].count(">C</h3>") == 1 and 'id="letter-c"' not in texts[2]  # C continued
    assert 'id="letter-d"' in texts[2] and 'id="letter-e"' in texts[2]
    indexes = [text.split("az-heading")[-1] for text in texts]
    listed = [name for index in indexes for name in NAMES if f">{name}</a> <span" in index]
    assert sorted(listed) == sorted(NAMES)  # every name once, on one page
    assert "Most mentioned" in texts[0] and "Most mentioned" not in texts[1]
    assert 'href="/people/page/2/#letter-c"' in texts[0] and 'href="#letter-a"' in texts[0]
    assert 'href="/people/#letter-a"' in texts[1] and 'rel="next" href="/people/page/3/"' in texts[1]
    assert check_output(site.config()) == []  # every letter link and anchor resolves


def quoted_site(tmp_path, quotes: int):
    site = SiteFixture(tmp_path / "s")
    for n in range(quotes):
        site.article(
            f"q{n}", f"Story {n}", f"2020-01-{n + 1:02d}", body=f"Story {n}.", people="[Ann Lee]",
            quotes=f"\n  - {{speaker: Ann Lee, text: Quote number {n}.}}",
        )  # fmt: skip
    return site


def test_a_persons_quotes_are_paginated_and_the_first_page_shows_the_newest(tmp_path):
    site = quoted_site(tmp_path, 8)
    site.build()
    person = (site.output / "people/ann-lee/index.html").read_text()
    assert person.count("<blockquote>") == 5
    assert "Quote number 7." in person and "Quote number 2." not in person
    assert '<a href="/people/ann-lee/quotes/">All quotes (8)</a>' in person
    pages = [site.output / "people/ann-lee/quotes/index.html"]
    pages += [site.output / f"people/ann-lee/quotes/page/{n}/index.html" for n in (2, 3, 4)]  # page_size 2
    texts = [page.read_text() for page in pages]
    assert [text.count("<blockquote>") for text in texts] == [2, 2, 2, 2]
    assert "<h1>Quotes by Ann Lee</h1>" in texts[0] and "Quote number 0." in texts[3]
    assert check_output(site.config()) == []
    sitemap = (site.output / "sitemap.xml").read_text()
    assert "people/ann-lee/quotes/page/4/" in sitemap


def test_a_person_with_few_quotes_has_no_quotes_pages(tmp_path):
    site = quoted_site(tmp_path, 5)
    site.build()
    assert "All quotes" not in (site.output / "people/ann-lee/index.html").read_text()
    assert not (site.output / "people/ann-lee/quotes").exists()


def test_quote_edits_rebuild_like_a_cold_build(tmp_path):
    site = quoted_site(tmp_path, 8)
    site.build()
    path = site.root / "content/q0.md"
    path.write_text(path.read_text().replace("Quote number 0.", "Quote number zero."))
    site.build()
    assert read_tree(site.output, folders=True) == from_scratch(site, tmp_path)
    for n in range(4):  # fewer quotes: the last quotes pages go
        (site.root / f"content/q{n}.md").unlink()
    site.build()
    assert read_tree(site.output, folders=True) == from_scratch(site, tmp_path)
    assert not (site.output / "people/ann-lee/quotes").exists()
