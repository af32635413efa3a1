"""The index files' encodings: id lists delta-encoded in base 36, canonical JSON."""

from __future__ import annotations

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


def decode_ids(encoded: str) -> list[int]:
    """The ids of :func:`encode_sorted`'s text."""
    return list(accumulate(map(int, encoded.split(","), repeat(36)))) if encoded else []


def index_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def id_array() -> array:
    return array("I")


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
