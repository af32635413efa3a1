"""Summaries: written in Markdown, shown with the body's typography, never repeating the first paragraph."""

from __future__ import annotations

import pytest

from site_builder.sources.markup import MarkdownRenderer
from site_builder.sources.summaries import render_summary, repeats_opening
from tests.helpers import SiteFixture


@pytest.mark.parametrize(
    ("text", "plain", "inline"),
    [
        ("*The Tempest* returns", "The Tempest returns", "<em>The Tempest</em> returns"),
        ('He said "no" -- twice', "He said \u201cno\u201d \u2013 twice", ""),
        (
            "It's [here](https://example.org/)",
            "It\u2019s here",
            'It\u2019s <a href="https://example.org/">here</a>',
        ),
        ("A plan <with> conditions", "A plan <with> conditions", ""),
        ("- a list item", "a list item", ""),
    ],
)
def test_render_summary(text, plain, inline):
    assert render_summary(text, MarkdownRenderer()) == (plain, inline)


@pytest.mark.parametrize(
    ("summary", "repeats"),
    [
        ("The council met on Monday.", True),
        ('The council met on Monday. It voted, "yes".', True),
        ("The council met…", True),
        ("THE COUNCIL MET ON", True),
        ("Councillors agreed a plan.", False),
        ("", False),
    ],
)
def test_repeats_opening(summary, repeats):
    body = "<p>The council met on Monday. It voted, \u201cyes\u201d.</p>\n<p>More.</p>"
    assert repeats_opening(summary, body) is repeats


def test_a_quoted_summary_repeats_a_body_made_curly():
    assert repeats_opening("He said \u201cno\u201d.", "<p>He said &ldquo;no&rdquo;. Then left.</p>")


def build(tmp_path):
    site = SiteFixture(tmp_path / "s")
    opening = 'The council met on Monday to discuss "the bridge".'
    site.article("repeat", "Repeat", "2020-01-02", body=opening + "\n\nMore.", summary=repr(opening))
    site.article("marked", "Marked", "2020-01-03", body="Body.", summary="\"*The Tempest* is 'back'\"")
    site.build()
    return site


def test_a_summary_that_is_the_first_paragraph_is_not_repeated_above_it(tmp_path):
    site = build(tmp_path)
    page = (site.output / "articles/repeat/index.html").read_text()
    assert '<p class="summary">' not in page
    assert page.count("The council met on Monday") == 4  # the body, and meta description, og and JSON-LD
    assert '<p class="summary">' in (site.output / "articles/marked/index.html").read_text()


def test_summaries_are_inline_markdown_with_curly_quotes_and_plain_text_in_feeds(tmp_path):
    site = build(tmp_path)
    page = (site.output / "articles/marked/index.html").read_text()
    assert '<p class="summary"><em>The Tempest</em> is \u2018back\u2019</p>' in page
    assert 'name="description" content="The Tempest is \u2018back\u2019"' in page
    front = (site.output / "index.html").read_text()
    assert '<p class="dek"><em>The Tempest</em> is \u2018back\u2019</p>' in front
    assert "the bridge\u201d." in front  # a summary without markup: its text, curly quotes too
    feed = (site.output / "feed.xml").read_text()
    assert "The Tempest is \u2018back\u2019" in feed and "*The Tempest*" not in feed
