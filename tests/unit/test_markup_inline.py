"""The inline processor that skips patterns which cannot match renders exactly what Python-Markdown does."""

from __future__ import annotations

import markdown
import pytest
from markdown.treeprocessors import InlineProcessor

from site_builder.sources.markup import (
    _EXTENSION_CONFIG,
    _REQUIRED_TEXT,
    MARKDOWN_EXTENSIONS,
    MarkdownRenderer,
)

FRAGMENTS = [
    "```python\ndef f(x):\n    return x * 2\n```\n",
    "    indented code\n\tmore\n",
    "Text with `code`, ``double `tick` code`` and \\`escaped\\` \\*stars\\*.\n",
    "\"Double\" and 'single' quotes -- dash --- em... ellipsis, the '90s, \"nested 'quote'\" text.\n",
    "'Tis \"'quoted'\" and '\"odd\"' -- 'x' --'y' &mdash;'z' &nbsp;\"w\"\n",
    "# Heading *One*\n\n## Two {#custom-id}\n\nSetext\n======\n",
    "| a | b |\n|---|:-:|\n| `x|y` | *z* |\n",
    'Footnote[^1] and [link](http://example.com "t") ![img](a.png) <http://auto.link> <me@example.com>\n\n'
    "[^1]: The **note**.\n",
    "[ref][r] and [r] and ![r]\n\n[r]: http://example.com/ref\n",
    "*[HTML]: Hyper Text Markup Language\n\nThe HTML spec & &amp; &copy; &#169; < >\n",
    "Term\n:   Definition\n\nParagraph {: .class }\n",
    '<div markdown="1">\n*emphasis* in a div\n</div>\n\n<span onclick="x()">raw</span> <!-- c -->\n',
    "Hard  \nbreak, ***bold italic*** __strong__ _em_ snake_case_word * lone star _\n",
    "1. one\n2. two\n\n* a\n\n    ```\n    fenced in list\n    ```\n\n> quote\n> > nested\n",
]


def stock_html(text: str) -> str:
    md = markdown.Markdown(
        extensions=list(MARKDOWN_EXTENSIONS), extension_configs=_EXTENSION_CONFIG, output_format="html"
    )
    return md.convert(text)


@pytest.mark.parametrize("text", [*FRAGMENTS, "\n\n".join(FRAGMENTS), "\n".join(FRAGMENTS)])
def test_same_html_as_python_markdown(text):
    assert MarkdownRenderer(allow_raw_html=True).render(text).html == stock_html(text)


def test_every_inline_pattern_is_known():
    """A Markdown upgrade that changes a pattern has it always tried (slower, still right): update."""
    md = MarkdownRenderer()._md
    processors = [p for p in md.treeprocessors if isinstance(p, InlineProcessor)]
    assert len(processors) == 2
    for processor in processors:
        for pattern in processor.inlinePatterns:
            assert pattern.compiled_re.pattern in _REQUIRED_TEXT, pattern
