"""Time one build command and find the peak memory of its whole process tree.

Wall time is what an editor waits for. Peak memory is the larger of two
numbers: the kernel's max RSS of the largest single process in the tree
(wait4's rusage, exact) and the largest memory of the live tree sampled from
/proc (which catches parallel workers). A lone process is sampled by RSS; a
tree of several by the sum of PSS, so that pages forked workers share with
their parent count once, not once per worker. Sampling costs CPU (reading
smaps_rollup walks page tables), so the interval grows to keep it under ~10%
of one core.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Measurement:
    """One build: wall seconds, peak bytes of the process tree, exit code."""

    seconds: float
    peak_bytes: int
    returncode: int


def _children(pid: int) -> list[int]:
    """Direct children of pid, from every thread's children list."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def process_tree(root: int) -> list[int]:
    """root and all its live descendants."""
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        if pid not in found:
            found.append(pid)
            stack.extend(_children(pid))
    return found


def tree_memory(root: int) -> int:
    """Memory of the tree now: RSS of a lone process, else the sum of PSS."""
    pids = process_tree(root)
    if len(pids) == 1:
        return _rss(root)
    return sum(_pss(pid) for pid in pids)


class _Sampler(threading.Thread):
    """Polls the tree's memory until told to stop; keeps the maximum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            start = time.perf_counter()
            self.peak = max(self.peak, tree_memory(self.pid))
            cost = time.perf_counter() - start
            self.done.wait(max(SAMPLE_SECONDS, 10 * cost))


def run_measured(
    command: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None, timeout: float = 3600
) -> Measurement:
    """Run command in cwd (output appended to log) and measure it.

    Python tools run with their bytecode cached, as users run them: PYTHONDONTWRITEBYTECODE (set in
    some shells and CI images) would make every run compile every module from source, a cost that
    grows with the code base rather than with the build.
    """
    env = dict(os.environ if env is None else env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with open(log, "ab") as out:
        out.write(f"\n$ (cd {cwd} && {' '.join(command)})\n".encode())
        out.flush()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        sampler = _Sampler(process.pid)
        sampler.start()
        status, usage = _wait(process, timeout)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    peak = max(usage.ru_maxrss * 1024, sampler.peak)
    return Measurement(seconds, peak, status)


def _wait(process: subprocess.Popen, timeout: float) -> tuple[int, os.struct_rusage]:
    """Block in wait4 (for the child's rusage); a timer kills the child at the timeout."""
    killer = threading.Timer(timeout, process.kill)
    killer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage
