"""Search documents: what the index shows and finds of one article, as plain tuples (cheap to compare,
marshal and keep for 100,000 articles), made once per article and kept with it."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from site_builder.model.article import Article
from site_builder.search.text import words

SNIPPET_TEXT = 6_000  # characters of body text kept per document for snippets


# A search document: what the index shows and finds of one article. Plain tuples (cheap to compare,
# pickle and keep for 100k articles): see _document for the fields.
Document = tuple[
    str, str, str, str | None, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]
]


LoadText = Callable[[str], tuple[str, frozenset[str]]]


_KEY, _URL, _TITLE, _DATE, _NAMES, _PEOPLE, _TAG_NAMES, _TAGS = range(8)


_NAME, _SLUG = attrgetter("name"), attrgetter("slug")  # map() with these: 10,000 articles a build


def _document(article: Article) -> Document:
    """(body key, url, title, ISO date, people names, people slugs, tag names, tag slugs)."""
    people, tags, date = article.people, article.tags, article.date
    tag_slugs = tuple(map(_SLUG, tags))
    if "" in tag_slugs or "/" in "".join(tag_slugs):  # the filter is named after the tag URL's last part
        tag_slugs = tuple(f"tags/{slug}/".rstrip("/").rsplit("/", 1)[-1] for slug in tag_slugs)
    return (
        article.key,
        article.url,
        article.title,
        date.isoformat() if date else None,
        tuple(map(_NAME, people)),
        tuple(map(_SLUG, people)),
        tuple(map(_NAME, tags)),
        tag_slugs,
    )


def documents(articles: Iterable[Article]) -> list[Document]:
    """The documents of *articles*, oldest first (undated before dated, ties by url): position = id."""
    return [document for document, _ in _documents_with_bytes(articles)]


def _documents_with_bytes(articles: Iterable[Article], keep: bool = True) -> list[tuple[Document, bytes]]:
    found = [_remembered(a, keep) for a in articles if a.key]
    found.sort(key=lambda pair: (pair[0][_DATE] is not None, pair[0][_DATE] or "", pair[0][_URL]))
    return found


def remember_documents(articles: Iterable[Article]) -> None:
    """Make and keep each article's document now (for a snapshot of the site model: see snapshot.py)."""
    for article in articles:
        if article.key:
            _remembered(article)


def _remembered(article: Article, keep: bool = True) -> tuple[Document, bytes]:
    """An article's document and its marshalled bytes, made once and kept on the (immutable) article
    when *keep*: the dev server keeps unchanged articles between rebuilds, so an update makes only the
    edited ones (a one-off build does not keep them: 100,000 of them weigh some 80 MB)."""
    return article.derived("search_document", _document_with_bytes, keep)


def _document_with_bytes(article: Article) -> tuple[Document, bytes]:
    document = _document(article)
    return document, _marshal(document)


def _label_words(doc: Document) -> set[str]:
    """Words of the title, people and tags: a match there ranks higher (the second id list)."""
    return words(" ".join([doc[_TITLE], *doc[_NAMES], *doc[_TAG_NAMES]]))


def _filter_keys(doc: Document) -> set[tuple[str, str]]:
    keys = {("p", slug) for slug in doc[_PEOPLE]} | {("t", slug) for slug in doc[_TAGS]}
    if doc[_DATE]:
        keys.add(("y", doc[_DATE][:4]))
    return keys


def _doc_view(doc: Document, text: str) -> dict[str, Any]:
    cut = text[:SNIPPET_TEXT]
    if len(text) > SNIPPET_TEXT:
        cut = cut.rsplit(" ", 1)[0] + " …"
    view = {
        "u": doc[_URL],
        "t": doc[_TITLE],
        "d": doc[_DATE],
        "p": list(doc[_NAMES]),
        "g": list(doc[_TAG_NAMES]),
    }
    return {**view, "x": cut}


def _marshal(doc: Document) -> bytes:
    """Version 2: no back-references, so equal documents give equal bytes (but for string interning,
    which can only make an unchanged document look changed: updated for nothing, still exact)."""
    return marshal.dumps(doc, 2)
