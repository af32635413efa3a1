"""The HTML extractor: metadata rules on small pages and decoding (the fundus-dev targets are in
tests/system/test_extract_html_fundus.py)."""

from __future__ import annotations

import gzip
import json
import sys
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("trafilatura", reason="the 'html' extra (trafilatura) is not installed")

from site_builder.errors import SiteError  # noqa: E402
from site_builder.importer.extract.html import HtmlExtractionError, decode_html, extract_html  # noqa: E402
from site_builder.importer.extract.html import decode as html_decode  # noqa: E402

PARAGRAPHS = [
    "The city council voted on Tuesday to expand the tram network by twelve kilometres, a decision "
    "that supporters said had been delayed for almost a decade by disputes over funding and routes.",
    "Construction is expected to begin next spring and to last three years, according to the "
    "transport department, which estimates that the new lines will carry forty thousand passengers a day.",
    "Opponents argued that the money would be better spent on buses, which can be rerouted as the "
    "city grows, but the motion passed with a comfortable majority after a long evening debate.",
]


def page(head: str = "", body: str = "", lang: str = "en") -> bytes:
    """A small but realistic article page: head extras plus an <article> with real paragraphs."""
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f"<body><nav><a href='/'>Home</a></nav><article>{body}{paragraphs}</article>"
        "<footer><p>Contact us</p></footer></body></html>"
    ).encode()


def ld_json(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --------------------------------------------------------------------------- titles


def test_json_ld_headline_wins_and_graph_author_reference_is_resolved() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "NewsArticle",
                "headline": "Council backs tram extension &amp; new depot",
                "datePublished": "2024-05-02T20:53:56+02:00",
                "author": {"@id": "https://example.org/#/person/1"},
                "publisher": {"@id": "https://example.org/#org"},
            },
            {"@type": "Person", "@id": "https://example.org/#/person/1", "name": "Jane Doe"},
            {"@type": "NewsMediaOrganization", "@id": "https://example.org/#org", "name": "Example Times"},
        ],
    }
    head = '<title>Tram vote | Example Times</title><meta property="og:title" content="Tram vote">'
    head += ld_json(graph)
    result = extract_html(page(head, "<h1>Council backs tram extension &amp; new depot</h1>"), "t.html")
    assert result.title == "Council backs tram extension & new depot"
    assert result.authors == ["Jane Doe"]
    assert result.date == datetime(2024, 5, 2, 20, 53, 56, tzinfo=timezone(timedelta(hours=2)))
    assert result.site_name == "Example Times"


@pytest.mark.parametrize(
    ("title", "site"),
    [
        ("Council backs tram extension | The Guardian", "the Guardian"),
        ("Council backs tram extension - BBC News", "BBC News"),
        ("BBC News - Council backs tram extension", "BBC News"),
        ("Council backs tram extension | Politics News | Metro News", "Metro"),
        ("Council backs tram extension | Example Times | by Jane Doe", "Example Times"),
        ("Council backs tram extension | CNN Politics", "CNN"),
    ],
)
def test_site_name_is_cut_from_og_title(title: str, site: str) -> None:
    head = f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">'
    result = extract_html(page(head), "t.html")
    # "Politics News" is a section: only the h1 could tell, and there is none here
    assert result.title.startswith("Council backs tram extension")
    assert site.lower() not in result.title.lower()
    assert "Jane Doe" not in result.title


def test_section_left_after_site_name_is_settled_by_the_h1() -> None:
    head = (
        "<title>Council backs tram extension - National | Examplenews.ca</title>"
        '<link rel="canonical" href="https://examplenews.ca/news/123/tram/">'
    )
    result = extract_html(page(head, "<h1>Council backs tram extension</h1>"), "t.html")
    assert result.title == "Council backs tram extension"
    assert result.source_url == "https://examplenews.ca/news/123/tram/"


def test_long_form_of_the_site_name_is_cut() -> None:
    head = (
        "<title>Tram vote splits the council - Die Neue Beispieler Rundschau</title>"
        '<link rel="canonical" href="https://www.rundschau.example/2025/tram">'
    )
    assert extract_html(page(head), "t.html").title == "Tram vote splits the council"


