"""What a reader sees that an editor would not let pass: quotes shown twice, archives and indexes that
hide their articles or list hundreds of names on one page."""

from __future__ import annotations

from site_builder.render.quotes import quotes_outside
from tests.helpers import SiteFixture

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
