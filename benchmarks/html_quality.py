#!/usr/bin/env python3
"""Measure HTML metadata extraction on fundus-dev with the reference scorer.

Runs :func:`site_builder.importer.extract.html.extract_html` over ``../shared/corpora/fundus-dev/pages``,
writes one JSON line a page (``source``, ``title``, ``date``, ``authors``: what ``site-builder
extract --json`` prints), then calls ``../shared/eval/score_html.py`` for the English pages and for
all pages, then the non-English pages, printing title / date / authors accuracies. ``--misses`` lists
every page where a field differs from the truth; ``--baseline`` scores trafilatura's metadata alone
(htmldate without extensive search), the figure this module improves on; ``--body`` compares the
Markdown body with the truth's body text.

usage: python benchmarks/html_quality.py [--lang en] [--shared DIR] [--out PRED.jsonl]
                                         [--misses] [--baseline] [--body]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_builder.importer.extract.html import decode_html, extract_html  # noqa: E402


def predict(pages: list[Path], out: Path, baseline: bool = False) -> float:
    """Extract every page and write the prediction JSONL; return the seconds it took."""
    start = time.perf_counter()
    with out.open("w", encoding="utf-8") as handle:
        for page in pages:
            record = _baseline(page) if baseline else _ours(page)
            handle.write(json.dumps({"source": str(page), **record}, ensure_ascii=False) + "\n")
    return time.perf_counter() - start


def _ours(page: Path) -> dict:
    result = extract_html(page.read_bytes(), str(page))
    date = result.date.isoformat() if result.date else None
    return {"title": result.title, "date": date, "authors": result.authors}


def _baseline(page: Path) -> dict:
    """trafilatura's metadata alone, as the issue measured it."""
    from trafilatura.metadata import extract_metadata

    text = decode_html(page.read_bytes()).text
    meta = extract_metadata(text, date_config={"extensive_search": False, "original_date": True})
    authors = [a.strip() for a in (meta.author or "").split(";") if a.strip()]
    return {"title": meta.title, "date": meta.date, "authors": authors}


def score(scorer: Path, truth: Path, pred: Path, lang: str | None) -> str:
    """Run the reference scorer and return its output."""
    cmd = [sys.executable, str(scorer), str(truth), str(pred)] + (["--lang", lang] if lang else [])
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


def misses(truth: Path, pred: Path, lang: str | None, scorer_dir: Path) -> list[str]:
    """Human-readable lines for every field that does not match, using the scorer's own rules."""
    sys.path.insert(0, str(scorer_dir))
    from score_html import day_ok, fold  # type: ignore[import-not-found]

    predicted = {Path(r["source"]).name: r for r in map(json.loads, pred.open(encoding="utf-8"))}
    lines = []
    for record in map(json.loads, truth.open(encoding="utf-8")):
        if lang and not (record.get("html_lang") or "").startswith(lang):
            continue
        name = Path(record["html_file"]).name
        got = predicted.get(name, {})
        if fold(got.get("title")) != fold(record["title"]):
            lines.append(f"title   {name}\n    got  {got.get('title')!r}\n    want {record['title']!r}")
        if {fold(a).casefold() for a in got.get("authors") or []} != {
            fold(a).casefold() for a in record.get("authors") or []
        }:
            lines.append(f"authors {name}\n    got  {got.get('authors')}\n    want {record.get('authors')}")
        if not day_ok(got.get("date"), record["publishing_date"]):
            lines.append(f"date    {name}\n    got  {got.get('date')}\n    want {record['publishing_date']}")
    return lines


def _is_english(line: str) -> bool:
    return (json.loads(line).get("html_lang") or "").startswith("en")


def body_quality(pages: list[Path], truth: Path, lang: str | None) -> str:
    """Body text against the truth's ``body_text``: bag-of-words recall and precision, and how many
    of our paragraphs appear nowhere in the truth (boilerplate left in, or text the truth omits)."""
    records = [json.loads(line) for line in truth.open(encoding="utf-8")]
    by_name = {p.name: p for p in pages}
    recall, precision, extra, total = [], [], 0, 0
    for record in records:
        if lang and not (record.get("html_lang") or "").startswith(lang):
            continue
        body = extract_html(by_name[Path(record["html_file"]).name].read_bytes(), record["html_file"]).body
        want, got = Counter(_words(record.get("body_text") or "")), Counter(_words(body))
        common = sum((want & got).values())
        recall.append(common / max(1, sum(want.values())))
        precision.append(common / max(1, sum(got.values())))
        truth_text = " ".join(_words(record.get("body_text") or ""))
        for paragraph in body.split("\n\n"):
            total += 1
            extra += " ".join(_words(paragraph)) not in truth_text
    n = max(1, len(recall))
    return (
        f"body word recall {sum(recall) / n:.3f} precision {sum(precision) / n:.3f}; "
        f"paragraphs not in the truth {extra} of {total}"
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder")
    parser.add_argument("--lang", help="only pages whose html_lang starts with this (default: en, then all)")
    parser.add_argument("--out", type=Path, help="keep the prediction JSONL here")
    parser.add_argument("--misses", action="store_true", help="list the pages where a field is wrong")
    parser.add_argument("--baseline", action="store_true", help="score trafilatura's metadata alone")
    parser.add_argument("--body", action="store_true", help="also compare body text with the truth")
    args = parser.parse_args(argv)

    corpus = args.shared / "corpora" / "fundus-dev"
    scorer = args.shared / "eval" / "score_html.py"
    if not corpus.is_dir() or not scorer.is_file():
        print(f"fundus-dev or the scorer not found under {args.shared}", file=sys.stderr)
        return 2
    truth = corpus / "truth.jsonl"
    pages = sorted((corpus / "pages").glob("*.html.gz"))
    with tempfile.TemporaryDirectory() as tmp:
        pred = args.out or Path(tmp) / "pred.jsonl"
        seconds = predict(pages, pred, args.baseline)
        what = "trafilatura metadata alone (baseline)" if args.baseline else "extract_html"
        print(f"{what}: {len(pages)} pages in {seconds:.1f} s")
        langs = [args.lang] if args.lang else ["en", None]
        for lang in langs:
            print(f"[{lang or 'all languages'}]")
            print(score(scorer, truth, pred, lang))
        if not args.lang:
            others = Path(tmp) / "truth-non-en.jsonl"
            others.write_text(
                "".join(line for line in truth.open(encoding="utf-8") if not _is_english(line)),
                encoding="utf-8",
            )
            print("[non-English]")
            print(score(scorer, others, pred, None))
        if args.body:
            for lang in langs:
                print(f"[{lang or 'all languages'}] {body_quality(pages, truth, lang)}")
        if args.misses:
            for lang in langs:
                print("\n".join(misses(truth, pred, lang, scorer.parent)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