def test_a_short_h1_does_not_truncate_the_headline() -> None:
    head = '<meta property="og:title" content="Trump - the comeback nobody in Washington expected">'
    result = extract_html(page(head, "<h1>Trump</h1>"), "t.html")
    assert result.title == "Trump - the comeback nobody in Washington expected"


def test_a_dash_inside_a_headline_is_kept() -> None:
    head = '<meta property="og:title" content="Tram vote - then a surprise">'
    head += '<meta property="og:site_name" content="Example">'
    assert extract_html(page(head), "t.html").title == "Tram vote - then a surprise"


def test_longer_article_name_confirmed_by_og_title_beats_a_shortened_headline() -> None:
    full = "Every tram line the council has approved since 2010, ranked from cheapest to most expensive"
    ld = ld_json({"@type": "NewsArticle", "headline": "Every tram line, ranked", "name": full})
    head = f'<meta property="og:title" content="{full}">{ld}'
    assert extract_html(page(head), "t.html").title == full


def test_related_articles_in_json_ld_are_not_the_page() -> None:
    related = {
        "@type": "ItemList",
        "itemListElement": [{"@type": "NewsArticle", "headline": "Another story", "author": "Ann Other"}],
    }
    own = {
        "@type": "NewsArticle",
        "headline": "Council backs tram extension",
        "url": "https://example.org/news/tram/",
        "author": {"@type": "Person", "name": "Jane Doe"},
    }
    head = '<link rel="canonical" href="https://www.example.org/news/tram">' + ld_json(related) + ld_json(own)
    result = extract_html(page(head), "t.html")
    assert (result.title, result.authors) == ("Council backs tram extension", ["Jane Doe"])


def test_malformed_and_odd_json_ld_does_not_break_extraction() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        + ld_json(
            {
                "@type": ["NewsArticle", "schema:Thing"],
                "headline": ["not", "a", "string"],
                "author": [{"name": {"nested": True}}, None, 42, {"givenName": "Jane", "familyName": "Doe"}],
                "datePublished": "yesterday",
            }
        )
        + '<meta property="og:title" content="Tram vote">'
    )
    result = extract_html(page(head), "t.html")
    assert (result.title, result.authors, result.date) == ("Tram vote", ["Jane Doe"], None)


# --------------------------------------------------------------------------- authors


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ("By Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
        ("Jane Doe, Senior Reporter", ["Jane Doe"]),
        ("Ann Lee, Bo Chan, Cy Dee and Di Eve", ["Ann Lee", "Bo Chan", "Cy Dee", "Di Eve"]),
        ("Jane Doe; John Smith", ["Jane Doe", "John Smith"]),
        ("Associated Press in Valencia", ["Associated Press"]),
        ("Felix Beispiel und Jörg Muster, dpa", ["Felix Beispiel", "Jörg Muster", "dpa"]),
        ("Example Times (www.example-times.com)", []),
    ],
)
def test_byline_cleanup(meta: str, expected: list[str]) -> None:
    head = f'<meta name="author" content="{meta}"><meta property="og:site_name" content="Example Times">'
    head += '<link rel="canonical" href="https://www.example-times.com/story">'
    assert extract_html(page(head), "t.html").authors == expected


def test_urls_slugs_and_the_publisher_are_not_authors() -> None:
    head = (
        '<meta property="og:site_name" content="The Washington Example">'
        '<meta name="author" content="The Washington Example https://www.washingtonexample.com">'
        '<meta property="article:author" content="https://www.facebook.com/example">'
        '<meta name="parsely-author" content="tom-davies">'
        '<meta name="sailthru.author" content="Tom Davies">'
    )
    assert extract_html(page(head), "t.html").authors == ["Tom Davies"]


def test_json_ld_authors_beat_meta_tags_and_people_list_keeps_agencies() -> None:
    ld = ld_json(
        {
            "@type": "NewsArticle",
            "headline": "Tram vote",
            "author": [{"@type": "Person", "name": "Adam Vidler"}, {"@type": "Person", "name": "AP"}],
        }
    )
    head = '<meta name="author" content="Condé Nast">' + ld
    assert extract_html(page(head), "t.html").authors == ["Adam Vidler", "AP"]


