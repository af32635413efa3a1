"""Where a language tree's search index is kept between builds (a multilingual site has one per tree).

The cache's own search tables hold one index: the site's, or on a multilingual site the tree at the
root (the default language when it has no folder). Each other tree's index is kept in the cache's
``state`` table, one sealed row of its state, documents and file digests, with its files' texts in
``stored_pages`` under the tree's folder (``de/search/index/...``, where the renderer reads them). It is
the :class:`~site_builder.search.store.SearchStore` the index is updated from, so a build with one edit
re-encodes only the files of that tree's index the edit changes.
"""

from __future__ import annotations

import pickle
from typing import Any

from site_builder.build.state.cache import BuildCache, text_tag
from site_builder.integrity import seal, unseal
from site_builder.search.index import INDEX_DIR


class TreeSearchStore:
    """The search index of the tree under *prefix* ("de/"), kept in *cache*."""

    def __init__(self, cache: BuildCache, prefix: str) -> None:
        self.cache, self.prefix = cache, prefix
        self.key = f"search-tree:{prefix}"
        self._spilling = False

    def search_text(self, key: str, compute: Any) -> tuple[str, frozenset[str]]:
        return self.cache.search_text(key, compute)  # by article: shared by the trees

    def _row(self, suffix: str) -> bytes | None:
        key = self.key + suffix
        row = self.cache.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        value = unseal(row[0], key.encode()) if row else None
        return None if value is None else bytes(value)

    def _write(self, suffix: str, value: bytes) -> None:
        key = self.key + suffix
        self.cache.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, seal(value, key.encode())))

    def search_token(self) -> str | None:
        token = self._row(":token")
        return token.decode() if token else None

    def search_index(self) -> tuple[str, bytes, list[bytes], list[tuple[str, str]]] | None:
        saved = self._saved()
        if saved is None:
            return None
        token, state, docs, files = saved
        return token, state, docs, sorted(files.items())

    def _saved(self) -> tuple[str, bytes, list[bytes], dict[str, str]] | None:
        blob = self._row("")
        if blob is None:
            return None
        try:  # sealed by this machine's builds (see site_builder.integrity), so safe to unpickle
            token, state, docs, files = pickle.loads(blob)
        except Exception:  # noqa: BLE001 - unreadable: the index is built afresh
            return None
        return token, state, docs, files

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
        """Save the index, or its changes ((path, None, None): removed), in one transaction."""
        saved = None if replace else self._saved()
        held_docs, held_files = (saved[2], saved[3]) if saved is not None else ([], {})
        held_docs = held_docs[:doc_count]
        for number, doc in docs:
            held_docs.extend([b""] * (number + 1 - len(held_docs)))
            held_docs[number] = doc
        written = [(path, digest, text) for path, digest, text in files if digest is not None]
        removed = [path for path, digest, _ in files if digest is None]
        with self.cache.db:
            if replace:
                kept = {path for path, _, _ in written}
                self._drop([path for path in self._stored_paths() if path[len(self.prefix) :] not in kept])
            for path, digest, text in written:
                held_files[path] = digest  # type: ignore[assignment]
                if text is not None:
                    self._put(path, text)
            for path in removed:
                held_files.pop(path, None)
            self._drop([self.prefix + path for path in removed])
            self._write("", pickle.dumps((token, state, held_docs, held_files), protocol=5))
            self._write(":token", token.encode())
        self._spilling = False

    def spill_search_text(self, path: str, text: str) -> None:
        """Keep one file's text ahead of :meth:`store_search_index`, uncommitted; the saved index is
        dropped in the same transaction (should the texts be committed without it, the next build
        builds the index afresh)."""
        if not self.cache.db.in_transaction or not self._spilling:
            self.cache.db.execute("DELETE FROM state WHERE key IN (?, ?)", (self.key, self.key + ":token"))
            self._spilling = True
        self._put(path, text)

    def stored_text(self, path: str) -> str:
        return self.cache.stored_text(self.prefix + path)

    def _put(self, path: str, text: str) -> None:
        where = self.prefix + path
        self.cache.db.execute(
            "INSERT OR REPLACE INTO stored_pages VALUES (?, ?, ?)",
            (where, text, text_tag(b"page:" + where.encode(), text)),
        )

    def _drop(self, paths: list[str]) -> None:
        self.cache.db.executemany("DELETE FROM stored_pages WHERE path = ?", [(p,) for p in paths])

    def _stored_paths(self) -> list[str]:
        low = self.prefix + INDEX_DIR
        query = "SELECT path FROM stored_pages WHERE path >= ? AND path < ?"
        return [path for (path,) in self.cache.db.execute(query, (low, low[:-1] + "0"))]
