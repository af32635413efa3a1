"""The static search index behind /search/: small JSON files a browser fetches only as a query needs them.

Chosen over Pagefind by measurement on a 10,000-article archive (see benchmarks/README.md): a query
downloads the index shards of its words, one posting file
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

The index is a function of the published articles alone (:func:`search_pages`). Builds keep it up to
date incrementally (:class:`SearchIndex`, :func:`update_index`): the state is saved in the build cache
and the index files are ``stored`` pages whose text the renderer reads from there, so a one-edit
rebuild re-encodes only the posting lists, shards and files that the edit changes.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import pickle
import uuid
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from site_builder.model.article import Article
from site_builder.model.page import Page
from site_builder.process import collector_paused
from site_builder.search.documents import (
    _KEY,
    _URL,
    SNIPPET_TEXT,
    Document,
    LoadText,
    _doc_view,
    _documents_with_bytes,
    _filter_keys,
    _label_words,
    _remembered,
)
from site_builder.search.encoding import (
    changed_ids,
    encode_sorted,
    id_array,
    index_json,
    shard_key,
    term_size,
)
from site_builder.search.store import SearchStore
from site_builder.search.text import STOP_TEXT, WORDS_VERSION, document_text

FORMAT_VERSION = 1
INDEX_DIR = "search/index/"
SHARD_LIMIT = 24_000  # bytes; a 2-letter shard larger than this is split by the third letter


def search_pages(articles: Iterable[Article], load_text: LoadText) -> list[Page]:
    """The index files for the published *articles* (built from scratch); *load_text* gives
    :func:`document_text` of an article body key."""
    return SearchIndex.build(articles, load_text).pages()


class SearchIndex:
    """The index of a set of published articles, kept so that it can be updated exactly.

    ``SearchIndex.build(articles, load_text)`` builds it from scratch; ``index.update(articles,
    load_text)`` turns it into the index of the new *articles*, giving exactly the files a build from
    scratch gives (same bytes, same paths). Documents are compared position by position (a document's id
    is its position, oldest first): only the changed positions' words are looked up, only the posting
    lists of terms whose ids changed are decoded and re-encoded (only around the changed ids), and only
    the shards holding them, the changed documents' ``d/<id>.json``, the changed filter lists and
    ``meta.json`` are serialised again. An article added or removed in the middle of the timeline (or
    re-dated) shifts the ids of every later document, so when more than *rebuild_above* of the documents
    change position or content the index is rebuilt from scratch instead.

    :meth:`pages` gives every file as a ``text`` page; the build uses :meth:`stored_pages` instead, whose
    context is only the SHA-256 of the text, kept (with the text) in the build cache by :meth:`save`: a
    new process need not read the 60 MB of a 10,000-article index, and pages are fingerprinted cheaply.
    Unchanged files keep their :class:`Page` objects. A long-running process (the dev server) keeps the
    object between builds; a new one restores it from the cache with :meth:`load` (see
    :func:`update_index`), and :meth:`save` writes back only what changed since the last save or load.
    """

    def __init__(self) -> None:
        self.blobs: list[bytes] = []  # the documents by id, marshalled (compared as bytes: cheap)
        self.split: set[str] = set()
        self.sizes: dict[str, int] = {}  # 2-letter prefix -> estimated shard bytes (decides the split)
        self.digests: dict[str, str] = {}  # path under search/index/ -> SHA-256 of its text
        self.texts: dict[str, str] = {}  # the texts at hand (all of them after a build from scratch)
        self.store: Callable[[str], str] | None = None  # the others, by output path (from the cache)
        # when set, texts are written through to the cache (path under search/index/, text) as they
        # are made instead of being kept until save: a 100,000-article index is too large to hold
        self.spill: Callable[[str, str], None] | None = None
        self.keep_pages = True  # keep the stored pages made (see iter_stored_pages) and the documents
        self.shard_keys: set[str] = set()
        self.filter_keys: set[tuple[str, str]] = set()
        self.token = ""  # the saved state this object matches ("" when none)
        self._stored: dict[str, Page] = {}
        self._replace = True  # save everything: built from scratch since the last save
        self._dirty: set[str] = set()  # paths written or removed since the last save
        self._dirty_docs: set[int] = set()
        self._touched: set[str] = set()  # paths written or removed by the last update
        self._urls: dict[str, int] | None = None  # article URL -> document id, made when needed

    # files ----------------------------------------------------------------------
    def _set(self, path: str, value: Any) -> None:
        text = index_json(value)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        changed = self.digests.get(path) != digest
        if self.spill is None:
            self.texts[path] = text
        else:
            self.texts.pop(path, None)
            if changed:
                self.spill(path, text)
        if changed:
            self.digests[path] = digest
            self._stored.pop(path, None)
            self._dirty.add(path)
            self._touched.add(path)

    def _drop(self, path: str) -> None:
        self.digests.pop(path, None)
        self.texts.pop(path, None)
        self._stored.pop(path, None)
        self._dirty.add(path)
        self._touched.add(path)

    def text(self, path: str) -> str:
        """The text of one index file (*path* under search/index/)."""
        text = self.texts.get(path)
        if text is None:
            if self.store is None:
                raise KeyError(path)
            text = self.store(INDEX_DIR + path)
            if self.spill is None:
                self.texts[path] = text
        return text

    def paths(self) -> list[str]:
        """Every file of the index: documents by id, then shards, filters and meta.json."""
        return list(self._paths())

    def _paths(self) -> Iterator[str]:
        return _paths(len(self.blobs), self.shard_keys, self.filter_keys)

    def pages(self) -> list[Page]:
        """Every file as a ``text`` page (its whole text in the context)."""
        return [Page(INDEX_DIR + path, "text", {"text": self.text(path)}) for path in self.paths()]

    def stored_pages(self) -> list[Page]:
        """Every file as a ``stored`` page: the renderer reads its text from the cache (see save)."""
        return list(self.iter_stored_pages())

    def iter_stored_pages(self) -> Iterator[Page]:
        """The pages of :meth:`stored_pages`, made as they are taken; kept for the next call (the same
        objects while unchanged) only when *keep_pages* (a long-running process)."""
        return map(self._stored_page, self._paths())

    def _stored_page(self, path: str) -> Page:
        page = self._stored.get(path)
        if page is None:
            page = Page(INDEX_DIR + path, "stored", {"sha256": self.digests[path]})
            if self.keep_pages:
                self._stored[path] = page
        return page

    def touched_pages(self) -> tuple[list[Page], list[str]]:
        """The stored pages of the files the last update wrote, and the output paths of those it removed."""
        pages = [self._stored_page(path) for path in sorted(self._touched) if path in self.digests]
        return pages, [INDEX_DIR + path for path in sorted(self._touched) if path not in self.digests]

    def take_stored_pages(self) -> Iterator[Page]:
        """The pages of :meth:`stored_pages` for a one-off build, once the index is saved: made as they
        are taken, while this object is emptied now (it is not usable afterwards). At 100,000 articles
        its documents and file digests weigh some 70 MB that the rendering would otherwise hold."""
        paths = _paths(len(self.blobs), self.shard_keys, self.filter_keys)
        digests = self.digests
        self.__init__()  # type: ignore[misc]
        return (Page(INDEX_DIR + path, "stored", {"sha256": digests.pop(path)}) for path in paths)

    # building -----------------------------------------------------------------
    @classmethod
    def build(
        cls,
        articles: Iterable[Article],
        load_text: LoadText,
        spill: Callable[[str, str], None] | None = None,
        keep: bool = True,
    ) -> SearchIndex:
        """The index of *articles* from scratch; *keep*: see :func:`_remembered`."""
        index = cls()
        index.spill = spill
        pairs = _documents_with_bytes(articles, keep)
        index._rebuild([doc for doc, _ in pairs], [blob for _, blob in pairs], load_text)
        return index

    def _rebuild(self, docs: list[Document], blobs: list[bytes], load_text: LoadText) -> None:
        # compact id lists (4 bytes an id; 30 million (term, document) pairs at 100,000 articles)
        postings: dict[str, array] = defaultdict(id_array)
        strong: dict[str, array] = defaultdict(id_array)
        filters: dict[tuple[str, str], array] = defaultdict(id_array)
        previous, kept = self.digests, self._stored
        self.digests, self.texts, self._stored, self._dirty, self._dirty_docs = {}, {}, {}, set(), set()
        for number, doc in enumerate(docs):  # ids ascending: every list comes out sorted
            text, body_words = load_text(doc[_KEY])
            labels = _label_words(doc)
            for word in labels:
                strong[word].append(number)
            for word in labels.union(body_words):
                postings[word].append(number)
            for key in _filter_keys(doc):
                filters[key].append(number)
            self._set(f"d/{number}.json", _doc_view(doc, text))
        sizes: dict[str, int] = defaultdict(int)
        for term, ids in postings.items():
            sizes[term[:2]] += term_size(term, len(ids))
        split = {key for key, total in sizes.items() if total > SHARD_LIMIT}
        by_shard: dict[str, list[str]] = defaultdict(list)
        for term in postings:
            by_shard[shard_key(term, split)].append(term)
        for key, terms in by_shard.items():  # one shard at a time, its id lists dropped once encoded
            entries = {}
            for term in terms:
                ids, label_ids = postings.pop(term), strong.pop(term, ())
                entries[term] = [encode_sorted(ids), encode_sorted(label_ids)]
            self._set(_shard_path(key), entries)
        for key, ids in filters.items():
            self._set(_filter_path(key), encode_sorted(ids))
        self.blobs, self.split, self.sizes = blobs, split, dict(sizes)
        self.shard_keys, self.filter_keys = set(by_shard), set(filters)
        self._set("meta.json", self._meta())
        self._stored = {path: page for path, page in kept.items() if previous[path] == self.digests.get(path)}
        self._touched |= previous.keys() - self.digests.keys()
        self._replace, self._urls = True, None

    def _meta(self) -> dict[str, Any]:
        return {"version": FORMAT_VERSION, "docs": len(self.blobs), "split": sorted(self.split)}

    # updating -----------------------------------------------------------------
    def update(
        self, articles: Iterable[Article], load_text: LoadText, *, rebuild_above: float = 0.25
    ) -> bool:
        """Make this the index of *articles*; False when that took a rebuild from scratch."""
        pairs, old = _documents_with_bytes(articles, self.keep_pages), self.blobs
        docs, blobs = [doc for doc, _ in pairs], [blob for _, blob in pairs]
        changed = [number for number, (was, now) in enumerate(zip(old, blobs, strict=False)) if was != now]
        changed += range(min(len(old), len(docs)), max(len(old), len(docs)))
        if not changed:
            return True
        self.token = ""  # no longer the saved state, whatever happens below
        if len(changed) > rebuild_above * max(len(old), len(docs)):
            self._rebuild(docs, blobs, load_text)
            return False
        try:
            delta = _Delta.between(old, lambda n: docs[n] if n < len(docs) else None, changed, load_text)
        except KeyError:  # an old body's words are gone from the cache: start again
            self._rebuild(docs, blobs, load_text)
            return False
        self._apply(delta, changed, lambda n: docs[n] if n < len(docs) else None, blobs)
        self._urls = None  # documents may have moved
        return True

    def update_edited(self, edited: Iterable[Article], load_text: LoadText) -> bool:
        """:meth:`update` for articles edited in place: each keeps its URL and date, so its document
        keeps its id and only these are compared. False (nothing done) when one is not in the index:
        the caller then updates from the whole list."""
        if self._urls is None:
            self._urls = {marshal.loads(blob)[_URL]: number for number, blob in enumerate(self.blobs)}
        docs: dict[int, Document] = {}
        blobs = list(self.blobs)
        for article in edited:
            number = self._urls.get(article.url)
            if number is None or not article.key:
                return False
            docs[number], blobs[number] = _remembered(article)
        changed = sorted(number for number in docs if blobs[number] != self.blobs[number])
        if not changed:
            return True
        try:
            delta = _Delta.between(self.blobs, docs.get, changed, load_text)
        except KeyError:  # an old body's words are gone from the cache
            return False
        self.token = ""
        self._apply(delta, changed, docs.get, blobs)
        return True

    def _apply(
        self, delta: _Delta, changed: list[int], new: Callable[[int], Document | None], blobs: list[bytes]
    ) -> None:
        """Write what *delta* changes: posting lists, filters, the *changed* documents (*new*: the new
        document of an id, None past the end) and meta.json if the count or the split changed."""
        count, split = len(self.blobs), self.split
        self._apply_postings(delta)
        self._apply_filters(delta)
        for number in changed:
            doc = new(number)
            if doc is not None:
                self._set(f"d/{number}.json", _doc_view(doc, delta.texts[doc[_KEY]][0]))
            else:
                self._drop(f"d/{number}.json")
            self._dirty_docs.add(number)
        self.blobs = blobs
        if len(blobs) != count or split != self.split:
            self._set("meta.json", self._meta())

    def _apply_postings(self, delta: _Delta) -> None:
        touched: dict[str, dict[str, list[str]]] = {}  # shard key -> its entries, as changed

        def shard(key: str) -> dict[str, list[str]]:
            if key not in touched:
                touched[key] = json.loads(self.text(_shard_path(key))) if key in self.shard_keys else {}
            return touched[key]

        terms = delta.add.keys() | delta.remove.keys() | delta.add_strong.keys() | delta.remove_strong.keys()
        for term in terms:
            entries = shard(shard_key(term, self.split))
            was_all, was_strong = entries.get(term, ("", ""))
            all_ids, before, after = changed_ids(was_all, delta.add.get(term), delta.remove.get(term))
            strong_ids = changed_ids(was_strong, delta.add_strong.get(term), delta.remove_strong.get(term))[0]
            if after:
                entries[term] = [all_ids, strong_ids]
            else:
                entries.pop(term, None)
            prefix = term[:2]
            total = self.sizes.get(prefix, 0) + term_size(term, after) - term_size(term, before)
            if total:
                self.sizes[prefix] = total
            else:
                self.sizes.pop(prefix, None)
        split = {prefix for prefix, total in self.sizes.items() if total > SHARD_LIMIT}
        for prefix in sorted(split ^ self.split):  # these shards are cut differently now: deal them again
            merged: dict[str, list[str]] = {}
            for key in [k for k in self.shard_keys | touched.keys() if k[:2] == prefix]:
                merged.update(shard(key))
                touched[key] = {}
            for term, entry in merged.items():
                shard(shard_key(term, split))[term] = entry
        self.split = split
        for key, entries in touched.items():
            if entries:
                self._set(_shard_path(key), entries)
                self.shard_keys.add(key)
            elif key in self.shard_keys:
                self._drop(_shard_path(key))
                self.shard_keys.discard(key)

    def _apply_filters(self, delta: _Delta) -> None:
        for key in delta.add_filter.keys() | delta.remove_filter.keys():
            path = _filter_path(key)
            was = json.loads(self.text(path)) if key in self.filter_keys else ""
            ids, _, after = changed_ids(was, delta.add_filter.get(key), delta.remove_filter.get(key))
            if after:
                self._set(path, ids)
                self.filter_keys.add(key)
            else:
                self._drop(path)
                self.filter_keys.discard(key)

    # persistence ----------------------------------------------------------------
    @classmethod
    def load(cls, cache: SearchStore) -> SearchIndex | None:
        """The index saved in *cache* by the last build, or None (none saved, or another format)."""
        saved = cache.search_index()
        if saved is None:
            return None
        token, state, doc_rows, file_rows = saved
        try:
            params, split, sizes = pickle.loads(state)
        except Exception:  # noqa: BLE001 - unreadable: rebuilt
            return None
        if params != _PARAMS:
            return None
        index = cls()
        index.blobs, index.split, index.sizes = doc_rows, split, sizes
        cut = len(INDEX_DIR)
        index.digests = {path[cut:]: digest for path, digest in file_rows}
        for path in index.digests:
            if path.startswith("t/"):
                index.shard_keys.add(bytes.fromhex(path[2:-5]).decode("utf-8"))
            elif path.startswith("f/"):
                index.filter_keys.add((path[2], path[4:-5]))
        if set(index.paths()) != index.digests.keys():
            return None
        index.store, index.token, index._replace = cache.stored_text, token, False
        return index

    def save(self, cache: SearchStore) -> None:
        """Write what changed since the last save or load to *cache* (committed in one transaction)."""
        if self.token and not self._replace and not self._dirty and not self._dirty_docs:
            return  # unchanged since saved
        token = uuid.uuid4().hex
        state = pickle.dumps((_PARAMS, self.split, self.sizes), protocol=5)
        if self._replace:
            doc_numbers: Iterable[int] = range(len(self.blobs))
            paths: Iterable[str] = self.digests
        else:
            doc_numbers = sorted(n for n in self._dirty_docs if n < len(self.blobs))
            paths = self._dirty
        files = [
            (INDEX_DIR + p, self.digests.get(p), self.texts.get(p) if p in self.digests else None)
            for p in paths
        ]
        cache.store_search_index(
            token,
            state,
            replace=self._replace,
            docs=[(n, self.blobs[n]) for n in doc_numbers],
            doc_count=len(self.blobs),
            files=files,
        )
        for path in paths:  # the cache holds them now (text() reads back those an update needs)
            self.texts.pop(path, None)
        self.token, self._replace, self._dirty, self._dirty_docs = token, False, set(), set()
        self.store = cache.stored_text


def update_index(
    cache: SearchStore,
    articles: Iterable[Article],
    index: SearchIndex | None = None,
    *,
    keep_pages: bool = True,
    edited: list[Article] | None = None,
) -> SearchIndex:
    """The search index of *articles*, updated from *index* or else from the index saved in *cache*.

    A long-running process passes the index this returned last time (it is used only while it is still
    what *cache* holds: a build by another process in between makes it reload). The result is saved to
    *cache*, so the next build, in this process or another, starts from it; its :meth:`stored_pages`
    are the pages to build. Article words come from the cache's ``search`` table
    (:meth:`SearchStore.search_text`). Without *keep_pages* (a one-off build), the pages are made only
    as the build takes them (:meth:`SearchIndex.iter_stored_pages`).
    """

    def load_text(key: str) -> tuple[str, frozenset[str]]:
        return cache.search_text(key, document_text)

    def spill(path: str, text: str) -> None:
        cache.spill_search_text(INDEX_DIR + path, text)

    with collector_paused():
        if index is None or not index.token or index.token != cache.search_token():
            index = SearchIndex.load(cache)
        if index is None:
            index = SearchIndex.build(articles, load_text, spill, keep_pages)
        else:
            index.store, index.spill, index.keep_pages = cache.stored_text, spill, keep_pages
            index._touched = set()
            if edited is None or not index.update_edited(edited, load_text):
                index.update(articles, load_text)
        index.save(cache)
        index.keep_pages = keep_pages
        if keep_pages and edited is None:
            index.stored_pages()  # made here, kept for the build's call
    return index


@dataclass
class _Delta:
    """What changes between two document lists at the changed positions: ids to add and remove per
    term (all words, and label words), per filter, and the texts of the documents involved."""

    texts: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    add: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    remove: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    add_strong: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    remove_strong: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    add_filter: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    remove_filter: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def between(
        cls, old: list[bytes], new: Callable[[int], Document | None], changed: list[int], load_text: LoadText
    ) -> _Delta:
        """*new*: the new document of an id (None past the end)."""
        delta = cls()
        for number in changed:  # ascending, so every id list below is sorted
            was_all, was_strong, was_filters = delta.terms(
                marshal.loads(old[number]) if number < len(old) else None, load_text
            )
            all_, strong, filters = delta.terms(new(number), load_text)
            for was, now, added, removed in (
                (was_all, all_, delta.add, delta.remove),
                (was_strong, strong, delta.add_strong, delta.remove_strong),
                (was_filters, filters, delta.add_filter, delta.remove_filter),
            ):
                for item in was - now:
                    removed[item].append(number)
                for item in now - was:
                    added[item].append(number)
        return delta

    def terms(
        self, doc: Document | None, load_text: LoadText
    ) -> tuple[set[str], set[str], set[tuple[str, str]]]:
        if doc is None:
            return set(), set(), set()
        if doc[_KEY] not in self.texts:
            self.texts[doc[_KEY]] = load_text(doc[_KEY])
        labels = _label_words(doc)
        return labels.union(self.texts[doc[_KEY]][1]), labels, _filter_keys(doc)


# a saved index made otherwise is not used
_PARAMS = (FORMAT_VERSION, SHARD_LIMIT, SNIPPET_TEXT, STOP_TEXT, WORDS_VERSION)


def _paths(documents: int, shard_keys: set[str], filter_keys: set[tuple[str, str]]) -> Iterator[str]:
    """Every file of an index: documents by id, then shards, filters and meta.json."""
    yield from (f"d/{number}.json" for number in range(documents))
    yield from (_shard_path(key) for key in sorted(shard_keys))
    yield from (_filter_path(key) for key in sorted(filter_keys))
    yield "meta.json"


def _shard_path(key: str) -> str:
    return f"t/{key.encode().hex()}.json"


def _filter_path(key: tuple[str, str]) -> str:
    return f"f/{key[0]}/{key[1]}.json"
