"""First builds (no output/ yet, so the staged tree is renamed into place) killed (SIGKILL) at different
instants: no output/ at all, or the complete site.

As in test_crash_safety.py, the kill instants follow the time a reference build holds its lock, and the
kills that interrupted a build are counted. Workers end with their build (test_worker_lifetime.py); any
left behind by a failure here are killed at the end.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

import pytest

from site_builder.build.pipeline import build_site
from site_builder.config import load_config
from tests.helpers import read_tree
from tests.helpers.processes import (
    child_pids,
    freeze,
    holds_flock,
    kill_all,
    lock_taken,
    locked_seconds,
    require_proc_locks,
)
from tests.helpers.site import make_tagged_site
from tests.helpers.waiting import wait_until

# Kill instants after the build took its lock, as fractions of the time a whole first build holds it.
KILL_AT = (0.1, 0.3, 0.5, 0.7, 0.9)


@pytest.mark.slow
def test_killed_first_builds_leave_no_output_or_the_complete_site(tmp_path):
    require_proc_locks()
    reference = make_tagged_site(tmp_path / "reference", articles=150)
    build_site(load_config(reference), jobs=1)
    expected = read_tree(reference / "output")
    root = make_tagged_site(tmp_path / "site", articles=150)
    command = [sys.executable, "-m", "site_builder.cli", "build", "--site", str(root), "-q", "--jobs", "2"]
    lock = root / ".site-cache" / "build.lock"
    working = locked_seconds(subprocess.Popen(command), lock)
    assert working > 0, "the reference build was never seen holding the build lock"
    shutil.rmtree(root / "output")
    shutil.rmtree(root / ".site-cache")  # every attempt below is a first build, as the first one was
    outcomes, interrupted, workers = set(), 0, []
    try:
        for fraction in KILL_AT:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            lock_taken(process, lock)
            time.sleep(fraction * working)
            if freeze(process):
                interrupted += holds_flock(process.pid, lock)
                workers += child_pids(process.pid)
                process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
            if (root / "output").exists():
                assert read_tree(root / "output") == expected, (
                    f"half-written output/ after a kill at {fraction}"
                )
                outcomes.add("complete")
                subprocess.run(["rm", "-rf", str(root / "output")], check=True)
            else:
                outcomes.add("none")
    finally:
        kill_all(workers)
    assert interrupted > 0, f"no kill landed while a build held its lock (outcomes {outcomes})"
    assert "none" in outcomes  # (killed before the commit at least once)
    assert subprocess.run(command, timeout=120).returncode == 0
    assert read_tree(root / "output") == expected
    assert wait_until(lambda: not list((root / ".site-cache").glob("staging-*")), timeout=20)
