"""A batch goes on after a page it cannot handle; the exit status says whether anything was skipped."""

from __future__ import annotations

import json
from pathlib import Path

from site_builder.cli import main

GOOD = (
    "Harbour board agrees dredging\n\n"
    "The harbour board voted on Thursday to dredge the channel, chairman Ivo Kask said.\n"
)
NO_TITLE = "<html><head></head><body><p>Only a line of text, no title anywhere.</p></body></html>"


def batch(tmp_path: Path) -> list[Path]:
    files = [tmp_path / "a.txt", tmp_path / "untitled.html", tmp_path / "binary.txt", tmp_path / "c.txt"]
    files[0].write_text(GOOD, encoding="utf-8")
    files[1].write_text(NO_TITLE, encoding="utf-8")
    files[2].write_bytes(b"\x00\x01\x02\x03 binary")
    files[3].write_text(GOOD.replace("dredging", "a new pier"), encoding="utf-8")
    return files


def test_extract_prints_every_readable_file_reports_the_others_and_exits_1(tmp_path: Path, capsys) -> None:
    files = batch(tmp_path)
    assert main(["extract", "--json", *map(str, files), str(tmp_path / "missing.txt")]) == 1
    out, err = capsys.readouterr()
    assert [json.loads(line)["source"] for line in out.splitlines()] == [str(files[0]), str(files[3])]
    skipped = [line for line in err.splitlines() if line.startswith("skipped: ")]
    assert [line.split(": ")[1] for line in skipped] == [
        str(files[1]),
        str(files[2]),
        str(tmp_path / "missing.txt"),
    ]
    assert "no article title" in skipped[0] and "binary" in skipped[1]


def test_extract_exits_0_when_every_file_was_extracted(tmp_path: Path, capsys) -> None:
    files = batch(tmp_path)
    assert main(["extract", "--json", str(files[0]), str(files[3])]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_import_imports_the_readable_files_and_strict_makes_a_skip_an_error(tmp_path: Path, capsys) -> None:
    source = tmp_path / "inbox"
    source.mkdir()
    for file in batch(source):
        file.rename(source / file.name)
    site = tmp_path / "site"
    assert main(["import", str(source), "--into", str(site / "content")]) == 0
    assert len(list((site / "content").glob("*.md"))) == 2
    out = capsys.readouterr().out
    assert "untitled.html" in out and "binary.txt" in out
    assert main(["import", str(source), "--into", str(site / "content"), "--strict"]) == 1
