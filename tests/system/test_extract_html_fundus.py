"""HTML extraction on the real fundus-dev pages: the English targets, scored as ../shared/eval/score_html.py
does."""

from __future__ import annotations

import importlib.util
import json

import pytest

pytest.importorskip("trafilatura", reason="the 'html' extra (trafilatura) is not installed")

from site_builder.importer.extract.html import extract_html  # noqa: E402
from tests.helpers import SHARED  # noqa: E402

FUNDUS = SHARED / "corpora" / "fundus-dev"
SCORER = SHARED / "eval" / "score_html.py"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_html", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (FUNDUS / "truth.jsonl").is_file() or not SCORER.is_file(),
    reason=f"fundus-dev corpus or scorer not found under {SHARED} (needs ../shared next to the repository)",
)
def test_fundus_dev_english_targets() -> None:
    """Title >= 0.90, authors >= 0.90, date >= 0.95 on the English pages, scored like score_html.py."""
    scorer = _scorer()
    records = [json.loads(line) for line in (FUNDUS / "truth.jsonl").open(encoding="utf-8")]
    english = [r for r in records if (r.get("html_lang") or "").startswith("en")]
    assert len(english) >= 40
    title = date = authors = 0
    for record in english:
        got = extract_html((FUNDUS / record["html_file"]).read_bytes(), record["html_file"])
        title += scorer.fold(got.title) == scorer.fold(record["title"])
        date += scorer.day_ok(got.date.isoformat() if got.date else None, record["publishing_date"])
        authors += {scorer.fold(a).casefold() for a in got.authors} == {
            scorer.fold(a).casefold() for a in record.get("authors") or []
        }
    n = len(english)
    assert title / n >= 0.90, f"title {title / n:.3f}"
    assert date / n >= 0.95, f"date {date / n:.3f}"
    assert authors / n >= 0.90, f"authors {authors / n:.3f}"
