"""The persistent build cache in ``<site>/.site-cache/``: parsed articles and page fingerprints.

One SQLite file, safe to delete. Entries are keyed by content hash and renderer versions, never by
modification time, and a cache that is corrupt or written by another version is dropped and rebuilt
rather than trusted. Pickled and marshalled values are sealed with this machine's key
(:mod:`site_builder.integrity`): a value whose tag does not verify is never loaded, so a crafted cache
cannot run code.
"""

from __future__ import annotations

import hmac
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from site_builder.build.state.store import BodyStore
from site_builder.integrity import seal, tag, unseal
from site_builder.model.article import Article, ArticleBody
from site_builder.plan.incremental import PlanState
from site_builder.version import __version__

SCHEMA = f"site_builder-cache-12;{__version__}"  # 11: summary_html; 12: sections, authors, pages
_TABLE_SQL = {
    "meta": "key TEXT PRIMARY KEY, value TEXT",
    "articles": "key TEXT PRIMARY KEY, article BLOB, html TEXT, toc TEXT, mac BLOB",
    "pages": "path TEXT PRIMARY KEY, fingerprint BLOB, size INTEGER",
    "search": "key TEXT PRIMARY KEY, text TEXT, words TEXT, mac BLOB",
    "state": "key TEXT PRIMARY KEY, value BLOB",
    "search_state": "token TEXT, state BLOB",
    "search_docs": "id INTEGER PRIMARY KEY, doc BLOB",
    "search_files": "path TEXT PRIMARY KEY, sha256 TEXT",
    "stored_pages": "path TEXT PRIMARY KEY, text TEXT, mac BLOB",
}
TABLES = {name: [part.split()[0] for part in sql.split(", ")] for name, sql in _TABLE_SQL.items()}


def _tables(db: sqlite3.Connection) -> dict[str, list[str]]:
    """The tables of *db* and their columns."""
    names = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    query = "SELECT name FROM pragma_table_info(?)"
    return {name: [column for (column,) in db.execute(query, (name,))] for name in names}


class CacheDamaged(Exception):
    """The build cache holds something it never wrote (a table missing, a value of the wrong type)."""


