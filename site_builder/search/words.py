"""The words of the search index, and of a query: Unicode-aware splitting and folding.

Text is folded before it is split: lower case; accents and other non-spacing marks removed after
Unicode compatibility decomposition (NFKD: "München" and "Muenchen"'s reader both type "munchen", "ﬁ"
is "fi", Greek tonos and Arabic short vowels go); a few letters that do not decompose are spelled as
readers type them without them ("ß" as "ss", "ł" as "l", "ø" as "o", final "ς" as "σ"); in Arabic the
tatweel is dropped and alef maqsura and ta marbuta are read as ya and ha, as Arabic search does. Words
are runs of letters, digits and spacing marks (the vowel signs of Indic scripts), so Arabic, Cyrillic,
Greek, Hebrew and Devanagari text is indexed word by word. Chinese and Japanese, written without spaces,
are indexed as overlapping pairs of characters (a lone character stands alone), so a query of two or
more characters finds them anywhere. Thai, Lao, Khmer and Burmese runs stay whole (they need a
dictionary to split).

``assets/search.js`` folds and splits a query with the same rules (``fold`` and ``words`` there; the
tests run both on the same texts). A change here changes the index: bump WORDS_VERSION, and the build
cache's schema, whose search table keeps each article's words.
"""

from __future__ import annotations

import functools
import re
import unicodedata

WORDS_VERSION = 2
STOP_TEXT = (
    "a an and are as at be but by for from has have he her his i in is it its of on or our she that the "
    "their them they this to was we were which who will with you"
)  # the same list is in assets/search.js
STOP_WORDS = frozenset(STOP_TEXT.split())
# Letters that do not decompose under NFKD, as readers type them without their marks (after lower case).
SPELLED = {
    "ß": "ss", "ς": "σ", "ı": "i", "ł": "l", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th",
    "\u0640": "",  # Arabic tatweel (a stretch of the line, not a letter)
    "ى": "ي", "ة": "ه", "ٱ": "ا",  # Arabic alef maqsura, ta marbuta, alef wasla
}  # fmt: skip
_ASCII_WORD = re.compile(r"[a-z0-9]+")
# Han ideographs, hiragana and katakana: no spaces between words
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK_RUN = re.compile(f"[{CJK}]+")


# Every spacing or enclosing mark (the only kinds the word pattern needs to list) lies below this code
# point; tests/unit/test_search_words.py checks it against the whole of Unicode.
MARKS_BELOW = 0x20000


class _Folding(dict):
    """``str.translate``'s table: non-spacing marks deleted, SPELLED letters replaced, every other
    character kept. Filled as characters are met: deciding all of Unicode's up front took a third of a
    second in every process (a one-edit build, each worker)."""

    def __missing__(self, code: int) -> int | None:
        folded = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = folded
        return folded


_FOLDING = _Folding({ord(letter): spelled for letter, spelled in SPELLED.items()})


@functools.cache
def _word_pattern() -> re.Pattern[str]:
    """Letters and digits, and the spacing and enclosing marks that are part of words (Indic vowel signs)."""
    marks = "".join(chr(c) for c in range(MARKS_BELOW) if unicodedata.category(chr(c)) in ("Mc", "Me"))
    return re.compile(f"(?:[^\\W_]|[{re.escape(marks)}])+")


def fold(text: str) -> str:
    """*text* as the index compares it: lower case, without accents and marks (see the module)."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    # lower case again after the decomposition: "𝐀" and "Ⓐ" decompose to a capital A
    return unicodedata.normalize("NFKD", lowered).lower().translate(_FOLDING)


def split_words(folded: str) -> list[str]:
    """The words of folded text, Chinese and Japanese runs as pairs of characters."""
    if folded.isascii():
        return _ASCII_WORD.findall(folded)
    found = _word_pattern().findall(folded)
    if not _CJK_RUN.search(folded):
        return found
    return [part for word in found for part in _split_cjk(word)]


def _split_cjk(word: str) -> list[str]:
    parts, at = [], 0
    for run in _CJK_RUN.finditer(word):
        if run.start() > at:
            parts.append(word[at : run.start()])
        chars = run.group()
        parts += [chars] if len(chars) == 1 else [chars[i : i + 2] for i in range(len(chars) - 1)]
        at = run.end()
    if at < len(word):
        parts.append(word[at:])
    return parts


def words(text: str) -> set[str]:
    """Index terms of *text*: folded, split, stop words and lone letters (but CJK ones) dropped.

    The same terms as ``split_words(fold(text))``, found faster: folding works character by character
    and whitespace folds to whitespace, so the text's ASCII stretches are split as they are and only
    its chunks (between spaces) with other characters are folded, each once per process."""
    lowered = text.lower()
    if lowered.isascii():
        found = set(_ASCII_WORD.findall(lowered))
    else:
        matches = set(_WORD_OR_CHUNK.findall(lowered))
        chunks = [match for match in matches if not match.isascii()]
        found = matches.difference(chunks)
        for chunk in chunks:
            found.update(_chunk_words(chunk))
    cjk = _CJK_RUN.match
    return {w for w in found if w not in STOP_WORDS and (len(w) > 1 or w.isdecimal() or cjk(w))}


# An ASCII word, or a whole chunk between spaces that holds a non-ASCII character (tried first; it can
# only start where a chunk starts)
_WORD_OR_CHUNK = re.compile(r"(?<!\S)[^\s\x80-\U0010ffff]*[^\x00-\x7f]\S*|[a-z0-9]+")


@functools.lru_cache(maxsize=65536)
def _chunk_words(chunk: str) -> tuple[str, ...]:
    return tuple(split_words(fold(chunk)))
