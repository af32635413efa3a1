"""Builds that update the spare tree, killed (SIGKILL) at different instants: output/ is the old or the
new site, never a mix (tests/functional/test_output_spare.py kills the commit step by step in-process).
As in test_crash_safety.py, the kill instants follow the time a reference build holds its lock, and
the kills that interrupted a build (frozen while holding the lock) are counted."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import read_tree
from tests.helpers.processes import freeze, holds_flock, lock_taken, locked_seconds, require_proc_locks
from tests.helpers.site import from_scratch


@pytest.mark.slow
def test_small_edit_builds_killed_at_different_instants_leave_old_or_new(site, tmp_path):
    """As tests/system/test_crash_safety.py, but with small edits, so the commit updates the spare."""
    require_proc_locks()

    def state(label: str) -> None:
        for n in range(12):
            site.article(f"a{n}", f"Story {n}", body=f"{label if n == 7 else 'Same'} body {n}.")

    def build() -> subprocess.Popen:
        command = [
            sys.executable,
            "-m",
            "site_builder.cli",
            "build",
            "--site",
            str(site.root),
            "-q",
            "--jobs",
            "1",
        ]
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    trees = {}
    for label in ("Old", "New"):
        state(label)
        trees[label] = from_scratch(site, tmp_path)
    lock = site.root / ".site-cache" / "build.lock"
    assert build().wait(timeout=60) == 0  # New, then the spare is the empty first tree
    state("Old")
    working = locked_seconds(build(), lock)  # a small edit, as every attempt below is
    assert working > 0, "the reference build was never seen holding the build lock"
    target, interrupted = "New", 0
    fractions = [0.4, 0.7, 0.85, 0.95]  # mostly late in the build: around its commit
    # on a loaded machine a build may end before its chosen instant: then kill earlier, until one lands
    fallbacks = [0.2, 0.1, 0.0]
    while fractions or (not interrupted and fallbacks):
        fraction = fractions.pop(0) if fractions else fallbacks.pop(0)
        state(target)
        process = build()
        lock_taken(process, lock)
        time.sleep(working * fraction)
        if freeze(process):
            interrupted += holds_flock(process.pid, lock)
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert read_tree(site.output, folders=True) in (trees["Old"], trees["New"]), (
            f"a mix after a kill at {fraction}"
        )
        assert build().wait(timeout=60) == 0
        assert read_tree(site.output, folders=True) == trees[target]
        target = "Old" if target == "New" else "New"
    assert interrupted > 0, "no kill landed while a build held its lock"
