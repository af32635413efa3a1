"""One build of a site at a time, held by the building process alone.

The lock is an ``flock`` on ``.site-cache/build.lock``. Such a lock belongs to the open file, and a
forked child shares the parent's open files: a worker process outliving a killed build would keep the
lock and refuse every later build. So every lock file this process holds is closed in each child right
after a fork (:func:`os.register_at_fork`): the lock is released exactly when the building process
ends, however it ends. The holder's process id is written into the file for the refusal message.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from site_builder.errors import BuildLockedError

LOCK_FILE = "build.lock"
_held: set[int] = set()  # this process's lock descriptors: per process by nature (fork handlers are)


def _close_in_child() -> None:
    for descriptor in _held:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    _held.clear()


os.register_at_fork(after_in_child=_close_in_child)


@contextlib.contextmanager
def build_lock(cache_dir: Path) -> Iterator[None]:
    """Hold the site's build lock, or raise :class:`BuildLockedError` naming the process that holds it."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(cache_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            raise BuildLockedError(
                f"another build of this site is running{holder} (lock held on .site-cache/{LOCK_FILE})",
                cache_dir,
            ) from None
        _held.add(descriptor)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            _held.discard(descriptor)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _holder(descriptor: int) -> str:
    """ " (process N)" from the lock file, when it names one."""
    with contextlib.suppress(OSError, ValueError):
        pid = int(os.pread(descriptor, 32, 0).decode().strip())
        return f" (process {pid})"
    return ""
