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
    """Collects callback batches; lets a test wait for N of them. With ``hold``, a callback (a rebuild)
    does not end before that event is set, so a test decides how long a rebuild lasts."""

    def __init__(self, hold: threading.Event | None = None) -> None:
        self.batches: list[frozenset[Path]] = []
        self.hold = hold
        self.started = threading.Event()
        self._cond = threading.Condition()

    def __call__(self, batch: frozenset[Path]) -> None:
        self.started.set()
        if self.hold is not None:
            assert self.hold.wait(10), "the test never let the callback end"
        with self._cond:
            self.batches.append(batch)
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.batches) >= count, timeout)
