"""Headline choice on small synthetic pages: the site's own name is cut, never returned alone."""

from __future__ import annotations

import json

import pytest

from site_builder.importer.extract.html import extract_html

BODY = "".join(
    f"<p>{text}</p>"
    for text in (
        "The harbour board voted on Thursday to dredge the northern channel before the autumn storms, "
        "ending a dispute with the ferry operators that had lasted for most of the summer season.",
        "Work will start within a fortnight and take about six weeks, the board said, during which the "
        "evening sailings to the islands will leave from the southern quay instead of the old pier.",
        "Fishermen welcomed the decision but asked for the spoil to be taken further out to sea, where it "
        "would not settle on the mussel beds that supply most of the town's restaurants in winter.",
    )
)


def page(head: str = "", before: str = "", article: str = "") -> bytes:
    """A page with head extras, markup before the article (navigation) and the article's own heading."""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>'
        f"<header><a href='/'>Home</a>{before}</header><main><article>{article}{BODY}</article></main>"
        "<footer><p>Contact the newsroom</p></footer></body></html>"
    ).encode()


SITE = '<meta property="og:site_name" content="Harbour Gazette">'
HEADLINE = "Harbour board agrees to dredge the northern channel"


def title_of(raw: bytes) -> str:
    return extract_html(raw, "page.html").title


@pytest.mark.parametrize(
    "tag",
    [
        f"{HEADLINE} | Harbour Gazette",
        f"{HEADLINE} \u2014 Harbour Gazette",
        f"{HEADLINE} \u2013 Harbour Gazette",
        f"{HEADLINE} \u00ab Harbour Gazette",
        f"{HEADLINE} ~ Harbour Gazette",
        f"{HEADLINE} | Local | Harbour Gazette",
        f"Harbour Gazette: {HEADLINE}",
        f"Harbour Gazette \u00bb {HEADLINE}",
        f"Harbour Gazette - {HEADLINE}",
        f"{HEADLINE}\uff5cHarbour Gazette",
        f"{HEADLINE}\u3163Harbour Gazette",
    ],
)
def test_the_site_name_is_cut_whatever_the_separator(tag: str) -> None:
    assert title_of(page(SITE + f"<title>{tag}</title>")) == HEADLINE


def test_the_site_name_is_learnt_from_the_json_ld_publisher() -> None:
    ld = {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Riverside Post"}}
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    head += f"<title>{HEADLINE} / Riverside Post</title>"
    assert title_of(page(head)) == HEADLINE


def test_a_colon_inside_a_headline_is_kept() -> None:
    headline = "Ferry strike: islanders stranded for a third day"
    assert title_of(page(SITE + f"<title>{headline} | Harbour Gazette</title>")) == headline


def test_a_title_that_is_only_the_site_name_gives_way_to_the_visible_headline() -> None:
    head = SITE + '<title>Harbour Gazette</title><meta property="og:title" content="Harbour Gazette">'
    assert title_of(page(head, article=f"<h1>{HEADLINE}</h1>")) == HEADLINE


def test_a_title_that_is_the_site_name_and_its_motto_gives_way_to_the_visible_headline() -> None:
    head = SITE + "<title>Harbour Gazette | News from the coast since 1887</title>"
    assert title_of(page(head, article=f"<h1>{HEADLINE}</h1>")) == HEADLINE


def test_the_site_logo_heading_is_not_the_headline() -> None:
    head = SITE + f"<title>{HEADLINE} - Harbour Gazette</title>"
    raw = page(head, before="<h1><a href='/'>Harbour Gazette</a></h1>", article=f"<h2>{HEADLINE}</h2>")
    assert title_of(raw) == HEADLINE


def test_a_heading_in_the_navigation_is_not_the_headline() -> None:
    head = SITE + "<title>Harbour Gazette</title>"
    raw = page(
        head, before="<nav><ol><li><h1>Local news</h1></li></ol></nav>", article=f"<h1>{HEADLINE}</h1>"
    )
    assert title_of(raw) == HEADLINE


def test_a_page_naming_only_the_site_has_no_title_rather_than_the_site_name() -> None:
    head = SITE + "<title>Harbour Gazette</title>"
    assert title_of(page(head)) == ""
