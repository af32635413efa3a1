"""An article's summary as pages show it: inline Markdown with the body's typography, and plain text.

A summary written in front matter is Markdown like the body (``*The Tempest*``, straight quotes that
smarty makes curly), so it is rendered by the body's renderer: listings and the standfirst show its
HTML, and feeds, meta descriptions and the search index its text. A summary that only repeats the start
of the first paragraph (as imported summaries do) is not shown above the body a second time.
"""

from __future__ import annotations

import html
import re

from site_builder.sources.markup import MarkdownRenderer

_TAG = re.compile(r"<[^>]+>")
_ONE_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.S)
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_ELLIPSIS = ("…", "...")


def render_summary(text: str, renderer: MarkdownRenderer) -> tuple[str, str]:
    """(plain text, inline HTML) of a summary written in Markdown; the HTML is "" when it holds no
    markup beyond the text (pages then escape the plain text, which has the same curly quotes). Raw
    HTML is not read in a summary: its "<" is kept as text, as the summary was always shown."""
    rendered = renderer.render(text.replace("<", "&lt;")).html.strip()  # "<" is text here, never a tag
    paragraph = _ONE_PARAGRAPH.match(rendered)
    inline = paragraph.group(1).strip() if paragraph and "<p>" not in paragraph.group(1) else None
    plain = " ".join(html.unescape(_TAG.sub(" " if inline is None else "", rendered)).split())
    if inline is None or not _TAG.search(inline):  # block Markdown (a list, a heading) or text alone
        return plain, ""
    return plain, inline


def repeats_opening(summary: str, body_html: str) -> bool:
    """Is *summary* (plain text) the start of the body's first paragraph, perhaps cut with an ellipsis?"""
    match = _FIRST_PARAGRAPH.search(body_html)
    if match is None or not summary.strip():
        return False
    opening = _comparable(html.unescape(_TAG.sub("", match.group(1))))
    said = summary.strip()
    for ellipsis in _ELLIPSIS:
        said = said.removesuffix(ellipsis)
    said = _comparable(said).rstrip(",;:")
    return bool(said) and opening.startswith(said)


_STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " "})


def _comparable(text: str) -> str:
    """Text compared whatever its typography and spacing: a summary written with straight quotes
    repeats a body whose quotes smarty made curly."""
    return " ".join(text.translate(_STRAIGHT).casefold().split())
