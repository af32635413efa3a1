"""What the search index needs from the storage it is kept in between builds.

The build's cache (:class:`site_builder.build.state.cache.BuildCache`) provides it; the index names
only this protocol, so search sits below the build and knows nothing of SQLite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from site_builder.model.article import ArticleBody

SavedIndex = tuple[str, bytes, list[bytes], list[tuple[str, str]]]  # token, state, documents, files


class SearchStore(Protocol):
    def search_text(
        self, key: str, compute: Callable[[ArticleBody], tuple[str, frozenset[str]]]
    ) -> tuple[str, frozenset[str]]:
        """An article's search text and words (by body key), computed from its body once and kept."""
        ...

    def search_token(self) -> str | None:
        """The token of the index as last saved (None: none saved)."""
        ...

    def search_index(self) -> SavedIndex | None:
        """(token, state, documents by id, [(path, SHA-256)] of its files), or None."""
        ...

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
        """Save an index, or its changes ((path, None, None): removed), in one transaction."""
        ...

    def spill_search_text(self, path: str, text: str) -> None:
        """Keep the text of an index file until the next save (a one-off build's pages)."""
        ...

    def stored_text(self, path: str) -> str:
        """The saved text of an index file (KeyError if none)."""
        ...
