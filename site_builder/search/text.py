"""Words as the index and the search page see them: lower-cased, accents stripped, split on anything
that is not a letter or a digit (``assets/search.js`` splits a query the same way), stop words dropped."""

from __future__ import annotations

import functools
import html
import re
import sys
import unicodedata

from site_builder.model.article import ArticleBody

STOP_TEXT = (
    "a an and are as at be but by for from has have he her his i in is it its of on or our she that the "
    "their them they this to was we were which who will with you"
)  # the same list is in assets/search.js


STOP_WORDS = frozenset(STOP_TEXT.split())


_WORD = re.compile(r"[^\W_]+")


_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|tr|td|th|br|hr|figure|figcaption|section)\b[^>]*>",
    re.I,
)


_TAG = re.compile(r"<[^>]+>")


def words(text: str) -> set[str]:
    """Index terms of *text*: lower case, accents removed, stop words and single letters dropped.

    The same terms as ``text.toLowerCase().normalize("NFKD").replace(/\\p{Mn}/gu, "")`` split on
    anything but letters and digits in search.js. Only words that are not plain ASCII are folded.
    """
    lowered = text.lower()
    if not lowered.isascii():
        lowered = unicodedata.normalize("NFC", lowered)
    found = set(_WORD.findall(lowered))
    if not lowered.isascii():
        found = {part for w in found for part in ((w,) if w.isascii() else _fold(w))}
    return {w for w in found if (len(w) > 1 or w.isdigit()) and w not in STOP_WORDS}


@functools.lru_cache(maxsize=65536)
def _fold(word: str) -> tuple[str, ...]:
    """The accent-free parts of a non-ASCII word (a mark left between letters splits it, as in JS)."""
    return tuple(_WORD.findall(unicodedata.normalize("NFKD", word).translate(_marks())))


@functools.cache
def _marks() -> dict[int, None]:
    """A str.translate table deleting every non-spacing mark (Unicode category Mn): accents."""
    return {c: None for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Mn"}


def plain_text(body_html: str) -> str:
    """The text a reader sees: blocks separated by a space, inline markup removed without one."""
    return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", body_html))).split())


def document_text(body: ArticleBody) -> tuple[str, frozenset[str]]:
    """What the index needs of one article body: its plain text and its words (cached per article)."""
    text = plain_text(body.html)
    return text, frozenset(words(text))
