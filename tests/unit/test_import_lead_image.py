"""The HTML importer keeps a page's lead image as a reference: JSON-LD, og:image, then the first figure."""

from __future__ import annotations

import json

from site_builder.importer.extract.images import lead_image

PAGE = "https://news.example.org/2024/05/harbour.html"


def page(head: str = "", body: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head><title>T</title>{head}</head><body>{body}</body></html>".encode()


def ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_json_ld_image_object_with_caption_and_credit_comes_first():
    head = ld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "image": "https://news.example.org/site.jpg"},
                {
                    "@type": "NewsArticle",
                    "image": [
                        {
                            "@type": "ImageObject",
                            "url": "/media/dawn-1200.jpg",
                            "caption": "Boats at dawn &amp; dusk",
                            "creditText": "Ana Diaz/Agency",
                            "width": 1200,
                            "height": "800",
                        }
                    ],
                },
            ],
        }
    )
    head += '<meta property="og:image" content="https://news.example.org/og.jpg">'
    body = '<article><figure><img src="/media/dawn-1200.jpg" alt="Boats leaving"></figure></article>'
    assert lead_image(page(head, body), PAGE) == {
        "src": "https://news.example.org/media/dawn-1200.jpg",
        "alt": "Boats leaving",
        "caption": "Boats at dawn & dusk",
        "credit": "Ana Diaz/Agency",
        "width": 1200,
        "height": 800,
    }


def test_og_image_with_its_alt_and_size_then_twitter():
    head = (
        '<meta property="og:image" content="//cdn.example.org/a.jpg">'
        '<meta property="og:image:alt" content="A crowd"><meta property="og:image:width" content="1600">'
        '<meta property="og:image:height" content="900">'
    )
    assert lead_image(page(head), PAGE) == {
        "src": "https://cdn.example.org/a.jpg",
        "alt": "A crowd",
        "width": 1600,
        "height": 900,
    }
    twitter = '<meta name="twitter:image" content="https://cdn.example.org/t.jpg">'
    assert lead_image(page(twitter), PAGE) == {"src": "https://cdn.example.org/t.jpg"}


def test_the_first_figure_of_the_article_with_caption_and_credit():
    body = (
        '<nav><figure><img src="/nav/promo.jpg"></figure></nav>'
        '<article><p>Intro</p><figure><img data-src="pics/storm.jpg" alt="Waves">'
        '<figcaption>Waves hit the pier. <span class="photo-credit">Photo: Ida Lund</span></figcaption>'
        "</figure></article>"
    )
    assert lead_image(page(body=body), PAGE) == {
        "src": "https://news.example.org/2024/05/pics/storm.jpg",
        "alt": "Waves",
        "caption": "Waves hit the pier.",
        "credit": "Photo: Ida Lund",
    }


def test_logos_svgs_data_urls_and_unresolvable_sources_are_not_lead_images():
    head = (
        '<meta property="og:image" content="https://news.example.org/static/logo-large.png">'
        '<meta name="twitter:image" content="https://news.example.org/mark.svg">'
    )
    body = '<article><figure><img src="data:image/png;base64,AAAA"></figure></article>'
    assert lead_image(page(head, body), PAGE) is None
    assert lead_image(page(body='<figure><img src="relative.jpg"></figure>'), None) is None
    assert lead_image(b"\x00\x01 not html", PAGE) is None
