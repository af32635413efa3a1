"""Posting lists as index files: a list's value where it is named (inline, or the names of its leaves)
and its leaf files, made from scratch or updated by an edit (see :mod:`site_builder.search.postings`).

A term's list is a pair (all ids, ids in title/people/tags); a filter's is its ids alone. Inline, a
pair is ``["<ids>", "<strong ids>"]`` and a filter ``"<ids>"`` (ids delta-encoded in base 36, see
encoding.py); a chunked list is ``{"n": count, "c": [[level, index, count], ...]}`` and each leaf is
the file ``<base>/<level>-<index>.json`` holding the inline form of its part of the list.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from site_builder.search import postings
from site_builder.search.encoding import decode_ids, encode_sorted
from site_builder.search.postings import Changes, Leaf, Lists, cut, leaves_of, relayout


class Files(Protocol):
    def _set(self, path: str, value: Any) -> None: ...

    def _drop(self, path: str) -> None: ...

    def text(self, path: str) -> str: ...


def leaf_path(base: str, level: int, index: int) -> str:
    return f"{base}/{level}-{index}.json"


def inline(lists: Sequence[Sequence[int]]) -> Any:
    encoded = [encode_sorted(ids) for ids in lists]
    return encoded[0] if len(encoded) == 1 else encoded


def decode(value: Any) -> Lists:
    """The id lists of an inline value."""
    if isinstance(value, str):
        return (decode_ids(value),)
    return tuple(decode_ids(text) for text in value)


def write_list(files: Files, base: str, lists: Sequence[Sequence[int]]) -> Any:
    """The value naming *lists* (non-empty), writing its leaf files if it is chunked."""
    if len(lists[0]) <= postings.INLINE_IDS:
        return inline(lists)
    leaves = leaves_of(lists[0])
    for level, index, _ in leaves:
        files._set(leaf_path(base, level, index), inline(cut(lists, level, index)))
    return {"n": len(lists[0]), "c": [list(leaf) for leaf in leaves]}


def count_of(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dict):
        return value["n"]
    return len(decode(value)[0])


def update_list(files: Files, base: str, value: Any, changes: Changes, width: int) -> Any:
    """The value of a list (*value*: its old one, None if it had none) after *changes*, writing and
    removing leaf files as needed; None when the list is now empty."""
    count = count_of(value) + len(changes.add[0]) - len(changes.remove[0])
    chunked = isinstance(value, dict)
    old: list[Leaf] = [tuple(leaf) for leaf in value["c"]] if chunked else []

    def read(level: int, index: int) -> Lists:
        return decode(json.loads(files.text(leaf_path(base, level, index))))

    if count > postings.INLINE_IDS and chunked:
        result = relayout(old, changes, read)
        for (level, index), lists in result.written.items():
            files._set(leaf_path(base, level, index), inline(lists))
        for level, index in result.dropped:
            files._drop(leaf_path(base, level, index))
        return {"n": count, "c": [list(leaf) for leaf in result.leaves]}
    if chunked:
        whole: Lists = tuple([] for _ in range(width))
        for level, index, _ in old:
            for ids, part in zip(whole, read(level, index), strict=True):
                ids.extend(part)
            files._drop(leaf_path(base, level, index))
    else:
        whole = decode(value) if value is not None else tuple([] for _ in range(width))
    lists = changes.apply(whole, 0, 1 << 62)
    return write_list(files, base, lists) if lists[0] else None
