"""Where a page names its authors, on small synthetic pages: which source wins, and the body's byline."""

from __future__ import annotations

import json

from site_builder.importer.extract.html import extract_html

PARAGRAPHS = (
    "The harbour board voted on Thursday to dredge the northern channel before the autumn storms, "
    "ending a dispute with the ferry operators that had lasted for most of the summer season.",
    "Work will start within a fortnight and take about six weeks, the board said, during which the "
    "evening sailings to the islands will leave from the southern quay instead of the old pier.",
    "Fishermen welcomed the decision but asked for the spoil to be taken further out to sea, where it "
    "would not settle on the mussel beds that supply most of the town's restaurants in winter.",
)
SITE = (
    '<meta property="og:site_name" content="Harbour Gazette"><title>Dredging agreed | Harbour Gazette</title>'
)


def page(head: str = "", top: str = "", lang: str = "en", before: str = "") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{SITE}{head}</head><body>'
        f"<header>{before}</header><article><h1>Dredging agreed</h1>{top}{paragraphs}</article>"
        "</body></html>"
    ).encode()


def ld(authors: list[dict]) -> str:
    data = {"@type": "NewsArticle", "headline": "Dredging agreed", "author": authors}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def authors_of(raw: bytes) -> list[str]:
    return extract_html(raw, "page.html").authors


def test_a_named_reporter_is_preferred_to_an_agency_credited_by_the_metadata() -> None:
    head = '<meta name="author" content="Reuters">'
    assert authors_of(page(head, "<p class='byline'>By Jane Doe</p>")) == ["Jane Doe"]


def test_an_agency_alone_stays_the_byline() -> None:
    assert authors_of(page('<meta name="author" content="Reuters">')) == ["Reuters"]


def test_a_byline_line_at_the_top_of_the_body_replaces_the_site_account() -> None:
    head = ld([{"@type": "Organization", "name": "Harbour Gazette"}])
    top = "<p><strong>Mathatisi Sebusi/Mohalenyane Phakela</strong></p>"
    assert authors_of(page(head, top)) == ["Mathatisi Sebusi", "Mohalenyane Phakela"]


def test_a_capitalised_byline_in_the_body_is_put_in_name_case() -> None:
    top = "<p><strong>NOMVULA DLAMINI</strong></p>"
    assert authors_of(page(top=top)) == ["Nomvula Dlamini"]


def test_a_bold_subheading_is_not_a_byline() -> None:
    top = "<p><strong>THE WORK STARTS IN 2 WEEKS</strong></p>"
    assert authors_of(page(top=top)) == []


def test_the_navigation_menu_is_not_a_byline() -> None:
    before = "<nav><ul><li><a rel='author' href='/author/jane-doe'>Jane Doe</a></li></ul></nav>"
    assert authors_of(page(before=before)) == []


def test_month_names_of_the_page_language_are_cut() -> None:
    head = '<meta name="author" content="Max Muster, 12. März 2024">'
    assert authors_of(page(head, lang="de")) == ["Max Muster"]
    head = '<meta name="author" content="Marie Dupont mars 3, 2024">'
    assert authors_of(page(head, lang="fr")) == ["Marie Dupont"]


def test_newsroom_codes_after_names_are_dropped() -> None:
    head = ld(
        [
            {"@type": "Person", "name": "Elena Muster (emu)"},
            {"@type": "Person", "name": "Jon Beispiel (jbe.)"},
        ]
    )
    assert authors_of(page(head)) == ["Elena Muster", "Jon Beispiel"]
