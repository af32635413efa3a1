"""Waiting for something to happen without guessing how long it takes: conditions polled until a
deadline, and callbacks recorded behind a condition variable."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path


def wait_until(condition: Callable[[], bool], timeout: float = 5.0, interval: float = 0.01) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds passed; return its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


class Recorder:
    """Collects callback batches; lets a test wait for N of them."""

    def __init__(self, delay: float = 0.0) -> None:
        self.batches: list[frozenset[Path]] = []
        self.delay = delay
        self.started = threading.Event()
        self._cond = threading.Condition()

    def __call__(self, batch: frozenset[Path]) -> None:
        self.started.set()
        time.sleep(self.delay)
        with self._cond:
            self.batches.append(batch)
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.batches) >= count, timeout)
