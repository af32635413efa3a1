import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.model.slugs import slugify, unique_slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Hello World", "hello-world"), ("Ünïcödé title", "unicode-title"), ("Trump’s tweets", "trumps-tweets")],
)
def test_slugify_examples(text, expected):
    assert slugify(text) == expected


@pytest.mark.parametrize("text", ["", ".", "..", "../../etc/passwd", "CON", "🎉", "   ", "/"])
def test_hostile_titles_give_safe_slugs(text):
    slug = slugify(text)
    assert slug and slug not in {".", ".."} and "/" not in slug and slug != "con"


@given(st.text())
def test_any_text_gives_one_safe_path_segment(text):
    slug = slugify(text)
    assert slug
    assert slug not in {".", ".."}
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert len(slug) <= 90


def test_unique_slug_is_deterministic():
    assert unique_slug("a", set()) == "a"
    assert unique_slug("a", {"a", "a-2"}) == "a-3"
