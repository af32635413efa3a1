"""Posting lists of bounded download: short lists inline, long ones cut into chunks of the id space.

A list of document ids (oldest first) with at most INLINE_IDS ids is kept whole where it is named (in
its word's shard, or in its filter file). A longer one is cut into *leaves*: dyadic intervals of the id
space, ``[index * 2**level, (index + 1) * 2**level)``, each the largest such interval holding at most
CHUNK_IDS of the list's ids (an interval holding more is cut in two halves; empty ones are left out).
The list's entry then names its leaves, ``[level, index, count]``, in id order, and each leaf is a file
of its own. The browser reads the newest leaf first and older ones only while it needs more results, so
a query downloads a bounded number of ids whatever the archive's size.

The layout is a function of the ids alone (the same from scratch as after any sequence of edits), and
an edit changes only the leaves around the ids it adds or removes: :func:`relayout` works from the old
leaves' counts and reads back only the leaves that change.

A term's list travels with a second list, the ids whose title, people or tags hold it (a subset); the
leaves are cut by the first list only.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

INLINE_IDS = 192  # a list this short is stored whole in its entry
CHUNK_IDS = 2048  # at most this many ids in one leaf file
ROOT_LEVEL = 32  # the id space: [0, 2**32)

Leaf = tuple[int, int, int]  # level, index, count of ids
Lists = tuple[list[int], ...]  # parallel sorted id lists: all ids, then (for terms) the strong ones


def leaf_span(level: int, index: int) -> tuple[int, int]:
    return index << level, (index + 1) << level


def leaves_of(ids: Sequence[int]) -> list[Leaf]:
    """The leaves of a sorted id list (longer than INLINE_IDS): see the module."""
    found: list[Leaf] = []

    def descend(level: int, index: int, low: int, high: int) -> None:
        count = high - low
        if not count:
            return
        if count <= CHUNK_IDS or level == 0:
            found.append((level, index, count))
            return
        middle = bisect.bisect_left(ids, (2 * index + 1) << (level - 1), low, high)
        descend(level - 1, 2 * index, low, middle)
        descend(level - 1, 2 * index + 1, middle, high)

    descend(ROOT_LEVEL, 0, 0, len(ids))
    return found


def cut(lists: Lists, level: int, index: int) -> Lists:
    """The parts of parallel sorted lists inside one leaf."""
    start, end = leaf_span(level, index)
    return tuple(ids[bisect.bisect_left(ids, start) : bisect.bisect_left(ids, end)] for ids in lists)


@dataclass
class Changes:
    """Ids to add to and remove from each of parallel lists (sorted, disjoint from what is there)."""

    add: list[list[int]]
    remove: list[list[int]]
    touched: list[int] = field(init=False)  # every changed id, sorted

    def __post_init__(self) -> None:
        self.touched = sorted({i for ids in (*self.add, *self.remove) for i in ids})

    def count_delta(self, start: int, end: int) -> int:
        """The change in the number of (first-list) ids in [start, end)."""
        return _within(self.add[0], start, end) - _within(self.remove[0], start, end)

    def any_in(self, start: int, end: int) -> bool:
        return _within(self.touched, start, end) > 0

    def apply(self, lists: Lists, start: int, end: int) -> Lists:
        """*lists* (the old ids in [start, end)) with the changes inside [start, end) made."""
        result = []
        for ids, add, remove in zip(lists, self.add, self.remove, strict=True):
            low, high = bisect.bisect_left(add, start), bisect.bisect_left(add, end)
            gone = set(remove[bisect.bisect_left(remove, start) : bisect.bisect_left(remove, end)])
            merged = set(ids).union(add[low:high]) - gone if gone or high > low else set(ids)
            result.append(sorted(merged))
        return tuple(result)


def _within(ids: list[int], start: int, end: int) -> int:
    return bisect.bisect_left(ids, end) - bisect.bisect_left(ids, start)


@dataclass
class Relayout:
    """What an update does to a chunked list: its new leaves, the leaves whose files are (re)written
    with their ids, and the old leaves that are gone."""

    leaves: list[Leaf]
    written: dict[tuple[int, int], Lists]
    dropped: list[tuple[int, int]]


def relayout(old: list[Leaf], changes: Changes, read: Callable[[int, int], Lists]) -> Relayout:
    """The leaves after *changes* of a list whose leaves were *old*; *read* gives an old leaf's ids.

    Only leaves holding a changed id, or merged with or cut from one, are read and written."""
    starts = [leaf_span(level, index)[0] for level, index, _ in old]
    sums = [0, *accumulate(count for _, _, count in old)]
    read_back: dict[tuple[int, int], Lists] = {}

    def enclosing(start: int, end: int) -> int | None:
        """The position of the old leaf strictly holding [start, end), if any."""
        at = bisect.bisect_right(starts, start) - 1
        if at < 0:
            return None
        span = leaf_span(*old[at][:2])
        return at if span[0] <= start and end <= span[1] and span != (start, end) else None

    def ids_of(at: int) -> Lists:
        key = old[at][:2]
        if key not in read_back:
            read_back[key] = read(*key)
        return read_back[key]

    def old_ids(start: int, end: int) -> Lists:
        """The old ids in [start, end): whole old leaves, or part of the one holding the interval."""
        inner = enclosing(start, end)
        if inner is not None:
            return _slice(ids_of(inner), start, end)
        parts = [
            ids_of(at) for at in range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end))
        ]
        return tuple([i for part in parts for i in part[n]] for n in range(len(changes.add)))

    def old_count(start: int, end: int) -> int:
        inner = enclosing(start, end)
        if inner is not None:
            return len(_slice(ids_of(inner), start, end)[0])
        return sums[bisect.bisect_left(starts, end)] - sums[bisect.bisect_left(starts, start)]

    leaves: list[Leaf] = []

    def descend(level: int, index: int) -> None:
        start, end = leaf_span(level, index)
        count = old_count(start, end) + changes.count_delta(start, end)
        if not count:
            return
        if count <= CHUNK_IDS or level == 0:
            leaves.append((level, index, count))
            return
        descend(level - 1, 2 * index)
        descend(level - 1, 2 * index + 1)

    descend(ROOT_LEVEL, 0)
    kept = {leaf[:2] for leaf in old}
    written: dict[tuple[int, int], Lists] = {}
    for level, index, _ in leaves:
        start, end = leaf_span(level, index)
        if (level, index) in kept and not changes.any_in(start, end):
            continue  # the same ids as before: the file stays
        written[(level, index)] = changes.apply(old_ids(start, end), start, end)
    new = {leaf[:2] for leaf in leaves}
    return Relayout(leaves, written, [key for key in sorted(kept) if key not in new])


def _slice(lists: Lists, start: int, end: int) -> Lists:
    return tuple(ids[bisect.bisect_left(ids, start) : bisect.bisect_left(ids, end)] for ids in lists)
