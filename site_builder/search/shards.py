"""The dictionary of the index cut into shards by prefix, each shard small enough to fetch for one word.

A shard holds, for the words and stems starting with its key, what a query needs to find their posting
lists: ``{"w": {word: stem}, "p": {stem: entry}}`` (a word whose stem is itself is not listed in "w").
The key of a term is its shortest prefix (of at most MAX_DEPTH characters) that is not *split*, or the
whole term when every prefix is split; a prefix is split when the entries starting with it are
estimated at more than SHARD_LIMIT bytes. The estimate of an entry depends only on its term and on the
number of ids in its list, so it is kept per prefix and updated by difference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from site_builder.search import postings

Shard = dict[str, dict[str, Any]]  # {"w": {word: stem}, "p": {stem: list value}}

SHARD_LIMIT = 8_000  # estimated bytes of the entries of one shard
MAX_DEPTH = 6  # a prefix longer than this is never split further


def shard_key(term: str, split: set[str]) -> str:
    for length in range(1, min(len(term), MAX_DEPTH) + 1):
        prefix = term[:length]
        if prefix not in split:
            return prefix
    return term[:MAX_DEPTH]  # every prefix split: the term itself, or its first MAX_DEPTH characters


def prefixes(term: str) -> Iterable[str]:
    return (term[:length] for length in range(1, min(len(term), MAX_DEPTH) + 1))


def stem_size(stem: str, count: int) -> int:
    """The estimated bytes of a stem's entry with *count* ids (0 when it has none)."""
    if not count:
        return 0
    if count <= postings.INLINE_IDS:
        return len(stem) + 8 + 3 * count
    return len(stem) + 16 + 12 * (1 + count // postings.CHUNK_IDS)


def word_size(word: str, stem: str) -> int:
    return len(word) + len(stem) + 6


def add_size(sizes: dict[str, int], term: str, change: int) -> None:
    """Add *change* to the estimate of every prefix of *term* (dropping those that reach 0)."""
    if not change:
        return
    for prefix in prefixes(term):
        total = sizes.get(prefix, 0) + change
        if total:
            sizes[prefix] = total
        else:
            del sizes[prefix]


def split_of(sizes: dict[str, int]) -> set[str]:
    return {prefix for prefix, total in sizes.items() if total > SHARD_LIMIT}


def compact(shard: Shard) -> Shard:
    """A shard as written: its empty parts left out."""
    return {part: entries for part, entries in shard.items() if entries}


def deal_again(
    flipped: set[str],
    split: set[str],
    keys: set[str],
    touched: dict[str, Shard],
    shard: Callable[[str], Shard],
) -> None:
    """Move the entries of the shards under the *flipped* prefixes (*keys*: every shard's key) into
    the shards of the new *split*; *shard* gives a shard's entries (loaded into *touched*)."""
    if not flipped:
        return
    merged: Shard = {"w": {}, "p": {}}
    for key in sorted(k for k in keys if any(k.startswith(prefix) for prefix in flipped)):
        for part in ("w", "p"):
            merged[part].update(shard(key)[part])
        touched[key] = {"w": {}, "p": {}}
    for part in ("w", "p"):
        for term, value in merged[part].items():
            shard(shard_key(term, split))[part][term] = value
