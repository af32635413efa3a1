"""The index files' encodings: id lists delta-encoded in base 36, shard keys of words, canonical JSON."""

from __future__ import annotations

import bisect
import json
from array import array
from collections.abc import Iterable
from itertools import accumulate, chain, repeat
from operator import sub
from typing import Any


def encode_ids(ids: Iterable[int]) -> str:
    """Sorted ids as comma-separated base-36 gaps: short for the long lists of common words."""
    return encode_sorted(sorted(set(ids)))


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


def index_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def id_array() -> array:
    return array("I")


def term_size(term: str, count: int) -> int:
    """A term's share of its 2-letter shard's estimated size (0 when it has no ids)."""
    return len(term) + 8 + 3 * count if count else 0


def changed_ids(encoded: str, add: list[int] | None, remove: list[int] | None) -> tuple[str, int, int]:
    """*encoded* ids with sorted *add* added and *remove* removed: (encoded, count before, count after).

    Only the gaps between the first and the last changed id (and the one after) are encoded again.
    """
    if not add and not remove:
        count = encoded.count(",") + 1 if encoded else 0
        return encoded, count, count
    parts = encoded.split(",") if encoded else []
    ids = list(accumulate(map(int, parts, repeat(36))))
    low = min(changes[0] for changes in (add, remove) if changes)
    high = max(changes[-1] for changes in (add, remove) if changes)
    start, end = bisect.bisect_left(ids, low), bisect.bisect_right(ids, high)
    window = set(ids[start:end])
    window.difference_update(remove or ())
    window.update(add or ())
    middle = sorted(window)
    last = ids[start - 1] if start else 0
    tokens = parts[:start]
    if middle:
        tokens.append(encode_sorted(middle, last))
        last = middle[-1]
    if end < len(ids):
        tokens.append(encode_sorted([ids[end]], last))
        tokens += parts[end + 1 :]
    return ",".join(tokens), len(ids), len(ids) - (end - start) + len(middle)


class _GapTexts(dict):
    """Base-36 texts of gaps, made once each (looked up by ``map`` in C: no Python loop per id)."""

    def __missing__(self, gap: int) -> str:
        text = self[gap] = _base36(gap)
        return text


_GAP_TEXTS = _GapTexts(enumerate(_SMALL))


def encode_sorted(ids: Iterable[int], previous: int = 0) -> str:
    """Ids in ascending order, without repeats, as comma-separated base-36 gaps (see encode_ids)."""
    ids = ids if isinstance(ids, (list, array)) else list(ids)
    gaps = map(sub, ids, chain((previous,), ids))
    if len(_GAP_TEXTS) > 1_000_000:  # large gaps are rare; bound the table anyway
        _GAP_TEXTS.clear()
        _GAP_TEXTS.update(enumerate(_SMALL))
    return ",".join(map(_GAP_TEXTS.__getitem__, gaps))
