"""The static search index behind /search/: small JSON files a browser fetches only as a query needs them.

Chosen over Pagefind by measurement (see benchmarks/README.md): a query downloads the shards of its
words, the newest chunks of their posting lists (older ones only while it needs more results) and the
files of the results it shows, with no WebAssembly runtime to fetch first, so what a query costs does
not grow with the archive. Being plain text pages of the page plan, the index is byte-for-byte
deterministic, fingerprinted like every other page (only files whose bytes change are written) and
needs no post-build step.

Layout under ``search/index/`` (all site-relative, so it works under a subpath and from any server):

- ``meta.json``: format version, number of documents, the split prefixes (see shards.py), documents
  per record file, the ranking boost and the stemmer used.
- ``s/<hex of a prefix>.json``: a shard of the dictionary, ``{"w": {word: stem}, "p": {stem: list}}``
  (shards.py): words are listed under their stems (Snowball, for the site's language), so a query for
  "elections" finds "elected". A stem's list is a pair (the documents holding it, those holding it in
  their title, people or tags), inline when short, else the names of its chunks (lists.py).
- ``c/<hex of a stem>/<level>-<index>.json``: one chunk of a long list: the ids in one interval of the
  id space (postings.py), at most CHUNK_IDS of them.
- ``f/p/<person slug>.json``, ``f/t/<tag slug>.json``, ``f/y/<year>.json``: the filters' lists, chunked
  the same way (``f/t/<slug>/<level>-<index>.json``).
- ``r/<n>.json``: the records of documents ``n * GROUP`` to ``n * GROUP + GROUP - 1``: url, title,
  day, people, tags and a short excerpt of the summary for the snippet.

Ids run oldest first (the newest are last), so the newest chunk of a list holds its most recent
documents. Words are lower-cased, stripped of accents and split on anything that is not a letter or a
digit, the same way ``assets/search.js`` splits a query.

The index is a function of the published articles and the site's language alone (:func:`search_pages`).
Builds keep it up to date incrementally (:class:`SearchIndex`, :func:`update_index`): the state is saved
in the build cache and the index files are ``stored`` pages whose text the renderer reads from there, so
a one-edit rebuild re-encodes only the chunks, shards, filters and record file that the edit changes.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import pickle
import uuid
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from site_builder.model.article import Article
from site_builder.model.page import Page
from site_builder.process import collector_paused
from site_builder.search import postings, shards
from site_builder.search.delta import Delta
from site_builder.search.documents import (
    _KEY,
    _URL,
    EXCERPT_CHARS,
    Document,
    LoadText,
    _documents_with_bytes,
    _filter_keys,
    _label_words,
    _remembered,
    record,
)
from site_builder.search.encoding import id_array, index_json
from site_builder.search.lists import count_of, update_list, write_list
from site_builder.search.paths import chunk_base, filter_base, filter_path, record_path, shard_path
from site_builder.search.postings import Changes
from site_builder.search.shards import (
    Shard,
    add_size,
    compact,
    deal_again,
    shard_key,
    split_of,
    stem_size,
    word_size,
)
from site_builder.search.stems import Stems
from site_builder.search.store import SearchStore
from site_builder.search.text import STOP_TEXT, WORDS_VERSION, document_text

FORMAT_VERSION = 2
INDEX_DIR = "search/index/"
GROUP = 8  # documents per record file (r/<n>.json)
BOOST = 2048  # ranking: a word in the title, people or tags counts as being this many documents newer


def search_pages(articles: Iterable[Article], load_text: LoadText, language: str = "en") -> list[Page]:
    """The index files for the published *articles* (built from scratch); *load_text* gives
    :func:`document_text` of an article body key."""
    return SearchIndex.build(articles, load_text, language=language).pages()


class SearchIndex:
    """The index of a set of published articles, kept so that it can be updated exactly.

    ``SearchIndex.build(articles, load_text)`` builds it from scratch; ``index.update(articles,
    load_text)`` turns it into the index of the new *articles*, giving exactly the files a build from
    scratch gives (same bytes, same paths). Documents are compared position by position (a document's id
    is its position, oldest first): only the changed positions' words are looked up, only the lists of
    stems and filters whose ids changed are updated (only the chunks around the changed ids are read and
    written), and only the shards holding them, the changed documents' record files and ``meta.json``
    are serialised again. An article added or removed in the middle of the timeline (or re-dated)
    shifts the ids of every later document, so when more than *rebuild_above* of the documents change
    position or content the index is rebuilt from scratch instead.

    :meth:`pages` gives every file as a ``text`` page; the build uses :meth:`stored_pages` instead, whose
    context is only the SHA-256 of the text, kept (with the text) in the build cache by :meth:`save`: a
    new process need not read the whole index, and pages are fingerprinted cheaply. Unchanged files keep
    their :class:`Page` objects. A long-running process (the dev server) keeps the object between
    builds; a new one restores it from the cache with :meth:`load` (see :func:`update_index`), and
    :meth:`save` writes back only what changed since the last save or load.
    """

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self.stems = Stems(language)
        self.blobs: list[bytes] = []  # the documents by id, marshalled (compared as bytes: cheap)
        self.split: set[str] = set()
        self.sizes: dict[str, int] = {}  # prefix -> estimated bytes of its entries (decides the split)
        self.words: dict[str, int] = {}  # word whose stem differs -> number of documents holding it
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
        """Every file of the index, in order of path."""
        return sorted(self.digests)

    def _paths(self) -> Iterator[str]:
        return iter(sorted(self.digests))

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
        paths = sorted(self.digests)
        digests = self.digests
        self.__init__(self.language)  # type: ignore[misc]
        return (Page(INDEX_DIR + path, "stored", {"sha256": digests.pop(path)}) for path in paths)

    # building -----------------------------------------------------------------
    @classmethod
    def build(
        cls,
        articles: Iterable[Article],
        load_text: LoadText,
        spill: Callable[[str, str], None] | None = None,
        keep: bool = True,
        language: str = "en",
    ) -> SearchIndex:
        """The index of *articles* from scratch; *keep*: see :func:`_remembered`."""
        index = cls(language)
        index.spill = spill
        pairs = _documents_with_bytes(articles, keep)
        index._rebuild([doc for doc, _ in pairs], [blob for _, blob in pairs], load_text)
        return index

    def _rebuild(self, docs: list[Document], blobs: list[bytes], load_text: LoadText) -> None:
        # compact id lists (4 bytes an id; 30 million (stem, document) pairs at 100,000 articles)
        postings: dict[str, array] = defaultdict(id_array)
        strong: dict[str, array] = defaultdict(id_array)
        filters: dict[tuple[str, str], array] = defaultdict(id_array)
        words: Counter = Counter()
        previous, kept = self.digests, self._stored
        self.digests, self.texts, self._stored, self._dirty, self._dirty_docs = {}, {}, {}, set(), set()
        stem = self.stems
        for number, doc in enumerate(docs):  # ids ascending: every list comes out sorted
            labels = _label_words(doc)
            every = labels.union(load_text(doc[_KEY])[1])
            for found in stem.of(every):
                postings[found].append(number)
            for found in stem.of(labels):
                strong[found].append(number)
            words.update(every & stem.differs)
            for key in _filter_keys(doc):
                filters[key].append(number)
        for start in range(0, len(docs), GROUP):
            self._set(record_path(start // GROUP), [record(doc) for doc in docs[start : start + GROUP]])
        sizes: dict[str, int] = {}
        for term, ids in postings.items():
            add_size(sizes, term, stem_size(term, len(ids)))
        for word in words:
            add_size(sizes, word, word_size(word, stem(word)))
        split = split_of(sizes)
        shards: dict[str, Shard] = defaultdict(lambda: {"w": {}, "p": {}})
        for word in words:
            shards[shard_key(word, split)]["w"][word] = stem(word)
        for term in list(postings):  # each list dropped once written
            ids, label_ids = postings.pop(term), strong.pop(term, ())
            shards[shard_key(term, split)]["p"][term] = write_list(self, chunk_base(term), (ids, label_ids))
        for key, shard in shards.items():
            self._set(shard_path(key), compact(shard))
        for key, ids in filters.items():
            self._set(filter_path(key), write_list(self, filter_base(key), (ids,)))
        self.blobs, self.split, self.sizes, self.words = blobs, split, sizes, dict(words)
        self.shard_keys, self.filter_keys = set(shards), set(filters)
        self._set("meta.json", self._meta())
        self._stored = {path: page for path, page in kept.items() if previous[path] == self.digests.get(path)}
        self._touched |= previous.keys() - self.digests.keys()
        self._replace, self._urls = True, None

    def _meta(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "docs": len(self.blobs),
            "split": sorted(self.split),
            "depth": shards.MAX_DEPTH,
            "group": GROUP,
            "boost": BOOST,
            "stems": self.stems.algorithm,
        }

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
            delta = Delta.between(
                self.stems, old, lambda n: docs[n] if n < len(docs) else None, changed, load_text
            )
        except KeyError:  # an old body's words are gone from the cache: start again
            self._rebuild(docs, blobs, load_text)
            return False
        self._apply(delta, changed, blobs)
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
            delta = Delta.between(self.stems, self.blobs, docs.get, changed, load_text)
        except KeyError:  # an old body's words are gone from the cache
            return False
        self.token = ""
        self._apply(delta, changed, blobs)
        return True

    def _apply(self, delta: Delta, changed: list[int], blobs: list[bytes]) -> None:
        """Write what *delta* changes: lists, shards, filters, the record files of the *changed*
        documents (*blobs*: the new documents) and meta.json if the count or the split changed."""
        count, split = len(self.blobs), self.split
        self._apply_postings(delta)
        self._apply_filters(delta)
        self.blobs = blobs
        for group in sorted({number // GROUP for number in changed}):
            members = blobs[group * GROUP : group * GROUP + GROUP]
            if members:
                self._set(record_path(group), [record(marshal.loads(blob)) for blob in members])
            else:
                self._drop(record_path(group))
        self._dirty_docs.update(changed)
        if len(blobs) != count or split != self.split:
            self._set("meta.json", self._meta())

    def _apply_postings(self, delta: Delta) -> None:
        touched: dict[str, Shard] = {}  # shard key -> its entries, as changed

        def shard(key: str) -> Shard:
            if key not in touched:
                loaded = json.loads(self.text(shard_path(key))) if key in self.shard_keys else {}
                touched[key] = {"w": loaded.get("w", {}), "p": loaded.get("p", {})}
            return touched[key]

        for term in sorted(delta.changed_stems()):
            entries = shard(shard_key(term, self.split))["p"]
            was = entries.get(term)
            before = count_of(was)
            changes = Changes(
                [delta.add.get(term, []), delta.add_strong.get(term, [])],
                [delta.remove.get(term, []), delta.remove_strong.get(term, [])],
            )
            now = update_list(self, chunk_base(term), was, changes, 2)
            if now is None:
                entries.pop(term, None)
            else:
                entries[term] = now
            add_size(self.sizes, term, stem_size(term, count_of(now)) - stem_size(term, before))
        for word, change in sorted(delta.words.items()):
            self._count_word(word, change, shard)
        split = split_of(self.sizes)
        deal_again(split ^ self.split, split, self.shard_keys | touched.keys(), touched, shard)
        self.split = split
        for key, entries in touched.items():
            if entries["w"] or entries["p"]:
                self._set(shard_path(key), compact(entries))
                self.shard_keys.add(key)
            elif key in self.shard_keys:
                self._drop(shard_path(key))
                self.shard_keys.discard(key)

    def _count_word(self, word: str, change: int, shard: Callable[[str], Shard]) -> None:
        """Count *change* more documents holding *word*; listed in its shard while any does."""
        if not change:
            return
        before = self.words.get(word, 0)
        after = before + change
        stem = self.stems(word)
        if after:
            self.words[word] = after
        else:
            del self.words[word]
        if bool(before) != bool(after):
            if after:
                shard(shard_key(word, self.split))["w"][word] = stem
            else:
                shard(shard_key(word, self.split))["w"].pop(word, None)
            add_size(self.sizes, word, word_size(word, stem) if after else -word_size(word, stem))

    def _apply_filters(self, delta: Delta) -> None:
        for key in sorted(delta.changed_filters()):
            path = filter_path(key)
            was = json.loads(self.text(path)) if key in self.filter_keys else None
            changes = Changes([delta.add_filter.get(key, [])], [delta.remove_filter.get(key, [])])
            now = update_list(self, filter_base(key), was, changes, 1)
            if now is not None:
                self._set(path, now)
                self.filter_keys.add(key)
            else:
                self._drop(path)
                self.filter_keys.discard(key)

    # persistence ----------------------------------------------------------------
    @classmethod
    def load(cls, cache: SearchStore, language: str = "en") -> SearchIndex | None:
        """The index saved in *cache* by the last build, or None (none saved, or another format)."""
        saved = cache.search_index()
        if saved is None:
            return None
        token, state, doc_rows, file_rows = saved
        index = cls(language)
        try:
            params, split, sizes, words = pickle.loads(state)
        except Exception:  # noqa: BLE001 - unreadable: rebuilt
            return None
        if params != index._params():
            return None
        index.blobs, index.split, index.sizes, index.words = doc_rows, split, sizes, words
        cut = len(INDEX_DIR)
        index.digests = {path[cut:]: digest for path, digest in file_rows}
        for path in index.digests:
            if path.startswith("s/"):
                index.shard_keys.add(bytes.fromhex(path[2:-5]).decode("utf-8"))
            elif path.startswith("f/") and path.count("/") == 2:
                index.filter_keys.add((path[2], path[4:-5]))
        if "meta.json" not in index.digests:
            return None
        index.store, index.token, index._replace = cache.stored_text, token, False
        return index

    def _params(self) -> tuple:
        """What the saved index depends on besides the articles: one made otherwise is not used."""
        return (
            FORMAT_VERSION, shards.SHARD_LIMIT, shards.MAX_DEPTH, postings.INLINE_IDS, postings.CHUNK_IDS,
            GROUP, BOOST, EXCERPT_CHARS, STOP_TEXT, WORDS_VERSION, self.stems.algorithm,
        )  # fmt: skip

    def save(self, cache: SearchStore) -> None:
        """Write what changed since the last save or load to *cache* (committed in one transaction)."""
        if self.token and not self._replace and not self._dirty and not self._dirty_docs:
            return  # unchanged since saved
        token = uuid.uuid4().hex
        state = pickle.dumps((self._params(), self.split, self.sizes, self.words), protocol=5)
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
    language: str = "en",
) -> SearchIndex:
    """The search index of *articles*, updated from *index* or else from the index saved in *cache*.

    A long-running process passes the index this returned last time (it is used only while it is still
    what *cache* holds: a build by another process in between makes it reload). The result is saved to
    *cache*, so the next build, in this process or another, starts from it; its :meth:`stored_pages`
    are the pages to build. Article words come from the cache's ``search`` table
    (:meth:`SearchStore.search_text`); *language* chooses the stemmer. Without *keep_pages* (a one-off
    build), the pages are made only as the build takes them (:meth:`SearchIndex.iter_stored_pages`).
    """

    def load_text(key: str) -> tuple[str, frozenset[str]]:
        return cache.search_text(key, document_text)

    def spill(path: str, text: str) -> None:
        cache.spill_search_text(INDEX_DIR + path, text)

    with collector_paused():
        stale = index is None or not index.token or index.token != cache.search_token()
        if stale or index.language != language:
            index = SearchIndex.load(cache, language)
        if index is None:
            index = SearchIndex.build(articles, load_text, spill, keep_pages, language)
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
