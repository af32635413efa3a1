"""Process-level helpers used by the build's phases: pausing the cyclic garbage collector, handing
freed memory back to the system, and tying a helper process's life to its parent's.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import signal
from collections.abc import Iterator

PR_SET_PDEATHSIG = 1  # prctl(2)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a moment.

    Loading, grouping and planning an archive make hundreds of thousands of small objects, none in
    cycles, and in a process holding a whole archive each collection walks all of it: a one-edit build
    of 10,000 articles is ~15% faster without them. Only for those phases of the parent process: parsing
    and rendering (which may run Markdown extensions and templates in this process) keep the collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def release_free_memory() -> None:
    """Give the memory freed by a phase back to the system (glibc keeps freed chunks in the middle of
    its heap otherwise, and the process's size stays at the phase's peak); a no-op elsewhere."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere nothing): a helper
    must not outlive a build killed by SIGKILL, the OOM killer or a CI timeout."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
