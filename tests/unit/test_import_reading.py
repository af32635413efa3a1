"""Reading import sources and writing articles safely: gzip bombs, interrupted writes, stale temporaries."""

from __future__ import annotations

import gzip
import os
import random
import tracemalloc
from pathlib import Path

import pytest

from site_builder.importer import ImportOptions, SkipSource, import_sources
from site_builder.importer.documents import atomic_write
from site_builder.importer.reading import read_source

MB = 1024 * 1024


def gzip_bomb(path: Path, inflated: int) -> Path:
    """A small .gz that inflates to *inflated* bytes (written in pieces so the test stays light)."""
    chunk = b"<p>" + b"a" * (MB - 7) + b"</p>\n"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        for _ in range(inflated // MB):
            handle.write(chunk)
    return path


def test_a_gzip_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    bomb = gzip_bomb(tmp_path / "page.html.gz", 64 * MB)
    assert bomb.stat().st_size < MB // 4
    tracemalloc.start()
    try:
        with pytest.raises(SkipSource, match=r"larger than 1,048,576 bytes once decompressed"):
            read_source(bomb, max_bytes=MB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MB, f"inflating the bomb took {peak / MB:.0f} MB"


def test_a_gzip_bomb_in_an_import_is_skipped_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    gzip_bomb(tmp_path / "src" / "page.html.gz", 16 * MB)
    (tmp_path / "src" / "fine.txt").write_text("A headline\n\nSome text of the story.\n", encoding="utf-8")
    options = ImportOptions(into=tmp_path / "content", site_dir=tmp_path, max_bytes=4 * MB)
    report = import_sources([tmp_path / "src"], options)
    assert [Path(p).name for p in report.imported] == ["fine.txt"]
    [(source, reason)] = report.skipped
    assert source.endswith("page.html.gz") and "once decompressed" in reason and "4,194,304" in reason


def test_compressed_sources_are_recognised_by_their_bytes(tmp_path: Path) -> None:
    page = tmp_path / "story.html"  # gzip bytes under a plain name, as some crawlers save them
    page.write_bytes(gzip.compress(b"<html><body><p>Hello</p></body></html>"))
    assert read_source(page).startswith(b"<html>")
    truncated = tmp_path / "cut.html.gz"
    whole = gzip.compress(b"<p>" + random.Random(1).randbytes(3000).hex().encode())
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SkipSource, match="not a valid gzip file"):
        read_source(truncated)


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "content" / "story.md"
    atomic_write(target, b"first version\n")

    def interrupted(source, destination):  # Ctrl-C between writing the bytes and the rename
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"second version\n")
    monkeypatch.undo()
    assert sorted(p.name for p in target.parent.iterdir()) == ["story.md"]
    assert target.read_bytes() == b"first version\n"


def test_a_reimport_removes_temporaries_a_killed_import_left(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("A headline\n\nSome text of the story.\n", encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    dead = 2**22 + 12345  # above the largest pid Linux hands out (pid_max is at most 2**22)
    stale = content / f".a-headline.md.tmp-{dead}"
    stale.write_bytes(b"")
    cache = tmp_path / ".site-cache"
    cache.mkdir()
    stale_manifest = cache / f".import-manifest.json.tmp-{dead}"
    stale_manifest.write_bytes(b"{")
    running = content / f".other.md.tmp-{os.getppid()}"  # a live process: maybe importing right now
    running.write_bytes(b"")
    import_sources([tmp_path / "src"], ImportOptions(into=content, site_dir=tmp_path))
    assert not stale.exists() and not stale_manifest.exists()
    assert running.exists()
    assert sorted(p.name for p in content.iterdir() if not p.name.startswith(".")) == ["a-headline.md"]
