"""The real watchdog observers (inotify and polling) over a site folder: editor saves give exactly one
rebuild, output/ and cache writes none. SiteWatcher.start() returns once it watches (watchdog sets up
its inotify watches and takes the polling snapshot in Observer.start()), so nothing waits for it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.preview.watcher import SiteWatcher
from tests.helpers.waiting import Recorder, wait_until

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
    try:
        yield site, rec
    finally:
        watcher.stop()


def settle(site: Path, rec: Recorder, count: int) -> list[frozenset[Path]]:
    """Wait for ``count`` callbacks, then make one more change in each watched place (a content file, a
    template, people.toml) and wait until all of them came through. Each watch reports its events in
    order, so a late event of the test's own changes cannot come after them: it shows as an extra batch,
    or beside them. Returns every batch without these barrier paths (and without batches of nothing else)."""
    assert rec.wait_for(count), f"expected {count} rebuilds, got {len(rec.batches)}"
    barrier = [site / "content" / "barrier.md", site / "templates" / "barrier.html", site / "people.toml"]
    for path in barrier:
        path.write_text("")
    seen = {path.resolve() for path in barrier}
    assert wait_until(lambda: seen <= set().union(*rec.batches), timeout=10), (
        f"barrier not seen: {rec.batches}"
    )
    return [batch - seen for batch in rec.batches if batch - seen]


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
    assert settle(site, rec, 1) == [frozenset({(content / "a.md").resolve()})]


def test_delete_then_create_gives_exactly_one_rebuild(watched: tuple[Path, Recorder]) -> None:
    site, rec = watched
    article = site / "content" / "a.md"
    article.unlink()
    article.write_text("---\ntitle: New\n---\n\nBody\n")
    batches = settle(site, rec, 1)
    assert len(batches) == 1
    assert article.resolve() in batches[0]


def test_output_and_cache_writes_never_trigger(watched: tuple[Path, Recorder]) -> None:
    site, rec = watched
    for i in range(20):
        (site / "output" / f"p{i}.html").write_text("x")
    (site / ".site-cache" / "build.lock").write_text("1")
    (site / "README.md").write_text("not a source")
    (site / "content" / ".a.md.swp").write_text("swap")
    assert settle(site, rec, 0) == []


def test_many_files_and_config_in_one_burst(watched: tuple[Path, Recorder]) -> None:
    site, rec = watched
    for i in range(25):
        (site / "content" / f"n{i}.md").write_text(f"---\ntitle: N{i}\n---\n")
    (site / "templates" / "base.html").write_text("<html></html>")
    (site / "site.toml").write_text('title = "T2"\n')
    batches = settle(site, rec, 1)
    assert len(batches) == 1
    names = {p.name for p in batches[0]}
    assert {"n0.md", "n24.md", "base.html", "site.toml"} <= names
