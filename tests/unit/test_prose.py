"""The plain-prose fast path gives exactly Python-Markdown's HTML, or declines.

Compared on generated texts made of the characters that matter to smarty and to Markdown's block rules
(quotes, dashes, dots, digits, spaces, line breaks); tests/system/test_prose_corpora.py compares them on
every article of the real corpora.
"""

from __future__ import annotations

import random
import re

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.sources.markup import (
    _EXTENSION_CONFIG,
    _REQUIRED_TEXT,
    MARKDOWN_EXTENSIONS,
    MarkdownRenderer,
)
from site_builder.sources.prose import _LEAD, ProseRenderer
from tests.helpers.prose import python_markdown


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(time_limit=None)


# Characters that drive smarty's patterns and Markdown's block rules, with ordinary letters between.
_PIECES = st.sampled_from(
    list("'\"-.  \n") + ["\n\n", "--", "---", "...", "....", "'s", "s'", "'90s", "&", "&amp;", "#"]
    + list("aAs0912:;,!?()[]{}*_`<>|~=+\\") + ["\u00a0", "\u2013", "\u2014", "\u2028", "\x85", "\t", "\r"]
    + ["1. ", "2) ", "- ", "> ", "# ", "    ", "word", "Mr O'Neil", "\"Yes,\" he said"]
    + ["](", "![", "[^", "]:", "[id]: /u", "[t](/u)", "[t] [id]", "\n["]
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40).map("".join))
@example("'Tis the '90s: \"rock 'n' roll\"... -- it's 'over'---")
@example("He said \"no\"\nand left.\n\nShe said 'yes'.")
@example("\n\nLeading and trailing breaks\n\n")
@example("\"'Quoted' inside\" and '\"other\"'")
def test_generated_texts_render_as_python_markdown_does_or_are_declined(renderer, text):
    html = renderer._prose.render(text)
    if html is not None:
        assert html == python_markdown(renderer, text)


# Only what the fast path takes: most of these texts go through it.
PROSE_PIECES = (
    list("'\"-.  \n") + ["\n\n", "\n\n\n", "--", "---", "...", "....", "'s", "s'", "'90s", "&", "& ;"]
    + list("aAs0912:;,!?()#$%^@/") + ["\u00a0", "\u2013", "\u2014", "\u2028", "\x85", "\u201c"]
    + ["word", "Mr O'Neil", "\"Yes,\" he said", "1.5", "(1)", "'\"", "\"'", "&#", "&#x", "AT&T", "&amp"]
    + ["[", "]", "[the minister]", "] [", "[x][y]", "[a [b] c]", "['s]", "[\"", "\"]", "]\n("]
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PROSE_PIECES), max_size=40).map("".join))
def test_generated_prose_renders_as_python_markdown_does(renderer, text):
    html = renderer._prose.render(text)
    if html is not None:
        assert html == python_markdown(renderer, text)


def test_many_random_prose_texts_mostly_take_the_fast_path_and_render_as_python_markdown_does(renderer):
    """Beyond hypothesis's examples (which shrink towards short texts): longer seeded ones, and most of
    them must take the fast path, so that these comparisons compare something."""
    rng = random.Random(5)
    taken = 0
    for _ in range(4000):
        text = "".join(rng.choices(PROSE_PIECES, k=rng.randint(1, 60)))
        html = renderer._prose.render(text)
        if html is not None:
            taken += 1
            assert html == python_markdown(renderer, text), text
    assert taken > 1000  # about 1,400


def test_texts_with_markdown_constructs_are_declined(renderer):
    for text in [
        "# Heading",
        "A *word*.",
        "A [link](https://example.org).",
        "An ![image](a.png).",
        "A note[^1].",
        "[id]: https://example.org",
        "See [this][id].\n\n[id]: https://example.org",
        "> quoted",
        "- item\n- item",
        "1. first",
        "Title\n=====",
        "Code: `x`",
        "Tab\tinside",
        "Caf&eacute;",
        "Number &#233 without its semicolon",
        "Hex &#xE9 too",
        "  indented",
        "line  \nbreak",
        "a | b\n--|--\n1 | 2",
        "Term\n: definition",
        "",
        "\n\n",
    ]:
        assert renderer._prose.render(text) is None, text


def test_plain_prose_is_taken_and_educated(renderer):
    html = renderer._prose.render('"It\'s done," said Ms Lee -- twice...\n\nAT&T agreed.')
    assert html == (
        "<p>&ldquo;It&rsquo;s done,&rdquo; said Ms Lee &ndash; twice&hellip;</p>\n<p>AT&amp;T agreed.</p>"
    )


def test_another_markdown_configuration_is_never_taken_fast():
    extensions = [*MARKDOWN_EXTENSIONS, "admonition"]
    md = markdown.Markdown(extensions=extensions, extension_configs=_EXTENSION_CONFIG)
    prose = ProseRenderer(md, {})
    assert not prose.enabled and prose.render("Plain text.") is None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("'\"ab1 \n-&;#80s\u2013\u2014\u00a0")), max_size=60), st.data())
def test_a_slow_pattern_searched_from_its_lead_finds_the_same_match(text, data):
    """_LEAD's claim: a match starts at most *lead* characters before its quote."""
    start = data.draw(st.integers(0, len(text)))
    for source, lead in _LEAD.items():
        regex = re.compile(source, re.DOTALL | re.UNICODE)
        (quote,) = _REQUIRED_TEXT[source]
        found = text.find(quote, start)
        expected = regex.search(text, start)
        if found < 0:
            assert expected is None
            continue
        got = regex.search(text, max(start, found - lead))
        assert (got and got.span(), got and got.groups()) == (
            expected and expected.span(),
            expected and expected.groups(),
        )
