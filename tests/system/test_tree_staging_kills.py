"""First builds (no output/ yet, so the staged tree is renamed into place) killed (SIGKILL) at different
instants: no output/ at all, or the complete site."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from site_builder.build.pipeline import build_site
from site_builder.config import load_config
from tests.helpers import read_tree
from tests.helpers.site import make_tagged_site
from tests.helpers.waiting import wait_until


@pytest.mark.slow
def test_killed_first_builds_leave_no_output_or_the_complete_site(tmp_path):
    reference = make_tagged_site(tmp_path / "reference", articles=150)
    build_site(load_config(reference), jobs=1)
    expected = read_tree(reference / "output")
    root = make_tagged_site(tmp_path / "site", articles=150)
    command = [sys.executable, "-m", "site_builder.cli", "build", "--site", str(root), "-q", "--jobs", "2"]
    outcomes = set()
    for delay in [0.2, 0.5, 0.8, 1.2, 1.8]:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if (root / "output").exists():
            assert read_tree(root / "output") == expected, f"half-written output/ after a kill at {delay}s"
            outcomes.add("complete")
            subprocess.run(["rm", "-rf", str(root / "output")], check=True)
        else:
            outcomes.add("none")
    assert "none" in outcomes  # (killed before the commit at least once)
    assert subprocess.run(command, timeout=120).returncode == 0
    assert read_tree(root / "output") == expected
    assert wait_until(lambda: not list((root / ".site-cache").glob("staging-*")), timeout=20)
