#!/usr/bin/env python3
"""Extraction quality and import speed, measured with the reference scorers in ../shared/eval.

usage: python benchmarks/extraction_quality.py [--shared DIR] [--skip-html] [--skip-speed]

- People on conll2003-dev: conll_docs.py -> `extract --json` -> score_people.py (document-level P/R/F1 of
  distinct people), exactly as ../shared/eval/README.md says.
- HTML metadata on fundus-dev: score_html.py on English pages, then on the other languages.
- Speed: a full import of the BBC corpus into a temporary site (wall and CPU seconds, articles/s).

The extraction runs through the same entry point as ``site-builder extract --json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def extract_json(files: list[Path], out: Path) -> None:
    """Run the extract command (one JSON object a line) over *files* into *out*."""
    command = [sys.executable, "-m", "site_builder.cli", "extract", "--json", *map(str, files)]
    with out.open("w", encoding="utf-8") as handle:
        subprocess.run(command, stdout=handle, check=False, cwd=REPO)


def scorer(shared: Path, name: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(shared / "eval" / name), *args], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def people_on_conll(shared: Path, work: Path) -> None:
    docs = work / "conll-dev"
    valid = shared / "corpora" / "conll2003-dev" / "valid.txt"
    make_docs = shared / "eval" / "conll_docs.py"
    subprocess.run([sys.executable, str(make_docs), str(valid), str(docs)], check=True)
    pred = work / "conll-pred.jsonl"
    started = time.perf_counter()
    extract_json(sorted(docs.glob("doc*.txt")), pred)
    seconds = time.perf_counter() - started
    print(f"## People on conll2003-dev (rules, default install; {seconds:.1f} s)")
    print(scorer(shared, "score_people.py", str(docs / "gold.jsonl"), str(pred)))
    spacy = importlib.util.find_spec("spacy") is not None
    print(f"spaCy extra: {'installed but not used by this version' if spacy else 'not installed'}")


def html_on_fundus(shared: Path, work: Path) -> None:
    fundus = shared / "corpora" / "fundus-dev"
    pred = work / "fundus-pred.jsonl"
    extract_json(sorted((fundus / "pages").glob("*.html.gz")), pred)
    truth = fundus / "truth.jsonl"
    print("## HTML on fundus-dev, English pages")
    print(scorer(shared, "score_html.py", str(truth), str(pred), "--lang", "en"))
    other = work / "truth-other.jsonl"
    lines = [line for line in truth.read_text(encoding="utf-8").splitlines() if line.strip()]
    others = [line for line in lines if not (json.loads(line).get("html_lang") or "").startswith("en")]
    other.write_text("\n".join(others) + "\n", encoding="utf-8")
    print("## HTML on fundus-dev, other languages")
    print(scorer(shared, "score_html.py", str(other), str(pred)))


def import_speed(shared: Path, work: Path) -> None:
    from site_builder.importer import ImportOptions, import_sources

    site = work / "bbc-site"
    before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    options = ImportOptions(into=site / "content", site_dir=site, tag_from_folder=True)
    report = import_sources([shared / "corpora" / "bbc"], options)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before, strict=True))
    files = len(report.imported) + len(report.duplicates) + len(report.skipped)
    print("## Import speed, BBC corpus (plain text)")
    print(
        f"{files} files ({len(report.imported)} imported, {len(report.duplicates)} duplicates, "
        f"{len(report.skipped)} skipped) in {seconds:.1f} s wall, {cpu:.1f} s CPU: "
        f"{files / seconds:.0f} files/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared/ folder")
    parser.add_argument("--skip-html", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    if not (args.shared / "eval").is_dir():
        print(f"{args.shared}/eval is absent: put the shared corpora beside the repository", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="extraction-quality-") as temporary:
        work = Path(temporary)
        people_on_conll(args.shared, work)
        if not args.skip_html:
            html_on_fundus(args.shared, work)
        if not args.skip_speed:
            import_speed(args.shared, work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
