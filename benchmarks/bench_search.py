"""Time the search step of site_builder builds: a cold one (no search state or words cached) and
one-edit rebuilds (a paragraph appended to one article each), in this process, on a copy of a site.

    python benchmarks/bench_search.py /tmp/search-bench/n10000-seed1/site_builder --edits 5

The site should have been built once (so that parsed articles are cached; ``bench_build.py`` leaves
its archive built). Prints each build's time in ``update_index`` + ``stored_pages`` and the median.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    options = parser.parse_args()
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
            build.build_site(config)
            edits.append(timings[-1])
            print(f"one edit ({path.name}): search {timings[-1] * 1000:.0f} ms")
        print(f"median of {len(edits)} one-edit builds: {statistics.median(edits) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
