#!/usr/bin/env python3
"""Import benchmark for archives: a WordPress export made from the BBC corpus, and a WARC of fundus-dev.

- WXR: N published posts (BBC articles replicated, an attachment every tenth post) written by
  benchmarks/archives.py, then ``import_sources`` into a fresh site. Prints posts/s, the peak memory
  of the importing process itself (VmHWM) and of its whole process tree (workers included, PSS, as
  benchmarks/measure.py samples it).
- WARC: every fundus-dev page as a capture; pages/s, then the HTML metadata scores (title, date,
  authors, by ../shared/eval/score_html.py) of the pages extracted through the WARC path and through
  the saved ``.html.gz`` files: the two must be equal.

usage: python benchmarks/bench_import.py [--posts 10000] [--skip-wxr] [--skip-warc] [--shared DIR]
Archives and sites go to benchmarks/.work/import/ (reused while the parameters are the same).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.archives import bbc_posts, fundus_captures, write_warc, write_wxr  # noqa: E402
from benchmarks.measure import run_measured  # noqa: E402

IMPORT = """
import re, sys, time
from pathlib import Path
from site_builder.importer import ImportOptions, import_sources
archive, site = Path(sys.argv[1]), Path(sys.argv[2])
start = time.perf_counter()
report = import_sources([archive], ImportOptions(into=site / "content", site_dir=site))
seconds = time.perf_counter() - start
peak = re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)
print(report.summary().splitlines()[0])
print("RESULT", len(report.imported), len(report.skipped), f"{seconds:.2f}", int(peak) * 1024)
"""


def bench_wxr(posts: int, shared: Path, work: Path) -> None:
    export = work / f"wxr-{posts}.xml"
    if not export.exists():
        write_wxr(export, bbc_posts(shared / "corpora" / "bbc", posts))
    site = Path(tempfile.mkdtemp(prefix="wxr-site-", dir=work))
    log = work / "import.log"
    measured = run_measured([sys.executable, "-c", IMPORT, str(export), str(site)], ROOT, log)
    result = next(line for line in log.read_text().splitlines()[::-1] if line.startswith("RESULT"))
    imported, skipped, seconds, main_peak = result.split()[1:]
    print(f"## WordPress export, {posts:,} posts ({export.stat().st_size / 2**20:.0f} MB)")
    rate = int(imported) / float(seconds)
    print(f"imported {imported}, skipped {skipped} in {float(seconds):.1f} s: {rate:.0f} posts/s")
    own, tree = int(main_peak) / 2**20, measured.peak_bytes / 2**20
    print(f"peak memory: importing process {own:.0f} MB, whole tree (workers included) {tree:.0f} MB")


def bench_warc(shared: Path, work: Path) -> None:
    from site_builder.importer import ExtractionContext, extract_file
    from site_builder.importer.analysis import extract_item
    from site_builder.importer.formats import read_items
    from site_builder.importer.items import SourceItem
    from site_builder.importer.options import ImportOptions

    fundus = shared / "corpora" / "fundus-dev"
    warc = work / "fundus.warc.gz"
    if not warc.exists():
        write_warc(warc, fundus_captures(fundus))
    truth = [json.loads(line) for line in (fundus / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    by_url = {record["url"]: Path(record["html_file"]).name for record in truth}
    context = ExtractionContext.for_site(None)
    options = ImportOptions(into=work / "unused", site_dir=work)
    start = time.perf_counter()
    through_warc = []
    for item in read_items(warc, "warc", options):
        if isinstance(item, SourceItem):
            article = extract_item(item, context)
            through_warc.append({"source": by_url[item.key], "title": article.title, "date": article.date,
                                 "authors": article.authors})  # fmt: skip
    seconds = time.perf_counter() - start
    rate = len(through_warc) / seconds
    print(
        f"## WARC of fundus-dev: {len(through_warc)} pages in {seconds:.1f} s ({rate:.1f} pages/s, 1 process)"
    )
    saved = []
    for record in truth:
        page = fundus / "pages" / Path(record["html_file"]).name
        article = extract_file(page, context)
        saved.append(
            {"source": page.name, "title": article.title, "date": article.date, "authors": article.authors}
        )
    compare(through_warc, saved, truth, shared, work)


def compare(through_warc: list[dict], saved: list[dict], truth: list[dict], shared: Path, work: Path) -> None:
    """Score both paths with the reference scorer on the pages the WARC path kept, and count the pages
    whose title, date or authors differ."""
    kept = {p["source"] for p in through_warc}
    print(
        f"{len(saved) - len(kept)} page(s) left out of the WARC path: older captures of a URL captured twice"
    )
    same_pages = work / "truth-kept.jsonl"
    same_pages.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in truth if Path(r["html_file"]).name in kept),
        encoding="utf-8",
    )
    for name, predictions in (("through the WARC", through_warc), ("from the saved .html.gz", saved)):
        pred = work / f"pred-{name.split()[-1]}.jsonl"
        pred.write_text(
            "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), encoding="utf-8"
        )
        for lang in ("en", None):
            scorer = [sys.executable, str(shared / "eval" / "score_html.py"), str(same_pages), str(pred)]
            scores = subprocess.run(
                scorer + (["--lang", lang] if lang else []), capture_output=True, text=True
            )
            print(f"{name}, {lang or 'all'} ({len(kept)} pages): {scores.stdout.strip().splitlines()[-1]}")
    differing = [
        w["source"] for w in through_warc if w != next(s for s in saved if s["source"] == w["source"])
    ]
    print(
        f"pages whose title, date or authors differ between the two paths: {len(differing)} {differing[:5]}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--skip-wxr", action="store_true")
    parser.add_argument("--skip-warc", action="store_true")
    args = parser.parse_args()
    work = HERE / ".work" / "import"
    work.mkdir(parents=True, exist_ok=True)
    if not args.skip_wxr:
        bench_wxr(args.posts, args.shared, work)
    if not args.skip_warc:
        bench_warc(args.shared, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
