"""A build killed (SIGKILL) at any instant leaves output/ as the complete old or the complete new site."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ARTICLES = 250


def write_state(root: Path, label: str) -> None:
    for n in range(ARTICLES):
        (root / "content" / f"a{n}.md").write_text(
            f"---\ntitle: {label} story {n}\ndate: 2020-01-{n % 28 + 1:02d}\ntags: [T{n % 9}]\n---\n\n"
            f"{label} body {n}.\n"
        )


def snapshot(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()
    }


def build(root: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "site_builder.cli", "build", "--site", str(root), "-q", "--jobs", "1"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_killed_builds_leave_old_or_new_site_never_a_mix(tmp_path):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Crash"\nbase_url = "https://example.org/"\n')
    trees = {}
    for label in ("Old", "New"):
        write_state(root, label)
        assert build(root).wait(timeout=120) == 0
        trees[label] = snapshot(root / "output")
    assert trees["Old"] != trees["New"]
    outcomes = set()
    for attempt, delay in enumerate([0.3, 0.7, 1.1, 1.5, 2.0, 2.5]):
        current = snapshot(root / "output")
        target = "Old" if current == trees["New"] else "New"
        write_state(root, target)
        process = build(root)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        after = snapshot(root / "output")
        assert after in (trees["Old"], trees["New"]), f"mixed output after kill #{attempt} at {delay}s"
        outcomes.add("new" if after == trees[target] else "old")
    assert build(root).wait(timeout=120) == 0
    assert snapshot(root / "output") == trees[target]
    assert not (root / ".site-cache/output.next").exists()
    assert sorted(p.name for p in root.iterdir()) == [".site-cache", "content", "output", "site.toml"]
    assert not list((root / ".site-cache").glob("staging-*"))


def test_second_build_while_one_runs_gets_a_clear_message(tmp_path):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    write_state(root, "Old")
    first = build(root)
    time.sleep(0.4)
    second = subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "build", "--site", str(root)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    first_status = first.wait(timeout=120)
    assert first_status == 0
    if second.returncode != 0:  # the first was still running
        assert "another build of this site is running" in second.stderr
