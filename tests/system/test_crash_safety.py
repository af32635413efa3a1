"""A build killed (SIGKILL) at any instant leaves output/ as the complete old or the complete new site.

Each kill is counted only when it interrupted a build: the process, frozen (SIGSTOP) at the kill instant,
still held the build lock (seen in /proc/locks). The kill instants are spread over the time a reference
build holds that lock, measured first, so they land inside builds on a fast or a loaded machine alike.
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import read_tree
from tests.helpers.processes import (
    freeze,
    holds_flock,
    lock_taken,
    locked_seconds,
    require_proc_locks,
)

ARTICLES = 250
# Kill instants after the build took its lock, as fractions of the time a whole rebuild holds it.
KILL_AT = (0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 1.1)


def write_state(root: Path, label: str) -> None:
    for n in range(ARTICLES):
        (root / "content" / f"a{n}.md").write_text(
            f"---\ntitle: {label} story {n}\ndate: 2020-01-{n % 28 + 1:02d}\ntags: [T{n % 9}]\n---\n\n"
            f"{label} body {n}.\n"
        )


def build(root: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "site_builder.cli", "build", "--site", str(root), "-q", "--jobs", "1"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_killed_builds_leave_old_or_new_site_never_a_mix(tmp_path):
    require_proc_locks()
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Crash"\nbase_url = "https://example.org/"\n')
    lock = root / ".site-cache" / "build.lock"
    trees = {}
    write_state(root, "Old")
    assert build(root).wait(timeout=120) == 0
    trees["Old"] = read_tree(root / "output")
    write_state(root, "New")
    working = locked_seconds(build(root), lock)  # a whole rebuild, as every attempt below is
    trees["New"] = read_tree(root / "output")
    assert working > 0, "the reference build was never seen holding the build lock"
    assert trees["Old"] != trees["New"]
    outcomes, interrupted, writing = [], 0, 0
    for attempt, fraction in enumerate(KILL_AT):
        current = read_tree(root / "output")
        target = "Old" if current == trees["New"] else "New"
        write_state(root, target)
        process = build(root)
        lock_taken(process, lock)
        time.sleep(fraction * working)
        if freeze(process):  # still running: what it holds now is what the kill interrupts
            if holds_flock(process.pid, lock):
                interrupted += 1
                writing += bool(list((root / ".site-cache").glob("staging-*")))
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        after = read_tree(root / "output")
        assert after in (trees["Old"], trees["New"]), f"mixed output after kill #{attempt} at {fraction}"
        outcomes.append("new" if after == trees[target] else "old")
    summary = f"{interrupted} builds interrupted, {writing} while staging; outcomes {outcomes}"
    assert interrupted > 0 and writing > 0, f"no kill interrupted a build that was writing: {summary}"
    assert build(root).wait(timeout=120) == 0
    assert read_tree(root / "output") == trees[target]
    assert not (root / ".site-cache/output.next").exists()
    assert sorted(p.name for p in root.iterdir()) == [".site-cache", "content", "output", "site.toml"]
    assert not list((root / ".site-cache").glob("staging-*"))


def test_second_build_while_one_runs_gets_a_clear_message(tmp_path):
    """The first build is frozen while it holds the lock, so the second one certainly meets it."""
    require_proc_locks()
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    write_state(root, "Old")
    lock = root / ".site-cache" / "build.lock"
    first = build(root)
    assert lock_taken(first, lock)
    assert freeze(first) and holds_flock(first.pid, lock), "the first build ended before it could be held"
    try:
        second = subprocess.run(
            [sys.executable, "-m", "site_builder.cli", "build", "--site", str(root)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        first.send_signal(signal.SIGCONT)
    assert first.wait(timeout=120) == 0
    assert second.returncode == 1
    assert "another build of this site is running" in second.stderr