class BuildCache:
    """Parsed articles by content key, rendered bodies, and the fingerprint of each output file."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "cache.sqlite"
        self.body_store = ""  # the fsspec URL of the body store ("": the default, see build.state.store)
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect()
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row and row[0] == SCHEMA and _tables(db) == TABLES:
                return db
            db.close()
        except sqlite3.DatabaseError:
            pass
        self.path.unlink(missing_ok=True)  # foreign, corrupt or missing a table: start again
        db = self._connect()
        db.executescript(
            "".join(f"CREATE TABLE IF NOT EXISTS {name} ({columns});" for name, columns in _TABLE_SQL.items())
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA,))
        db.commit()
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        return db

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return _text(row[0]) if row and row[0] is not None else None

    def set_meta(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def close(self) -> None:
        self.db.close()

    # articles -----------------------------------------------------------------
    def articles(self, keys: list[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.db.execute(
                f"SELECT key, article FROM articles WHERE key IN ({marks})", chunk
            ):
                data = unseal(blob, _article_context(key))
                if data is None:  # not sealed here: never unpickled, simply parsed again
                    continue
                try:
                    article = pickle.loads(data)
                except Exception:  # noqa: BLE001 - an unreadable entry is simply re-parsed
                    continue
                if isinstance(article, Article):
                    found[key] = article
        return found

    def article_keys(self) -> set[str]:
        """The key of every article held (from the key's index: no article is read)."""
        return {key for (key,) in self.db.execute("SELECT key FROM articles")}

    def store_articles(self, items: list[tuple[Article, ArticleBody | str, tuple[str, str]]]) -> None:
        """Parsed articles with their bodies (or the digest of a body in the body store, see
        :mod:`site_builder.build.state.store`) and search texts (plain text, sorted words joined)."""
        rows = [
            (a.key, seal(pickle.dumps(a, protocol=5), _article_context(a.key)), *_body_columns(a.key, b))
            for a, b, _ in items
        ]
        self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)", rows)
        texts = [
            (a.key, text, words, text_tag(b"search:" + a.key.encode(), text, words))
            for a, _, (text, words) in items
        ]
        self.db.executemany("INSERT OR REPLACE INTO search VALUES (?, ?, ?, ?)", texts)
        self.db.commit()

    def body(self, key: str) -> ArticleBody:
        row = self.db.execute("SELECT html, toc, mac FROM articles WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return verified_body(key, *row, store=lambda: BodyStore.for_site(self.body_store, self.path.parent))

    def body_digests(self, keys: Iterable[str], store: BodyStore) -> dict[str, str]:
        """The body store's digest of each article in *keys*; bodies held here are moved into the
        store first (an article parsed by a local build, rendered now by a cluster)."""
        digests: dict[str, str] = {}
        moved: list[tuple[None, str, bytes, str]] = []
        for key in keys:
            row = self.db.execute("SELECT html, toc, mac FROM articles WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise KeyError(key)
            if row[0] is None:
                digests[key] = _stored_digest(key, row[1], row[2])
                continue
            digest = store.put(verified_body(key, *row))
            moved.append((*_body_columns(key, digest), key))
            digests[key] = digest
        if moved:
            self.db.executemany("UPDATE articles SET html = ?, toc = ?, mac = ? WHERE key = ?", moved)
            self.db.commit()
        return digests

    def prune_articles(self, keep: set[str], gone: set[str] | None = None) -> None:
        """Drop the articles not in *keep*; *gone*: those known to be the only ones (saves a scan)."""
        if gone is None:
            stale = [(k,) for (k,) in self.db.execute("SELECT key FROM articles") if k not in keep]
        else:
            stale = [(k,) for k in sorted(gone)]
        self.db.executemany("DELETE FROM articles WHERE key = ?", stale)
        self.db.executemany("DELETE FROM search WHERE key = ?", stale)
        self.db.commit()

    def search_text(self, key: str, compute: Callable[[ArticleBody], tuple[str, frozenset[str]]]):
        """An article's search text and words, computed from its body once and kept."""
        row = self.db.execute("SELECT text, words, mac FROM search WHERE key = ?", (key,)).fetchone()
        if row is not None:
            text, joined = _verified(b"search:" + key.encode(), row[2], row[0], row[1])
            return text, frozenset(joined.split())
        text, words = compute(self.body(key))
        joined = " ".join(sorted(words))
        self.db.execute(
            "INSERT OR REPLACE INTO search VALUES (?, ?, ?, ?)",
            (key, text, joined, text_tag(b"search:" + key.encode(), text, joined)),
        )
        return text, words

    # the search index as last built (see search.SearchIndex) ----------------------
    def search_token(self) -> str | None:
        row = self.db.execute("SELECT token FROM search_state").fetchone()
        return row[0] if row else None

    def search_index(self) -> tuple[str, bytes, list[bytes], list[tuple[str, str]]] | None:
        """(token, state, documents by id, [(path, SHA-256)] of its files), or None."""
        row = self.db.execute("SELECT token, state FROM search_state").fetchone()
        if row is None or not isinstance(row[0], str):
            return None
        state = unseal(row[1], b"search-state")
        docs = []
        for number, doc in self.db.execute("SELECT id, doc FROM search_docs ORDER BY id"):
            docs.append(unseal(doc, b"search-doc:%d" % number))
        if state is None or None in docs:  # damaged or foreign: the index is built afresh
            return None
        files = [(_text(p), _text(d)) for p, d in self.db.execute("SELECT path, sha256 FROM search_files")]
        return row[0], bytes(state), [bytes(doc) for doc in docs], files

    def store_search_index(
        self,
        token: str,
        state: bytes,
        *,
        replace: bool,
        docs: list[tuple[int, bytes]],
        doc_count: int,
        files: list[tuple[str, str | None, str | None]],
    ) -> None:
        """Write a search index, or its changes ((path, None, None): removed), in one transaction
        together with the search texts computed since the last commit and the file texts spilled
        (:meth:`spill_search_text`; their text is None here)."""
        written = [(path, digest, text) for path, digest, text in files if digest is not None]
        removed = [(path,) for path, digest, _ in files if digest is None]
        with self.db:
            if replace:
                for table in ("search_docs", "search_files"):
                    self.db.execute(f"DELETE FROM {table}")
                paths = {path for path, _, _ in written}
                stale = [
                    (path,)
                    for (path,) in self.db.execute(
                        "SELECT path FROM stored_pages WHERE path >= 'search/' AND path < 'search0'"
                    )
                    if path not in paths
                ]
                self.db.executemany("DELETE FROM stored_pages WHERE path = ?", stale)
            self.db.execute("DELETE FROM search_docs WHERE id >= ?", (doc_count,))
            self.db.executemany(
                "INSERT OR REPLACE INTO search_docs VALUES (?, ?)",
                [(number, seal(doc, b"search-doc:%d" % number)) for number, doc in docs],
            )
            self.db.executemany("INSERT OR REPLACE INTO search_files VALUES (?, ?)", [f[:2] for f in written])
            self.db.executemany(
                "INSERT OR REPLACE INTO stored_pages VALUES (?, ?, ?)",
                [(f[0], f[2], _page_tag(f[0], f[2])) for f in written if f[2] is not None],
            )
            self.db.executemany("DELETE FROM search_files WHERE path = ?", removed)
            self.db.executemany("DELETE FROM stored_pages WHERE path = ?", removed)
            self.db.execute("DELETE FROM search_state")
            self.db.execute("INSERT INTO search_state VALUES (?, ?)", (token, seal(state, b"search-state")))
        self._spilling = False

    def spill_search_text(self, path: str, text: str) -> None:
        """Write one search index file's text ahead of :meth:`store_search_index`, uncommitted.

        The saved index's state is deleted first, in the same transaction: should this be committed
        without the index it belongs to, the next build finds no index and builds it afresh.
        """
        if not self.db.in_transaction or not self._spilling:
            self.db.execute("DELETE FROM search_state")
            self._spilling = True
        self.db.execute(
            "INSERT OR REPLACE INTO stored_pages VALUES (?, ?, ?)", (path, text, _page_tag(path, text))
        )

    _spilling = False

    def stored_text(self, path: str) -> str:
        """The text of a ``stored`` page (see render.PageRenderer)."""
        return stored_text(self.db, path)

    # pages --------------------------------------------------------------------
    def page_fingerprints(self) -> dict[str, tuple[bytes, int]]:
        """The fingerprint and size of every file of the last committed build ({} if not trusted)."""
        if self.meta("pages") != "valid":
            return {}
        if self.db.execute(_MISTYPED_PAGE).fetchone() is not None:
            raise CacheDamaged("a page record of the wrong type")
        return {
            path: (fp, size)
            for path, fp, size in self.db.execute("SELECT path, fingerprint, size FROM pages")
        }

    def forget_pages(self) -> None:
        """Called just before output/ changes: if the commit is interrupted, what output/ holds is
        unknown, so the next build must not trust any recorded fingerprint or plan."""
        with self.db:
            self.db.execute("DELETE FROM meta WHERE key IN ('pages', 'inputs')")

    def record_pages(
        self,
        pages: dict[str, tuple[bytes, int]],
        previous: dict[str, tuple[bytes, int]],
        plan: PlanState,
        touched: Iterable[str] | None = None,
    ) -> None:
        """Store the committed build's files (only the rows that changed since *previous*) and plan.

        *touched*: the only paths that may differ from *previous* (None: compare all). The
        related-articles map is the bulk of the plan state and changes only with the structure: it is
        written only when it is not the one loaded (or remembered) from the last build.
        """
        if touched is None:
            changed = [(p, f, s) for p, (f, s) in pages.items() if previous.get(p) != (f, s)]
            removed = [(p,) for p in previous.keys() - pages.keys()]
        else:
            touched = set(touched)
            changed = [(p, *pages[p]) for p in sorted(touched) if p in pages and previous.get(p) != pages[p]]
            removed = [(p,) for p in sorted(touched) if p in previous and p not in pages]
        head = (plan.settings, plan.structure, plan.tokens)
        with self.db:
            if not previous:
                self.db.execute("DELETE FROM pages")
            self.db.executemany("DELETE FROM pages WHERE path = ?", removed)
            self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", changed)
            plan_blob = seal(pickle.dumps(head, protocol=5), b"state:plan")
            self.db.execute("INSERT OR REPLACE INTO state VALUES ('plan', ?)", (plan_blob,))
            if plan.related is not self._related:
                related = seal(pickle.dumps(plan.related, protocol=5), b"state:related")
                self.db.execute("INSERT OR REPLACE INTO state VALUES ('related', ?)", (related,))
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('pages', 'valid')")
            self.generation = os.urandom(8).hex()
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (self.generation,))
        self._related = plan.related

    _related: dict[str, list[str]] | None = None
    generation: str | None = None  # changes with every recorded build: whether a process's memory is current

    def plan_state(self) -> PlanState | None:
        """The last committed build's plan state, if the recorded pages are trusted."""
        if self.meta("pages") != "valid":
            return None
        rows = dict(self.db.execute("SELECT key, value FROM state WHERE key IN ('plan', 'related')"))
        head, related = unseal(rows.get("plan"), b"state:plan"), unseal(rows.get("related"), b"state:related")
        if head is None or related is None:  # missing, or not sealed here: plan everything
            return None
        try:
            settings, structure, tokens = pickle.loads(head)
            related = pickle.loads(related)
        except Exception:  # noqa: BLE001 - unreadable: plan everything
            return None
        if not isinstance(related, dict):
            return None
        self._related = related
        return PlanState(settings, structure, tokens, related)

    def remember_related(self, related: dict[str, list[str]]) -> None:
        """The related map already stored (a long-running process keeps it between builds)."""
        self._related = related

    # what a CLI build keeps for the next one (see snapshot.py) ---------------------
    def state_blob(self, key: str) -> memoryview | None:
        """The bytes stored under *key*, if they verify (see :func:`site_builder.integrity.unseal`)."""
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (f"snapshot:{key}",)).fetchone()
        return unseal(row[0], f"state:snapshot:{key}".encode()) if row else None

    def set_state_blob(self, key: str, value: bytes) -> None:
        sealed = seal(value, f"state:snapshot:{key}".encode())
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (f"snapshot:{key}", sealed))


