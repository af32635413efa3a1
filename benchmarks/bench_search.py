"""Measure site_builder's search on a built archive: the search step of builds, and what a query costs.

    python benchmarks/bench_search.py /tmp/search-bench/n10000-seed1/site_builder --edits 5
    python benchmarks/bench_search.py /tmp/search-bench/n10000-seed1/site_builder --downloads

The site should have been built once (so that parsed articles are cached; ``bench_build.py`` leaves
its archive built). By default, on a copy of the site, times a cold search step (no search state or
words cached) and one-edit rebuilds (a paragraph appended to one article each), in this process:
each build's time in ``update_index`` + ``stored_pages``, the median, and how many index files each
edit rewrote. With ``--downloads``, serves the site's output/ and measures 20 queries in chromium
(see search_downloads.py): gzipped bytes per query, time to the first result on a throttled network,
and the index's size against the site's.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from site_builder.build import pipeline as build
from site_builder.config import load_config
from site_builder.search import index as search


def timed_search() -> list[float]:
    """Wrap build's call of update_index (stored_pages included) to record its wall time."""
    timings: list[float] = []
    update = search.update_index

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        index = update(*args, **kwargs)
        pages = index.stored_pages()
        timings.append(time.perf_counter() - started)
        index.stored_pages = lambda: pages  # the build's own call: already made
        return index

    build.update_index = wrapper
    return timings


def forget_search(site: Path) -> None:
    db = sqlite3.connect(site / ".site-cache" / "cache.sqlite")
    for table in ("search", "search_state", "search_docs", "search_files", "stored_pages"):
        db.execute(f"DELETE FROM {table}")
    db.execute("DELETE FROM meta WHERE key = 'inputs'")
    db.commit()
    db.close()


def index_files(site: Path) -> dict[str, int]:
    """Each index file of output/ and its modification time (a file not rewritten keeps its own)."""
    root = site / "output" / "search" / "index"
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def rewritten(before: dict[str, int], after: dict[str, int]) -> int:
    return sum(1 for path, mtime in after.items() if before.get(path) != mtime) + len(before.keys() - after)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--downloads", action="store_true", help="measure queries in chromium instead")
    parser.add_argument("--no-throttle", action="store_true", help="skip the throttled time to first result")
    parser.add_argument("--pagefind", type=Path, help="with --downloads: an output/ copy Pagefind indexed")
    options = parser.parse_args()
    if options.downloads:
        if not __package__:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from benchmarks import search_downloads

        output = options.site / "output"
        print(search_downloads.index_size(output))
        print(search_downloads.summary(search_downloads.run(output, not options.no_throttle)))
        if options.pagefind:
            found = search_downloads.run_pagefind(options.pagefind)
            for row in found:
                print(
                    f"pagefind `{row['query']}` ({row['kind']}): {row['results']} results, "
                    f"{row['files']} files, {row['kb']:.1f} KB"
                )
            sizes = [row["kb"] for row in found]
            print(f"pagefind: median {statistics.median(sizes):.1f} KB, max {max(sizes):.1f} KB gzipped")
        return
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        site = Path(folder) / "site"
        shutil.copytree(options.site, site, ignore=shutil.ignore_patterns("output.trash*", "build.lock"))
        config = load_config(site, {})
        timings = timed_search()
        build.build_site(config)  # brings the cache to this version (schema) if needed
        forget_search(site)
        build.build_site(config)
        print(f"cold search: {timings[-1] * 1000:.0f} ms")
        files = sorted((site / "content").glob("*.md"))
        edits = []
        for number in range(options.edits):
            path = files[(number * 997) % len(files)]
            path.write_text(path.read_text() + f"\n\nAn appended paragraph {number}, quixotically.\n")
            before = index_files(site)
            build.build_site(config)
            edits.append(timings[-1])
            changed = rewritten(before, index_files(site))
            took = timings[-1] * 1000
            print(f"one edit ({path.name}): search {took:.0f} ms, {changed} index files rewritten")
        print(f"median of {len(edits)} one-edit builds: {statistics.median(edits) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
