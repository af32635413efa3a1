"""The archivist's review (site_builder.importer.review) and ``site-builder people --review``."""

from __future__ import annotations

import json
from pathlib import Path

from site_builder.cli import main
from site_builder.importer.review import read_archive, review
from site_builder.sources.frontmatter import dump_document


def write(content: Path, name: str, people: list[dict], tags: list[str] = ()) -> None:
    meta = {"title": name, "people": people, "tags": list(tags)}
    (content / f"{name}.md").write_text(dump_document(meta, "Text."), encoding="utf-8")


def person(name: str, mentions: int = 2, role: str | None = None) -> dict:
    entry: dict = {
        "name": name,
        "slug": name.lower().replace(" ", "-"),
        "mentions": [[i, i + 1] for i in range(mentions)],
    }
    if role:
        entry["role"] = role
    return entry


def archive_site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    write(content, "a", [person("George W Bush", 5), person("Laura Bush")], ["Conservative Party"])
    write(content, "b", [person("Bush", 1), person("Nasty", 1)], ["Conservatives"])
    write(content, "c", [person("Manuel Almunia"), person("Manuel Alumnia")], ["France", "Ireland"])
    write(content, "d", [person("Jo Bloggs", 1), person("Ann Lee", role="spokeswoman for")])
    return tmp_path


def test_the_review_lists_what_needs_a_human_with_the_fix(tmp_path: Path) -> None:
    items = review(read_archive(archive_site(tmp_path) / "content"))
    by_subject = {(item.kind, item.subject): item for item in items}
    bush = by_subject[("single-word person", "Bush")]
    assert bush.articles == ("b.md",)
    assert bush.fix == '[people."George W Bush"]\naliases = ["Bush"]'
    assert by_subject[("single-word person", "Nasty")].fix.startswith('not_people = ["Nasty"]')
    assert ("near-duplicate names", "Manuel Almunia / Manuel Alumnia") in by_subject
    assert ("near-duplicate tags", "Conservative Party / Conservatives") in by_subject
    assert ("odd role", "Ann Lee") in by_subject
    assert ("mentioned once", "Jo Bloggs") in by_subject
    assert not any(item.subject == "France / Ireland" for item in items)
    assert [item.kind for item in items][0] == "single-word person"


def test_people_review_command_prints_the_items_and_changes_nothing(tmp_path: Path, capsys) -> None:
    site = archive_site(tmp_path)
    before = {p: p.read_bytes() for p in (site / "content").iterdir()}
    assert main(["people", "--review", "--site", str(site), "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"kind", "subject", "reason", "articles", "fix"} <= set(records[0])
    assert any(r["subject"] == "Bush" for r in records)
    assert before == {p: p.read_bytes() for p in (site / "content").iterdir()}
    assert main(["people", "--site", str(site)]) == 0
    assert "George W Bush" in capsys.readouterr().out.splitlines()[0]