def _article_context(key: str) -> bytes:
    return b"article:" + key.encode()


def stored_text(db: sqlite3.Connection, path: str) -> str:
    row = db.execute("SELECT text, mac FROM stored_pages WHERE path = ?", (path,)).fetchone()
    if row is None:
        raise KeyError(path)
    return _verified(b"page:" + path.encode(), row[1], row[0])[0]


def verified_body(
    key: str, html: object, toc: object, mac: object, store: Callable[[], BodyStore] | None = None
) -> ArticleBody:
    """An article body as read from its row, if its tag verifies (else :class:`CacheDamaged`); a row
    naming a body in the body store is read from *store*."""
    if html is None and store is not None:
        return store().get(_stored_digest(key, toc, mac))
    html, toc = _verified(b"body:" + key.encode(), mac, html, toc)
    return ArticleBody(html=html, toc_html=toc)


def _body_columns(key: str, body: ArticleBody | str) -> tuple[str | None, str, bytes]:
    """The html, toc and mac columns of an article's body, or of the digest of its body in the store
    (html NULL, the digest in toc)."""
    if isinstance(body, str):
        return None, body, text_tag(b"stored-body:" + key.encode(), body)
    return body.html, body.toc_html, text_tag(b"body:" + key.encode(), body.html, body.toc_html)


