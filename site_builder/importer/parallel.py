"""Extraction in worker processes: an ordered map that uses the cores only when it pays."""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN_ITEMS = 64  # below this, starting worker processes costs more than it saves
MAX_WORKERS = 4


def ordered_map(function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    """``map(function, items)``, in worker processes when there are many items and more than one CPU.

    *function* must be picklable (a module-level function or a ``functools.partial`` of one).
    """
    workers = min(MAX_WORKERS, os.cpu_count() or 1)
    if len(items) < PARALLEL_MIN_ITEMS or workers < 2:
        return map(function, items)
    executor = concurrent.futures.ProcessPoolExecutor(max_workers=workers)
    return _drain(executor, executor.map(function, items, chunksize=16))


def _drain(executor: concurrent.futures.Executor, results: Iterator[R]) -> Iterator[R]:
    with executor:
        yield from results
