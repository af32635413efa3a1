"""What the index reads of an article body: the text a reader sees and its words (folded and split by
:mod:`site_builder.search.words`, as ``assets/search.js`` splits a query)."""

from __future__ import annotations

import html
import re

from site_builder.model.article import ArticleBody
from site_builder.search.words import STOP_TEXT, STOP_WORDS, WORDS_VERSION, words

__all__ = ["STOP_TEXT", "STOP_WORDS", "WORDS_VERSION", "document_text", "plain_text", "words"]

_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|tr|td|th|br|hr|figure|figcaption|section)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]+>")


def plain_text(body_html: str) -> str:
    """The text a reader sees: blocks separated by a space, inline markup removed without one."""
    return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", body_html))).split())


def document_text(body: ArticleBody) -> tuple[str, frozenset[str]]:
    """What the index needs of one article body: its plain text and its words (cached per article)."""
    text = plain_text(body.html)
    return text, frozenset(words(text))
