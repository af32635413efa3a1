"""The persistent build cache in ``<site>/.site-cache/``: parsed articles and page fingerprints.

One SQLite file, safe to delete. Entries are keyed by content hash and renderer versions, never by
modification time, and a cache that is corrupt or written by another version is dropped and rebuilt
rather than trusted.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from site_builder.model.article import Article, ArticleBody
from site_builder.plan.incremental import PlanState
from site_builder.version import __version__

SCHEMA = f"site_builder-cache-9;{__version__}"


class BuildCache:
    """Parsed articles by content key, rendered bodies, and the fingerprint of each output file."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "cache.sqlite"
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect()
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row and row[0] == SCHEMA:
                return db
            db.close()
        except sqlite3.DatabaseError:
            pass
        self.path.unlink(missing_ok=True)  # foreign or corrupt: start again
        db = self._connect()
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, article BLOB, html TEXT, toc TEXT);
            CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, fingerprint BLOB, size INTEGER);
            CREATE TABLE IF NOT EXISTS search (key TEXT PRIMARY KEY, text TEXT, words TEXT);
            CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB);
            CREATE TABLE IF NOT EXISTS search_state (token TEXT, state BLOB);
            CREATE TABLE IF NOT EXISTS search_docs (id INTEGER PRIMARY KEY, doc BLOB);
            CREATE TABLE IF NOT EXISTS search_files (path TEXT PRIMARY KEY, sha256 TEXT);
            CREATE TABLE IF NOT EXISTS stored_pages (path TEXT PRIMARY KEY, text TEXT);
            """
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
        return row[0] if row else None

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
                try:
                    found[key] = pickle.loads(blob)
                except Exception:  # noqa: BLE001 - an unreadable entry is simply re-parsed
                    continue
        return found

    def article_keys(self) -> set[str]:
        """The key of every article held (from the key's index: no article is read)."""
        return {key for (key,) in self.db.execute("SELECT key FROM articles")}

    def store_articles(self, items: list[tuple[Article, ArticleBody, tuple[str, str]]]) -> None:
        """Parsed articles with their bodies and search texts (plain text, sorted words joined)."""
        rows = [(a.key, pickle.dumps(a, protocol=5), b.html, b.toc_html) for a, b, _ in items]
        self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)", rows)
        texts = [(a.key, text, words) for a, _, (text, words) in items]
        self.db.executemany("INSERT OR REPLACE INTO search VALUES (?, ?, ?)", texts)
        self.db.commit()

    def body(self, key: str) -> ArticleBody:
        row = self.db.execute("SELECT html, toc FROM articles WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return ArticleBody(html=row[0], toc_html=row[1])

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
        row = self.db.execute("SELECT text, words FROM search WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return row[0], frozenset(row[1].split())
        text, words = compute(self.body(key))
        self.db.execute(
            "INSERT OR REPLACE INTO search VALUES (?, ?, ?)", (key, text, " ".join(sorted(words)))
        )
        return text, words

    # the search index as last built (see search.SearchIndex) ----------------------
    def search_token(self) -> str | None:
        row = self.db.execute("SELECT token FROM search_state").fetchone()
        return row[0] if row else None

    def search_index(self) -> tuple[str, bytes, list[bytes], list[tuple[str, str]]] | None:
        """(token, state, documents by id, [(path, SHA-256)] of its files), or None."""
        row = self.db.execute("SELECT token, state FROM search_state").fetchone()
        if row is None:
            return None
        docs = [doc for (doc,) in self.db.execute("SELECT doc FROM search_docs ORDER BY id")]
        files = self.db.execute("SELECT path, sha256 FROM search_files").fetchall()
        return row[0], row[1], docs, files

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
            self.db.executemany("INSERT OR REPLACE INTO search_docs VALUES (?, ?)", docs)
            self.db.executemany("INSERT OR REPLACE INTO search_files VALUES (?, ?)", [f[:2] for f in written])
            self.db.executemany(
                "INSERT OR REPLACE INTO stored_pages VALUES (?, ?)",
                [(f[0], f[2]) for f in written if f[2] is not None],
            )
            self.db.executemany("DELETE FROM search_files WHERE path = ?", removed)
            self.db.executemany("DELETE FROM stored_pages WHERE path = ?", removed)
            self.db.execute("DELETE FROM search_state")
            self.db.execute("INSERT INTO search_state VALUES (?, ?)", (token, state))
        self._spilling = False

    def spill_search_text(self, path: str, text: str) -> None:
        """Write one search index file's text ahead of :meth:`store_search_index`, uncommitted.

        The saved index's state is deleted first, in the same transaction: should this be committed
        without the index it belongs to, the next build finds no index and builds it afresh.
        """
        if not self.db.in_transaction or not self._spilling:
            self.db.execute("DELETE FROM search_state")
            self._spilling = True
        self.db.execute("INSERT OR REPLACE INTO stored_pages VALUES (?, ?)", (path, text))

    _spilling = False

    def stored_text(self, path: str) -> str:
        """The text of a ``stored`` page (see render.PageRenderer)."""
        return stored_text(self.db, path)

    # pages --------------------------------------------------------------------
    def page_fingerprints(self) -> dict[str, tuple[bytes, int]]:
        """The fingerprint and size of every file of the last committed build ({} if not trusted)."""
        if self.meta("pages") != "valid":
            return {}
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
            self.db.execute(
                "INSERT OR REPLACE INTO state VALUES ('plan', ?)", (pickle.dumps(head, protocol=5),)
            )
            if plan.related is not self._related:
                related = pickle.dumps(plan.related, protocol=5)
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
        try:
            settings, structure, tokens = pickle.loads(rows["plan"])
            related = pickle.loads(rows["related"])
        except Exception:  # noqa: BLE001 - missing or unreadable: plan everything
            return None
        self._related = related
        return PlanState(settings, structure, tokens, related)

    def remember_related(self, related: dict[str, list[str]]) -> None:
        """The related map already stored (a long-running process keeps it between builds)."""
        self._related = related

    # what a CLI build keeps for the next one (see snapshot.py) ---------------------
    def state_blob(self, key: str) -> bytes | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (f"snapshot:{key}",)).fetchone()
        return row[0] if row else None

    def set_state_blob(self, key: str, value: bytes) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (f"snapshot:{key}", value))


def stored_text(db: sqlite3.Connection, path: str) -> str:
    row = db.execute("SELECT text FROM stored_pages WHERE path = ?", (path,)).fetchone()
    if row is None:
        raise KeyError(path)
    return row[0]


def open_reader(directory: Path) -> sqlite3.Connection:
    """A read-only connection for worker processes that stream bodies."""
    return sqlite3.connect(f"file:{directory / 'cache.sqlite'}?mode=ro", uri=True, timeout=30)
