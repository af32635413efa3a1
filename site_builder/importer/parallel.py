"""Extraction in worker processes: an ordered, streaming map that uses the cores only when it pays.

Items are read lazily and at most a few chunks are in flight, so an archive of any size is mapped in
bounded memory (``concurrent.futures.Executor.map`` would submit every item at once).
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN_ITEMS = 64  # below this, starting worker processes costs more than it saves
MAX_WORKERS = 4
CHUNK_ITEMS = 16
CHUNK_WEIGHT = 8 * 1024 * 1024  # a chunk is cut at this total weight (the items' bytes)
CHUNKS_PER_WORKER = 2  # in flight: one being worked on, one waiting, per worker


def ordered_map(
    function: Callable[[T], R], items: Iterable[T], weight: Callable[[T], int] = lambda item: 1
) -> Iterator[tuple[T, R]]:
    """``(item, function(item))`` for each item, in order; in worker processes when there are many
    items and more than one CPU. *function* must be picklable (a module-level function or a
    ``functools.partial`` of one); *weight* (an item's size in bytes) bounds what is in flight."""
    iterator = iter(items)
    first = list(itertools.islice(iterator, PARALLEL_MIN_ITEMS))
    workers = min(MAX_WORKERS, os.cpu_count() or 1)
    if len(first) < PARALLEL_MIN_ITEMS or workers < 2:
        yield from ((item, function(item)) for item in itertools.chain(first, iterator))
        return
    executor = concurrent.futures.ProcessPoolExecutor(max_workers=workers)
    in_flight: collections.deque = collections.deque()
    try:
        for chunk in _chunks(itertools.chain(first, iterator), weight):
            in_flight.append((chunk, executor.submit(_map_chunk, function, chunk)))
            while len(in_flight) >= workers * CHUNKS_PER_WORKER:
                done, future = in_flight.popleft()
                yield from zip(done, future.result(), strict=True)
        while in_flight:
            done, future = in_flight.popleft()
            yield from zip(done, future.result(), strict=True)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _map_chunk(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


def _chunks(items: Iterable[T], weight: Callable[[T], int]) -> Iterator[list[T]]:
    chunk: list[T] = []
    total = 0
    for item in items:
        chunk.append(item)
        total += weight(item)
        if len(chunk) >= CHUNK_ITEMS or total >= CHUNK_WEIGHT:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk
