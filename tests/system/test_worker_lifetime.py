"""Worker processes live exactly as long as their build: a killed build leaves no worker and no lock behind,
and a worker killed mid-build is reported as a located error with output/ untouched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ARTICLES = 600  # above the parallel threshold: the build starts worker processes


def make_site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Workers"\nbase_url = "https://example.org/"\n')
    for n in range(ARTICLES):
        body = "\n\n".join(
            f"Paragraph {p} of *story* {n} with [a link](https://example.org/{p})." for p in range(30)
        )
        (root / "content" / f"a{n}.md").write_text(
            f"---\ntitle: Story {n}\ndate: 2021-0{n % 9 + 1}-1{n % 10}\ntags: [T{n % 7}]\n---\n\n{body}\n"
        )
    return root


def children(pid: int) -> set[int]:
    """The live child processes of *pid* (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(word) for word in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition, seconds: float = 60.0, step: float = 0.01):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def start_build(site: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "site_builder.cli", "build", "--site", str(site), "-q", "--jobs", "2"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_killed_build_leaves_no_worker_and_the_next_build_runs(tmp_path):
    site = make_site(tmp_path / "site")
    interrupted = 0
    for _ in range(2):
        build = start_build(site)
        workers = wait_for(lambda build=build: children(build.pid) if build.poll() is None else None)
        if not workers:  # finished before its workers were seen: try again
            build.wait(timeout=120)
            continue
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
        interrupted += 1
        assert wait_for(lambda workers=workers: not any(map(alive, workers)), 10), (
            f"workers {sorted(p for p in workers if alive(p))} outlived their killed build"
        )
        finished = start_build(site)
        out, err = finished.communicate(timeout=300)
        assert finished.returncode == 0, err
        assert "another build" not in err
        (site / "output").exists() and subprocess.run(["rm", "-rf", str(site / "output")], check=True)
    assert interrupted >= 1, "no build was killed while its workers ran"


def test_a_worker_killed_mid_build_is_a_clear_error_and_output_is_unchanged(tmp_path):
    site = make_site(tmp_path / "site")
    before = None
    for _ in range(3):
        build = start_build(site)
        workers = wait_for(lambda build=build: children(build.pid) if build.poll() is None else None)
        if workers:
            os.kill(min(workers), signal.SIGKILL)
            _, err = build.communicate(timeout=120)
            if build.returncode != 0:
                before = err
                break
        else:
            build.communicate(timeout=120)
    assert before is not None, "no worker was killed while the build needed it"
    assert "a worker process died during the build" in before
    assert "Traceback" not in before and "BrokenProcessPool" not in before
    assert not (site / "output").exists(), "a failed first build left an output/ folder"
