"""Debounce rules (pure, fake clock), editor-dropping filters, and the real watchdog observer."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_builder.preview.watcher import Burst, Debouncer, SiteWatcher, is_ignored_name, is_ignored_path

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


class Recorder:
    """Collects callback batches; lets a test wait for N of them."""

    def __init__(self, delay: float = 0.0) -> None:
        self.batches: list[frozenset[Path]] = []
        self.delay = delay
        self.started = threading.Event()
        self._cond = threading.Condition()

    def __call__(self, batch: frozenset[Path]) -> None:
        self.started.set()
        time.sleep(self.delay)
        with self._cond:
            self.batches.append(batch)
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.batches) >= count, timeout)


def test_debouncer_merges_a_burst_into_one_callback() -> None:
    rec = Recorder()
    deb = Debouncer(rec, quiet=0.3)
    try:
        for i in range(30):
            deb.add(Path(f"content/{i % 3}.md"))
            time.sleep(0.002)
        assert rec.wait_for(1)
        time.sleep(0.3)
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
    rec = Recorder(delay=0.5)
    deb = Debouncer(rec, quiet=0.05)
    try:
        deb.add(Path("a"))
        assert rec.started.wait(5)  # the first callback is running now
        for name in "bcd":
            deb.add(Path(name))
        assert rec.wait_for(2)
        time.sleep(0.2)
        assert rec.batches == [frozenset({Path("a")}), frozenset({Path(n) for n in "bcd"})]
        assert deb.idle()
    finally:
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
        _wait(lambda: len(calls) == 1)
        deb.add(Path("b"))
        _wait(lambda: len(calls) == 2)
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


# ---------------------------------------------------------------- real observers


def _wait(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


# Longer than the 50 ms default: on a loaded 2-core CI machine a test's own burst of writes can stall
# for longer than that, which would (correctly) split it into two bursts and make exact counts flaky.
QUIET = 0.3


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    for folder in ("content", "templates", "static", "output", ".site-cache"):
        (tmp_path / folder).mkdir()
    (tmp_path / "content" / "a.md").write_text("---\ntitle: A\n---\n\nBody\n")
    (tmp_path / "site.toml").write_text('title = "T"\n')
    return tmp_path


@pytest.fixture(params=[False, True], ids=["native", "polling"])
def watched(request: pytest.FixtureRequest, site: Path) -> Iterator[tuple[Path, Recorder]]:
    rec = Recorder()
    watcher = SiteWatcher(site, rec, poll=request.param, poll_interval=0.1, quiet=QUIET).start()
    time.sleep(0.2)  # let the observer take its first snapshot
    try:
        yield site, rec
    finally:
        watcher.stop()


def settle(rec: Recorder, count: int) -> None:
    """Wait for ``count`` callbacks, then long enough to see a spurious extra one."""
    assert rec.wait_for(count), f"expected {count} rebuilds, got {len(rec.batches)}"
    time.sleep(QUIET + 0.5)


def test_vim_style_save_gives_exactly_one_rebuild(watched: tuple[Path, Recorder]) -> None:
    """vim with backupcopy=no: probe file 4913, swap file, rename to backup~, create new, delete backup."""
    site, rec = watched
    content = site / "content"
    (content / "4913").write_text("")
    (content / "4913").unlink()
    (content / ".a.md.swp").write_bytes(b"swap")
    os.rename(content / "a.md", content / "a.md~")
    (content / "a.md").write_text("---\ntitle: A2\n---\n\nBody\n")
    (content / "a.md~").unlink()
    (content / ".a.md.swp").unlink()
    settle(rec, 1)
    assert rec.batches == [frozenset({(content / "a.md").resolve()})]


def test_delete_then_create_gives_exactly_one_rebuild(watched: tuple[Path, Recorder]) -> None:
    site, rec = watched
    article = site / "content" / "a.md"
    article.unlink()
    article.write_text("---\ntitle: New\n---\n\nBody\n")
    settle(rec, 1)
    assert len(rec.batches) == 1
    assert article.resolve() in rec.batches[0]


def test_output_and_cache_writes_never_trigger(watched: tuple[Path, Recorder]) -> None:
    site, rec = watched
    for i in range(20):
        (site / "output" / f"p{i}.html").write_text("x")
    (site / ".site-cache" / "build.lock").write_text("1")
    (site / "README.md").write_text("not a source")
    (site / "content" / ".a.md.swp").write_text("swap")
    time.sleep(QUIET + 0.5)
    assert rec.batches == []


def test_many_files_and_config_in_one_burst(watched: tuple[Path, Recorder]) -> None:
    site, rec = watched
    for i in range(25):
        (site / "content" / f"n{i}.md").write_text(f"---\ntitle: N{i}\n---\n")
    (site / "templates" / "base.html").write_text("<html></html>")
    (site / "site.toml").write_text('title = "T2"\n')
    settle(rec, 1)
    assert len(rec.batches) == 1
    names = {p.name for p in rec.batches[0]}
    assert {"n0.md", "n24.md", "base.html", "site.toml"} <= names
