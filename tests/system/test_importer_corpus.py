"""The importer on the real corpora in ../shared: the whole BBC archive (duplicates, Latin-1, files that
are not articles) and the seed article end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.importer import ImportOptions, extract_file, import_sources
from tests.helpers import require_shared


@pytest.mark.slow
def test_bbc_archive_imports_with_duplicates_and_latin1_reported(tmp_path):
    bbc = require_shared("corpora", "bbc")
    report = import_sources(
        [bbc], ImportOptions(into=tmp_path / "content", site_dir=tmp_path, tag_from_folder=True)
    )
    assert len(report.imported) == 2225 - 98 and len(report.duplicates) == 98
    assert sorted(Path(p).name for p, _ in report.skipped) == ["README.TXT", "SOURCE.txt"]
    assert any(path.endswith("sport/199.txt") and "Latin-1" in note for path, note in report.notes)
    assert len(list((tmp_path / "content").glob("*.md"))) == 2127


def test_seed_article_end_to_end():
    seed = require_shared("seed", "kremlin-tillerson.txt")
    article = extract_file(seed)
    assert article.title == (
        "No positive shift yet on Russian-US ties, says Kremlin, as Trump tweets ‘things will be fine’"
    )
    roles = {p.name: p.role for p in article.people}
    assert roles == {
        "Vladimir Putin": "President",
        "Rex Tillerson": "US Secretary of State",
        "Donald Trump": "President",
        "Dmitry Peskov": "Mr Putin's spokesman",
        "Sergey Lavrov": "Russian Foreign Minister",
        "Barack Obama": None,
    }
    assert article.date is None
    assert "Leave a Reply" not in article.body and "Akismet" not in article.body
    assert article.body.startswith("President Vladimir Putin’s meeting")
    assert {"Russia", "United States", "Kremlin"} <= set(article.tags)
    speakers = [q["speaker"] for q in article.quotes]
    assert speakers.count("Sergey Lavrov") >= 4 and "Dmitry Peskov" in speakers