def test_json_ld_agency_stays_beside_the_reporter() -> None:
    ld = ld_json(
        {
            "@type": "NewsArticle",
            "headline": "Tram vote",
            "author": [
                {"@type": "Person", "name": "Paula Example"},
                {"@type": "Organization", "name": "SDA"},
            ],
        }
    )
    assert extract_html(page(ld), "t.html").authors == ["Paula Example", "SDA"]


def test_visible_byline_stops_at_the_timestamp() -> None:
    body = "<h1>Tram vote</h1><p>Von Anna Beispiel, veröffentlicht am 27.04.24 um 10:15 Uhr</p>"
    assert extract_html(page(body=body, lang="de"), "t.html").authors == ["Anna Beispiel"]


def test_publisher_credited_alone_in_json_ld_is_the_byline() -> None:
    ld = ld_json(
        {
            "@type": "NewsArticle",
            "headline": "Tram vote",
            "author": ["Associated Press"],
            "publisher": {"@type": "Organization", "name": "Associated Press"},
        }
    )
    assert extract_html(page(ld), "t.html").authors == ["Associated Press"]


def test_site_name_as_meta_author_is_a_cms_default_not_a_byline() -> None:
    head = '<meta name="author" content="Example Times">'
    head += '<meta property="og:site_name" content="Example Times">'
    assert extract_html(page(head), "t.html").authors == []


def test_cms_admin_account_is_not_an_author_and_visible_byline_is_used() -> None:
    ld = ld_json(
        {
            "@type": "BlogPosting",
            "headline": "Tram vote",
            "author": {"@id": "https://example.org/author/admin/", "name": "Example D"},
        }
    )
    body = "<h1>Tram vote</h1><p class='meta'>By Mary Major, in <a href='/news'>News</a></p>"
    assert extract_html(page(ld, body), "t.html").authors == ["Mary Major"]


def test_image_credits_in_microdata_are_not_authors() -> None:
    head = '<meta name="author" content="Emma Mackenzie">'
    body = (
        '<figure itemscope itemtype="https://schema.org/ImageObject">'
        '<meta itemprop="author" content="(Image: Getty Images)"></figure>'
    )
    assert extract_html(page(head, body), "t.html").authors == ["Emma Mackenzie"]


# --------------------------------------------------------------------------- dates


def test_meta_published_time_keeps_its_zone() -> None:
    head = '<meta property="article:published_time" content="2023-04-26T14:20:55-0400">'
    date = extract_html(page(head), "t.html").date
    assert date == datetime(2023, 4, 26, 14, 20, 55, tzinfo=timezone(timedelta(hours=-4)))


def test_naive_timestamp_stays_naive_and_missing_date_is_none() -> None:
    ld = ld_json({"@type": "NewsArticle", "headline": "Tram vote", "datePublished": "2023-04-28T13:53:25"})
    assert extract_html(page(ld), "t.html").date == datetime(2023, 4, 28, 13, 53, 25)
    assert extract_html(page(), "t.html").date is None


def test_modified_date_is_not_the_publication_date() -> None:
    head = (
        '<meta property="article:modified_time" content="2024-02-01T10:00:00Z">'
        '<meta property="article:published_time" content="2024-01-15T09:00:00Z">'
    )
    assert extract_html(page(head), "t.html").date.date().isoformat() == "2024-01-15"


# --------------------------------------------------------------------------- body


