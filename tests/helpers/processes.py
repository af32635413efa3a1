"""Seeing what a build in another process is doing, without touching it: the locks it holds (Linux
/proc/locks), and freezing it (SIGSTOP) so that what is seen is still true when it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.waiting import wait_until

PROC_LOCKS = Path("/proc/locks")


def require_proc_locks() -> None:
    if not PROC_LOCKS.exists():
        pytest.skip("needs Linux /proc/locks to see which process holds the build lock")


def holds_flock(pid: int, path: Path) -> bool:
    """Does process ``pid`` hold a flock() on ``path`` right now? (Waiters are listed with '->'.)"""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    device = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    for line in PROC_LOCKS.read_text().splitlines():
        fields = line.split()
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[4] == str(pid) and fields[5] == device:
            return True
    return False


def freeze(process: subprocess.Popen) -> bool:
    """SIGSTOP ``process`` and wait until it is stopped; False when it had already ended."""
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGSTOP)
    stat = Path(f"/proc/{process.pid}/stat")

    def stopped_or_gone() -> bool:
        try:  # the state follows the parenthesised command name: "pid (comm) T ..."
            return stat.read_text().rsplit(")", 1)[1].split()[0] in "TtZX"
        except (FileNotFoundError, IndexError):
            return True

    assert wait_until(stopped_or_gone, timeout=10), f"process {process.pid} did not stop"
    return process.poll() is None


def lock_taken(process: subprocess.Popen, lock: Path, timeout: float = 60) -> bool:
    """Wait until the build in ``process`` holds ``lock`` (True), or has ended (False)."""
    wait_until(lambda: holds_flock(process.pid, lock) or process.poll() is not None, timeout, interval=0.002)
    return holds_flock(process.pid, lock)


def locked_seconds(process: subprocess.Popen, lock: Path, timeout: float = 120) -> float:
    """Wait for a build to end; how long it held ``lock`` (0 when it never was seen holding it)."""
    deadline = time.monotonic() + timeout
    taken = None
    while process.poll() is None and time.monotonic() < deadline:
        if taken is None and holds_flock(process.pid, lock):
            taken = time.monotonic()
        time.sleep(0.005)
    assert process.wait(timeout=max(0.0, deadline - time.monotonic())) == 0, "the reference build failed"
    return 0.0 if taken is None else time.monotonic() - taken


def child_pids(pid: int) -> list[int]:
    """The processes ``pid`` started that are still its children (Linux /proc), e.g. a build's workers."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return sorted(set(children))


def alive(pid: int) -> bool:
    """Is there still a process ``pid`` that has not ended (a zombie has ended)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in "ZX"


def kill_all(pids: list[int], command_part: str = "site_builder") -> None:
    """SIGKILL whichever of ``pids`` are still alive and still run ``command_part`` (not a process that
    took a freed pid): a test cleans up the processes it left behind."""
    for pid in pids:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except FileNotFoundError:
            continue
        if alive(pid) and command_part in command:
            os.kill(pid, signal.SIGKILL)
