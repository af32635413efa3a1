"""A build with no output/ yet stages a tree and renames it into place: same site, nothing half-written."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.build import rendering
from site_builder.build.loading import BuildErrors
from site_builder.build.output import commit as output_module
from site_builder.build.output.commit import commit_swap
from site_builder.build.output.scratch import Scratch
from site_builder.build.output.staging import Staging
from site_builder.build.pipeline import build_site
from site_builder.config import load_config
from site_builder.errors import SiteError

SETTINGS = 'title = "Tree"\nbase_url = "https://example.org/"\npage_size = 4\n'


def make_site(root: Path, articles: int = 30) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SETTINGS)
    for n in range(articles):
        (root / "content" / f"a{n}.md").write_text(
            f"---\ntitle: Story {n}\ndate: 2021-0{n % 9 + 1}-1{n % 10}\ntags: [T{n % 5}]\n"
            f'people: [Ann Lee{n % 3}]\n---\n\nBody "{n}" -- it\'s here.\n'
        )
    return root


def snapshot(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()
    }


def wait_until(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_first_build_renames_its_staged_tree_into_place_and_gives_the_same_site(tmp_path, monkeypatch):
    flat = make_site(tmp_path / "flat")
    with monkeypatch.context() as patch:
        patch.setattr(rendering, "_tree_staging", lambda config, guard: None)
        build_site(load_config(flat), jobs=1)
    moves = []
    real_move = output_module._move
    monkeypatch.setattr(output_module, "_move", lambda *args: moves.append(args) or real_move(*args))
    tree = make_site(tmp_path / "tree")
    report = build_site(load_config(tree), jobs=2)
    assert report.written > 50 and moves == []  # no file moved one by one
    assert snapshot(tree / "output") == snapshot(flat / "output")
    assert not list((tree / ".site-cache").glob("staging-*"))
    build_site(load_config(tree), jobs=1)  # the next build (flat staging, spare) is unaffected
    assert snapshot(tree / "output") == snapshot(flat / "output")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failed_first_build_leaves_no_output_and_its_staged_tree_is_deleted(tmp_path, jobs):
    """(With workers, some still render into the staged tree when the error arrives: they are waited
    for before it is discarded, or they would make its folders again.)"""
    root = make_site(tmp_path / "site", articles=30 if jobs == 1 else 400)
    (root / "templates").mkdir()
    (root / "templates" / "tags.html").write_text("{{ no_such_function() }}")  # rendered after the articles
    with pytest.raises((BuildErrors, SiteError)):
        build_site(load_config(root), jobs=jobs)
    assert not (root / "output").exists()
    assert not list((root / ".site-cache").glob("staging-*"))
    assert wait_until(lambda: not list((root / ".site-cache").glob("output.trash-*")))


def test_output_made_by_someone_during_a_tree_staged_build_is_still_committed(tmp_path):
    output_dir, cache_dir = tmp_path / "output", tmp_path / ".site-cache"
    scratch = Scratch.for_output(output_dir, cache_dir)
    staging = Staging(cache_dir, scratch)
    staging.add("articles/a/index.html", b"<p>a</p>")
    staging.add("index.html", b"<p>home</p>")
    output_dir.mkdir()
    (output_dir / "index.html").write_bytes(b"old")
    commit_swap(staging, output_dir, [], scratch)
    assert snapshot(output_dir) == {"articles/a/index.html": b"<p>a</p>", "index.html": b"<p>home</p>"}
    assert not staging.root.exists()


def test_killed_first_builds_leave_no_output_or_the_complete_site(tmp_path):
    reference = make_site(tmp_path / "reference", articles=150)
    build_site(load_config(reference), jobs=1)
    expected = snapshot(reference / "output")
    root = make_site(tmp_path / "site", articles=150)
    command = [sys.executable, "-m", "site_builder.cli", "build", "--site", str(root), "-q", "--jobs", "2"]
    outcomes = set()
    for delay in [0.2, 0.5, 0.8, 1.2, 1.8]:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if (root / "output").exists():
            assert snapshot(root / "output") == expected, f"half-written output/ after a kill at {delay}s"
            outcomes.add("complete")
            subprocess.run(["rm", "-rf", str(root / "output")], check=True)
        else:
            outcomes.add("none")
    assert "none" in outcomes  # (killed before the commit at least once)
    assert subprocess.run(command, timeout=120).returncode == 0
    assert snapshot(root / "output") == expected
    assert wait_until(lambda: not list((root / ".site-cache").glob("staging-*")))