def _stored_digest(key: str, digest: object, mac: object) -> str:
    return _verified(b"stored-body:" + key.encode(), mac, digest)[0]


def text_tag(context: bytes, *texts: str) -> bytes:
    """The tag of text columns written to output/ (bodies, search texts, index files): a crafted
    cache must not put its own markup into the site either."""
    return tag("\0".join(texts).encode("utf-8", "surrogatepass"), context)


def _page_tag(path: str, text: str) -> bytes:
    return text_tag(b"page:" + path.encode(), text)


def _verified(context: bytes, mac: object, *texts: object) -> list[str]:
    checked = [_text(text) for text in texts]
    if not isinstance(mac, bytes) or not hmac.compare_digest(mac, text_tag(context, *checked)):
        raise CacheDamaged("a text not written by this machine's builds")
    return checked


def _text(value: object) -> str:
    """A value of a TEXT column, as this cache wrote it: anything else means it was changed."""
    if not isinstance(value, str):
        raise CacheDamaged(f"a {type(value).__name__} where text was written")
    return value


_MISTYPED_PAGE = (
    "SELECT 1 FROM pages WHERE typeof(path) != 'text' OR typeof(fingerprint) != 'blob' "
    "OR typeof(size) != 'integer' LIMIT 1"
)


def recorded_paths(directory: Path) -> set[str]:
    """The output files a cache in *directory* records, read without changing it and whatever its
    schema (a cache of an older version is dropped when opened, and output/ is only recognised as the
    build's own by this record before that)."""
    try:
        db = sqlite3.connect(f"file:{directory / 'cache.sqlite'}?mode=ro", uri=True, timeout=30)
        try:
            return {path for (path,) in db.execute("SELECT path FROM pages") if isinstance(path, str)}
        finally:
            db.close()
    except sqlite3.Error:
        return set()


def open_reader(directory: Path) -> sqlite3.Connection:
    """A read-only connection for worker processes that stream bodies."""
    return sqlite3.connect(f"file:{directory / 'cache.sqlite'}?mode=ro", uri=True, timeout=30)
