"""Debounce rules (pure, fake clock), the debouncer thread and editor-dropping filters (the real watchdog
observers are in tests/system/test_watcher_observers.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from site_builder.preview.watcher import Burst, Debouncer, is_ignored_name, is_ignored_path
from tests.helpers.waiting import Recorder, wait_until

# ---------------------------------------------------------------- pure debounce rules


def test_burst_is_due_only_after_quiet() -> None:
    burst = Burst(quiet=0.1, max_wait=2.0)
    assert burst.seconds_until_due(0.0) is None
    burst.add(Path("a"), now=10.0)
    assert burst.seconds_until_due(10.05) == pytest.approx(0.05)
    burst.add(Path("b"), now=10.08)  # a new event restarts the quiet period
    assert burst.seconds_until_due(10.15) == pytest.approx(0.03)
    assert burst.seconds_until_due(10.18) == 0
    assert burst.take() == {Path("a"), Path("b")}
    assert burst.seconds_until_due(11.0) is None


def test_burst_has_a_maximum_wait_under_continuous_events() -> None:
    burst = Burst(quiet=0.1, max_wait=1.0)
    now = 0.0
    while now < 0.95:
        burst.add(Path("log.md"), now)
        now += 0.05
        assert burst.seconds_until_due(now) > 0
    burst.add(Path("log.md"), 1.0)
    assert burst.seconds_until_due(1.0) == 0


def test_burst_deduplicates_paths() -> None:
    burst = Burst()
    for i in range(50):
        burst.add(Path("content/a.md"), now=i * 0.001)
    assert burst.take() == {Path("content/a.md")}


# ---------------------------------------------------------------- debouncer thread


def test_debouncer_merges_a_burst_into_one_callback() -> None:
    rec = Recorder()
    deb = Debouncer(rec, quiet=0.3)
    try:
        for i in range(30):
            deb.add(Path(f"content/{i % 3}.md"))
            time.sleep(0.002)
        assert rec.wait_for(1)
        assert wait_until(deb.idle)  # nothing pending and no callback running: no second one can come
        assert rec.batches == [frozenset(Path(f"content/{i}.md") for i in range(3))]
    finally:
        deb.close()


def test_debouncer_separate_bursts_give_separate_callbacks() -> None:
    rec = Recorder()
    deb = Debouncer(rec, quiet=0.05)
    try:
        deb.add(Path("a"))
        assert rec.wait_for(1)
        deb.add(Path("b"))
        assert rec.wait_for(2)
        assert rec.batches == [frozenset({Path("a")}), frozenset({Path("b")})]
    finally:
        deb.close()


def test_changes_during_a_rebuild_become_exactly_one_more_rebuild() -> None:
    rebuild_may_end = threading.Event()
    rec = Recorder(hold=rebuild_may_end)
    deb = Debouncer(rec, quiet=0.05)
    try:
        deb.add(Path("a"))
        assert rec.started.wait(5)  # the first callback is running now, and stays until released
        for name in "bcd":
            deb.add(Path(name))
        assert not deb.idle()
        rebuild_may_end.set()
        assert rec.wait_for(2)
        assert wait_until(deb.idle)
        assert rec.batches == [frozenset({Path("a")}), frozenset({Path(n) for n in "bcd"})]
        assert deb.idle()
    finally:
        rebuild_may_end.set()
        deb.close()


def test_failing_callback_does_not_stop_the_debouncer() -> None:
    errors: list[BaseException] = []
    calls: list[frozenset[Path]] = []

    def callback(batch: frozenset[Path]) -> None:
        calls.append(batch)
        if len(calls) == 1:
            raise RuntimeError("boom")

    deb = Debouncer(callback, quiet=0.02, on_error=errors.append)
    try:
        deb.add(Path("a"))
        wait_until(lambda: len(calls) == 1)
        deb.add(Path("b"))
        wait_until(lambda: len(calls) == 2)
        assert [str(e) for e in errors] == ["boom"]
    finally:
        deb.close()


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize(
    "name",
    [
        ".a.md.swp",
        ".a.md.swx",
        ".a.md.swo",
        "a.md~",
        "4913",
        ".#a.md",
        "#a.md#",
        "a.md___jb_tmp___",
        ".DS_Store",
    ],
)
def test_editor_droppings_are_ignored(name: str) -> None:
    assert is_ignored_name(name)


@pytest.mark.parametrize("name", ["a.md", "swp.md", "4913.md", "notes.txt", "base.html", "site.toml"])
def test_real_files_are_not_ignored(name: str) -> None:
    assert not is_ignored_name(name)


def test_output_cache_and_vcs_paths_are_ignored(tmp_path: Path) -> None:
    assert is_ignored_path(tmp_path / "output" / "index.html")
    assert is_ignored_path(tmp_path / ".site-cache" / "build.lock")
    assert is_ignored_path(tmp_path / "content" / ".git" / "HEAD")
    assert is_ignored_path(tmp_path / "public" / "x.html", ignored_dirs=[tmp_path / "public"])
    assert not is_ignored_path(tmp_path / "content" / "a.md", ignored_dirs=[tmp_path / "public"])


def test_folder_names_above_the_site_do_not_count(tmp_path: Path) -> None:
    site = tmp_path / "output" / "news"
    assert not is_ignored_path(site / "content" / "a.md", root=site)
    assert is_ignored_path(site / "output" / "index.html", root=site)
