"""The static search index behind /search/: small JSON files a browser fetches only as a query needs them.

Chosen over Pagefind by measurement on a 10,000-article archive (see the report in the reader branch
and ``tests/test_search_index.py``): a query downloads the index shards of its words, one posting file
per active filter and one small file per result shown, with no WebAssembly runtime to fetch first.
Being plain text pages of the page plan, the index is byte-for-byte deterministic, fingerprinted like
every other page (only files whose bytes change are written) and needs no post-build step.

Layout under ``search/index/`` (all site-relative, so it works under a subpath and from any server):

- ``meta.json``: format version, number of documents, the word shards split into 3-letter keys.
- ``t/<hex of the first 2 (or 3) letters>.json``: ``{word: [ids, ids in title/people/tags]}``, each id
  list delta-encoded in base 36 and comma-separated. Ids run oldest first, so the newest are last.
- ``f/p/<person slug>.json``, ``f/t/<tag slug>.json``, ``f/y/<year>.json``: id lists for the filters.
- ``d/<id>.json``: what a result shows: url, title, date, people, tags and the text for the snippet.

Words are lower-cased, stripped of accents and split on anything that is not a letter or a digit,
the same way ``assets/search.js`` splits a query.
"""

from __future__ import annotations

import functools
import html
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from .content import ArticleBody
from .planner import Page

FORMAT_VERSION = 1
INDEX_DIR = "search/index/"
SHARD_LIMIT = 24_000  # bytes; a 2-letter shard larger than this is split by the third letter
SNIPPET_TEXT = 6_000  # characters of body text kept per document for snippets
_STOP_TEXT = (
    "a an and are as at be but by for from has have he her his i in is it its of on or our she that the "
    "their them they this to was we were which who will with you"
)  # the same list is in assets/search.js
STOP_WORDS = frozenset(_STOP_TEXT.split())
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


def encode_ids(ids: Iterable[int]) -> str:
    """Sorted ids as comma-separated base-36 gaps: short for the long lists of common words."""
    out, previous = [], 0
    for number in sorted(set(ids)):
        gap = number - previous
        out.append(_SMALL[gap] if gap < len(_SMALL) else _base36(gap))
        previous = number
    return ",".join(out)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


_SMALL = [_base36(n) for n in range(36 * 36)]


def shard_key(term: str, split: set[str]) -> str:
    key = term[:2]
    return term[:3] if key in split and len(term) > 2 else key


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _text_page(path: str, value: Any) -> Page:
    return Page(INDEX_DIR + path, "text", {"text": _json(value)})


def _documents(pages: list[Page]) -> list[dict[str, Any]]:
    """The article views of the plan, oldest first (undated before dated), as search documents."""
    articles = [p for p in pages if p.kind == "html" and p.context.get("kind") == "article" and p.body_key]
    return sorted(
        ({**p.context["article"], "key": p.body_key} for p in articles),
        key=lambda a: (a.get("date") is not None, a.get("date") or "", a["url"]),
    )


def document_text(body: ArticleBody) -> tuple[str, frozenset[str]]:
    """What the index needs of one article body: its plain text and its words (cached per article)."""
    text = plain_text(body.html)
    return text, frozenset(words(text))


def search_pages(pages: list[Page], load_text: Callable[[str], tuple[str, frozenset[str]]]) -> list[Page]:
    """The index files for the articles planned in *pages*; *load_text* gives :func:`document_text`."""
    postings: dict[str, set[int]] = defaultdict(set)
    strong: dict[str, set[int]] = defaultdict(set)
    filters: dict[tuple[str, str], set[int]] = defaultdict(set)
    out: list[Page] = []
    documents = _documents(pages)
    for number, doc in enumerate(documents):
        text, body_words = load_text(doc["key"])
        people = [p["name"] for p in doc.get("people", [])]
        tags = [t["name"] for t in doc.get("tags", [])]
        labels = " ".join([doc["title"], *people, *tags])
        for word in words(labels):
            strong[word].add(number)
            postings[word].add(number)
        for word in body_words:
            postings[word].add(number)
        for person in doc.get("people", []):
            filters[("p", person["slug"])].add(number)
        for tag in doc.get("tags", []):
            filters[("t", tag["url"].rstrip("/").rsplit("/", 1)[-1])].add(number)
        if doc.get("date"):
            filters[("y", doc["date"][:4])].add(number)
        out.append(_text_page(f"d/{number}.json", _result_view(doc, people, tags, text)))
    split = _split_keys(postings)
    shards: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for term in sorted(postings):
        shards[shard_key(term, split)][term] = [encode_ids(postings[term]), encode_ids(strong.get(term, ()))]
    for key in sorted(shards):
        out.append(_text_page(f"t/{key.encode().hex()}.json", shards[key]))
    for (kind, value), ids in sorted(filters.items()):
        out.append(_text_page(f"f/{kind}/{value}.json", encode_ids(ids)))
    meta = {"version": FORMAT_VERSION, "docs": len(documents), "split": sorted(split)}
    out.append(_text_page("meta.json", meta))
    return out


def _result_view(doc: dict[str, Any], people: list[str], tags: list[str], text: str) -> dict[str, Any]:
    cut = text[:SNIPPET_TEXT]
    if len(text) > SNIPPET_TEXT:
        cut = cut.rsplit(" ", 1)[0] + " …"
    return {"u": doc["url"], "t": doc["title"], "d": doc.get("date"), "p": people, "g": tags, "x": cut}


def _split_keys(postings: dict[str, set[int]]) -> set[str]:
    """2-letter keys whose shard would exceed SHARD_LIMIT bytes (estimated from the id lists)."""
    size: dict[str, int] = defaultdict(int)
    for term, ids in postings.items():
        size[term[:2]] += len(term) + 8 + 3 * len(ids)
    return {key for key, total in size.items() if total > SHARD_LIMIT}