def test_body_is_markdown_without_boilerplate() -> None:
    body = (
        "<h1>Tram vote</h1><p>Advertisement</p><h2>What happens next</h2>"
        "<p>Share this article</p>"
        "<p>Sign up for our daily newsletter to get the latest news in your inbox.</p>"
        "<p>MORE: Another story you might like</p><h2>Most read in Politics</h2><p>___</p>"
        "<p><em>Got a story? Get in touch with our news team at news@example.org</em></p>"
        "<h2>Council backs tram extension after long debate</h2>"
    )
    head = '<meta property="og:title" content="Tram vote">'
    head += ld_json({"@type": "NewsArticle", "headline": "Council backs tram extension after long debate"})
    text = extract_html(page(head, body), "t.html").body
    assert "Advertisement" not in text
    assert "Share this article" not in text
    assert "newsletter" not in text
    for furniture in ("MORE:", "Most read", "___", "news@example.org", "after long debate"):
        assert furniture not in text
    assert "## What happens next" in text.splitlines()
    for paragraph in PARAGRAPHS:
        assert paragraph in text.split("\n\n")


def test_article_paragraph_mentioning_a_newsletter_at_length_is_kept() -> None:
    long = (
        "The council said residents could sign up for its newsletter at libraries, but critics noted that "
        "the consultation had been announced only there and that most households never saw it before the "
        "deadline, which fell in the middle of the school holidays when many families were away from the "
        "city and unable to respond to the questions about routes, stops and the size of the new depot."
    )
    text = extract_html(page(body=f"<p>{long}</p>"), "t.html").body
    assert long in text


# --------------------------------------------------------------------------- bytes and errors


def test_gzip_is_detected_by_magic_bytes() -> None:
    head = '<meta property="og:title" content="Tram vote">'
    assert extract_html(gzip.compress(page(head)), "t.html.gz").title == "Tram vote"


def test_corrupt_gzip_and_gzip_bomb_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(HtmlExtractionError, match="gzip"):
        extract_html(b"\x1f\x8b\x08\x00garbage", "bad.html.gz")
    monkeypatch.setattr(html_decode, "MAX_DECOMPRESSED_BYTES", 1000)
    with pytest.raises(HtmlExtractionError, match="more than"):
        extract_html(gzip.compress(b" " * 5000), "bomb.html.gz")


def test_declared_latin1_charset_is_used() -> None:
    raw = '<html><head><meta charset="iso-8859-1"><title>Café – prix</title></head></html>'.encode("cp1252")
    decoded = decode_html(raw)
    assert "Café – prix" in decoded.text
    assert decoded.warning is None


def test_utf8_bytes_under_a_stale_latin1_declaration_are_read_as_utf8() -> None:
    raw = '<html><head><meta charset="iso-8859-15"><title>sanción</title></head></html>'.encode()
    decoded = decode_html(raw)
    assert "sanción" in decoded.text
    assert decoded.warning and "utf-8" in decoded.warning


def test_undeclared_non_utf8_bytes_fall_back_and_say_so() -> None:
    raw = "<html><body><p>Price: £5 for the café</p></body></html>".encode("cp1252")
    decoded = decode_html(raw)
    assert "£5" in decoded.text
    assert decoded.warning


def test_empty_page_is_a_site_error_naming_the_file() -> None:
    with pytest.raises(SiteError, match="empty") as caught:
        extract_html(b"   ", "empty.html")
    assert isinstance(caught.value, HtmlExtractionError)
    assert caught.value.path == "empty.html"
    assert str(caught.value) == "empty.html: empty page"


def test_binary_data_is_not_a_page() -> None:
    with pytest.raises(HtmlExtractionError, match="not an HTML page"):
        extract_html(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "image.html")


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda t: f"<html><body><p>{t}</p>".encode()))
def test_any_bytes_give_an_extraction_or_a_site_error(raw: bytes) -> None:
    try:
        result = extract_html(raw, "fuzz.html")
    except SiteError:
        return
    assert isinstance(result.title, str) and isinstance(result.body, str)
    assert all(isinstance(a, str) and a for a in result.authors)


def test_missing_trafilatura_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    with pytest.raises(HtmlExtractionError, match=r"needs trafilatura.*pip install site-builder"):
        extract_html(page(), "t.html")


def test_language_and_site_name() -> None:
    head = '<meta property="og:site_name" content="Exemple Journal">'
    result = extract_html(page(head, lang="fr_FR"), "t.html")
    assert result.language == "fr-FR"
    assert result.site_name == "Exemple Journal"
