"""Image references in content files: where a src resolves, what may not be used, front matter ``image``."""

from __future__ import annotations

import pytest

from site_builder.errors import SiteError
from site_builder.sources.images import (
    ImagePathError,
    body_pictures,
    read_lead_image,
    resolve_src,
)
from site_builder.sources.reader import bundle_name


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("photo.jpg", ("content", "world/story/photo.jpg")),
        ("pics/a b.png", ("content", "world/story/pics/a b.png")),
        ("pics/a%20b.PNG", ("content", "world/story/pics/a b.PNG")),
        ("/img/logo.svg", ("static", "img/logo.svg")),
        ("/img/x.webp", ("static", "img/x.webp")),
        ("https://cdn.example.com/a.jpg?w=800", ("", "https://cdn.example.com/a.jpg?w=800")),
        ("//cdn.example.com/a.jpg", ("", "//cdn.example.com/a.jpg")),
    ],
)
def test_sources_resolve_to_the_bundle_static_or_a_remote_reference(src, expected):
    assert resolve_src(src, "world/story/index.md") == expected


@pytest.mark.parametrize(
    ("src", "why"),
    [
        ("../other/photo.jpg", "'..'"),
        ("a/../../photo.jpg", "'..'"),
        ("/../etc/passwd.png", "'..'"),
        ("a//b.jpg", "empty segments"),
        ("a\\b.jpg", "backslashes"),
        ("chart.svg", "SVG images are used only from static/"),
        ("notes.txt", "not an image"),
        ("photo", "not an image"),
        ("file:///etc/passwd.jpg", "http(s) URL"),
        ("javascript:alert(1)", "http(s) URL"),
        ("photo.jpg?v=2", "no query"),
    ],
)
def test_paths_that_could_escape_or_are_not_images_are_refused(src, why):
    with pytest.raises(ImagePathError, match=None) as raised:
        resolve_src(src, "world/story/index.md")
    assert why in str(raised.value)


def _error(message: str) -> SiteError:
    return SiteError(message, "content/story.md", 4, "image")


def test_front_matter_image_as_text_or_mapping():
    picture = read_lead_image("dawn.jpg", "story/index.md", 4, _error)
    assert (picture.root, picture.path, picture.line, picture.alt) == ("content", "story/dawn.jpg", 4, "")
    picture = read_lead_image(
        {"src": "https://e.org/a.jpg", "alt": " Boats ", "caption": "At dawn", "credit": "AP", "width": 800,
         "height": 533},
        "story.md", 4, _error,
    )  # fmt: skip
    assert picture.remote and picture.width == 800 and picture.height == 533
    assert (picture.alt, picture.caption, picture.credit) == ("Boats", "At dawn", "AP")
    assert read_lead_image(None, "story.md", None, _error) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["a.jpg"], "expected an image path"),
        ({"alt": "x"}, "expected an image path"),
        ({"src": "a.jpg", "size": 3}, "unknown key"),
        ({"src": "a.jpg", "alt": ["x"]}, "'alt' must be text"),
        ({"src": "a.jpg", "width": "wide"}, "'width' must be a whole number"),
        ({"src": "../a.jpg"}, "'..'"),
    ],
)
def test_bad_front_matter_images_are_located_errors(value, message):
    with pytest.raises(SiteError) as raised:
        read_lead_image(value, "story.md", 4, _error)
    assert message in str(raised.value)
    assert str(raised.value).startswith("content/story.md:4: field 'image': ")


def test_body_images_each_once_with_the_line_naming_them():
    text = (
        'First.\n\n![A chart](chart.png "Weekly")\n\nAgain ![same](chart.png)\n\n![](https://e.org/b.jpg)\n'
    )
    html = (
        '<p>First.</p>\n<p><img alt="A chart" src="chart.png" title="Weekly"></p>\n'
        '<p>Again <img alt="same" src="chart.png"></p>\n<p><img alt="" src="https://e.org/b.jpg"></p>'
    )
    pictures = body_pictures(html, text, 7, "story/index.md", "content/story/index.md")
    assert [(p.src, p.line, p.alt, p.caption) for p in pictures] == [
        ("chart.png", 9, "A chart", "Weekly"),
        ("https://e.org/b.jpg", 13, "", ""),
    ]
    assert pictures[0].path == "story/chart.png" and pictures[1].remote


def test_a_body_image_that_may_not_be_used_names_the_file_and_line():
    text = "Intro.\n\n![x](../secret.jpg)\n"
    html = '<p>Intro.</p>\n<p><img alt="x" src="../secret.jpg"></p>'
    with pytest.raises(SiteError) as raised:
        body_pictures(html, text, 5, "story.md", "content/story.md")
    assert str(raised.value).startswith("content/story.md:7: ")


def test_a_page_bundle_is_named_after_its_folder():
    assert bundle_name("world/harbour-reopens/index.md") == "harbour-reopens"
    assert bundle_name("harbour/index.markdown") == "harbour"
    assert bundle_name("index.md") is None
    assert bundle_name("world/story.md") is None
