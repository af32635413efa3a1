"""What pages show of images: views, the body's <picture> and <figure> markup, the feed enclosure."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from site_builder.config import load_config
from site_builder.model.image import Picture, Rendition
from site_builder.plan.images import figures_view, picture_view
from site_builder.render.feeds import render_atom
from site_builder.render.images import rewrite_images

RENDITION = Rendition("k1", "dawn", 2000, 1333, "jpg", (480, 960, 1600), (("16x9", 1200, 675),))
LOCAL = Picture("dawn.jpg", "content", "story/dawn.jpg", 3, alt='Boats & "sky"', rendition=RENDITION)
REMOTE = Picture("https://cdn.example.org/a.png", "", "https://cdn.example.org/a.png", 5, alt="Remote")


def url(path: str) -> str:
    return "/news/" + path


def test_a_processed_image_is_described_by_its_derivatives():
    view = picture_view(LOCAL, social=True)
    assert view["src"] == "images/k1/dawn-960.jpg" and view["widths"] == [480, 960, 1600]
    assert (view["width"], view["height"], view["type"]) == (1600, 1066, "image/jpeg")
    assert view["social"] == [{"src": "images/k1/dawn-16x9.jpg", "width": 1200, "height": 675}]
    assert "social" not in picture_view(LOCAL)
    remote = picture_view(REMOTE)
    assert remote["remote"] and remote["src"] == REMOTE.src and remote["type"] == "image/png"


def test_body_images_become_pictures_and_lone_ones_figures():
    body = (
        '<p><img alt="Boats &amp; &quot;sky&quot;" src="dawn.jpg" title="At dawn"></p>\n'
        '<p>Text <img alt="Boats" src="dawn.jpg"> and <img alt="Remote" src="https://cdn.example.org/a.png"></p>\n'
        '<p><img alt="other" src="unknown.jpg"></p>'
    )
    html = rewrite_images(body, figures_view((LOCAL, REMOTE)), url)
    figure, inline, unknown = html.split("\n")
    assert figure.startswith('<figure class="figure"><picture><source type="image/webp" srcset="')
    assert "/news/images/k1/dawn-480.webp 480w, /news/images/k1/dawn-960.webp 960w" in figure
    assert 'srcset="/news/images/k1/dawn-480.jpg 480w, ' in figure
    assert 'width="1600" height="1066"' in figure and 'loading="lazy"' in figure
    assert 'alt="Boats &amp; &quot;sky&quot;"' in figure
    assert figure.endswith("<figcaption>At dawn</figcaption></figure>") and "title=" not in figure
    assert inline.startswith("<p>Text <picture>") and inline.count("<picture>") == 1
    assert '<img src="https://cdn.example.org/a.png" alt="Remote" loading="lazy" decoding="async">' in inline
    assert unknown == '<p><img alt="other" src="unknown.jpg"></p>'


def test_the_feed_carries_the_lead_image_as_an_enclosure(tmp_path):
    config = load_config(tmp_path, {"base_url": "https://example.org/news/"})
    entry = {
        "title": "T",
        "url": "a/",
        "date": None,
        "updated": None,
        "authors": [],
        "tags": [],
        "summary": "",
    }
    context = {
        "title": "Feed",
        "url": "",
        "entries": [
            {**entry, "image": picture_view(LOCAL)},
            {**entry, "url": "b/", "image": picture_view(REMOTE)},
        ],
    }
    feed = ET.fromstring(render_atom(context, config))
    links = [
        link.attrib
        for link in feed.iter("{http://www.w3.org/2005/Atom}link")
        if link.get("rel") == "enclosure"
    ]
    assert links == [
        {
            "rel": "enclosure",
            "href": "https://example.org/news/images/k1/dawn-1600.jpg",
            "type": "image/jpeg",
        },
        {"rel": "enclosure", "href": "https://cdn.example.org/a.png", "type": "image/png"},
    ]
