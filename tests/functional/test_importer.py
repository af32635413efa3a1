"""Import pipeline and the import/extract commands: content files, idempotence, bad input."""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.cli.importer import add_extract_command, add_import_command
from site_builder.importer import (
    ExtractionContext,
    ImportOptions,
    SkipSource,
    extract_file,
    extract_text,
    import_sources,
)
from site_builder.sources.frontmatter import parse_document

ARTICLE = """Minister resigns over budget row...

Minister resigns over budget row after weeks of pressure

LONDON 2004-03-02

Finance Minister Jane Holloway resigned on Tuesday, officials said.

"I have done what I could for this country," Ms Holloway said.

Leave a Reply
"""


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true")
    commands = parser.add_subparsers(dest="command")
    add_import_command(commands, common)
    add_extract_command(commands, common)
    args = parser.parse_args(argv)
    return args.handler(args)


@pytest.fixture
def site(tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "holloway.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def options(site: Path, **kw) -> ImportOptions:
    return ImportOptions(into=site / "content", site_dir=site, **kw)


def test_import_writes_one_markdown_file_with_the_fields(site):
    report = import_sources([site / "inbox"], options(site))
    assert report.imported == [str(site / "inbox" / "holloway.txt")]
    files = list((site / "content").glob("*.md"))
    assert [f.name for f in files] == ["minister-resigns-over-budget-row-after-weeks-of-pressure.md"]
    document = parse_document(files[0].read_text(encoding="utf-8"), str(files[0]))
    meta = document.meta
    order = ["title", "slug", "date", "authors", "people", "quotes", "tags", "summary", "source"]
    assert list(meta) == [key for key in order if key in meta]
    assert {"title", "slug", "date", "people", "quotes", "summary", "source"} <= set(meta)
    assert meta["slug"] == files[0].stem
    assert meta["title"] == "Minister resigns over budget row after weeks of pressure"
    assert str(meta["date"]) == "2004-03-02"
    person = meta["people"][0]
    assert person["name"] == "Jane Holloway" and person["slug"] == "jane-holloway"
    assert person["role"] == "Finance Minister"
    assert [document.body[s:e] for s, e in person["mentions"]] == ["Jane Holloway", "Holloway"]
    assert meta["quotes"] == [
        {"speaker": "Jane Holloway", "text": "I have done what I could for this country"}
    ]
    assert meta["source"]["path"] == "inbox/holloway.txt" and len(meta["source"]["sha256"]) == 64
    assert "Leave a Reply" not in document.body


def test_reimport_is_idempotent_and_rewrites_nothing(site):
    import_sources([site / "inbox"], options(site))
    target = next((site / "content").glob("*.md"))
    before = target.read_bytes(), target.stat().st_mtime_ns
    report = import_sources([site / "inbox"], options(site))
    assert report.unchanged == [str(site / "inbox" / "holloway.txt")] and not report.imported
    assert (target.read_bytes(), target.stat().st_mtime_ns) == before


def test_reimport_after_the_cache_was_deleted_finds_the_same_files(site):
    import_sources([site / "inbox"], options(site))
    shutil.rmtree(site / ".site-cache")
    report = import_sources([site / "inbox"], options(site))
    assert report.unchanged and not report.imported
    assert len(list((site / "content").glob("*.md"))) == 1
    (site / "inbox" / "holloway.txt").write_text(ARTICLE.replace("Tuesday", "Monday"), encoding="utf-8")
    shutil.rmtree(site / ".site-cache")
    report = import_sources([site / "inbox"], options(site))  # cannot tell a hand edit: keep the file
    assert "edited by hand" in report.skipped[0][1]
    assert import_sources([site / "inbox"], options(site, force=True)).updated


def test_a_changed_source_updates_the_same_file(site):
    import_sources([site / "inbox"], options(site))
    (site / "inbox" / "holloway.txt").write_text(ARTICLE.replace("Tuesday", "Wednesday"), encoding="utf-8")
    report = import_sources([site / "inbox"], options(site))
    assert len(report.updated) == 1
    assert len(list((site / "content").glob("*.md"))) == 1
    assert "Wednesday" in next((site / "content").glob("*.md")).read_text(encoding="utf-8")


def test_hand_edited_files_are_kept_unless_forced(site):
    import_sources([site / "inbox"], options(site))
    target = next((site / "content").glob("*.md"))
    target.write_text(target.read_text(encoding="utf-8") + "\nEditor's note.\n", encoding="utf-8")
    (site / "inbox" / "holloway.txt").write_text(
        ARTICLE + "\nMore text here for the update.\n", encoding="utf-8"
    )
    report = import_sources([site / "inbox"], options(site))
    assert "edited by hand" in report.skipped[0][1]
    assert "Editor's note." in target.read_text(encoding="utf-8")
    report = import_sources([site / "inbox"], options(site, force=True))
    assert report.updated and "Editor's note." not in target.read_text(encoding="utf-8")


def test_identical_sources_are_imported_once_and_reported(site):
    (site / "inbox" / "copy.txt").write_bytes((site / "inbox" / "holloway.txt").read_bytes())
    report = import_sources([site / "inbox"], options(site))
    assert len(report.imported) == 1
    assert report.duplicates == [(str(site / "inbox" / "holloway.txt"), str(site / "inbox" / "copy.txt"))]
    assert "duplicate" in report.summary()


def test_same_titles_get_unique_deterministic_slugs(site):
    for name in ("a.txt", "b.txt"):
        (site / "inbox" / name).write_text("Same title\n\nText of " + name, encoding="utf-8")
    import_sources([site / "inbox"], options(site))
    names = sorted(p.name for p in (site / "content").glob("same-title*.md"))
    assert names == ["same-title-2.md", "same-title.md"]
    assert "Text of a.txt" in (site / "content" / "same-title.md").read_text(encoding="utf-8")
    second = parse_document((site / "content" / "same-title-2.md").read_text(encoding="utf-8"), "x")
    assert second.meta["slug"] == "same-title-2"


def test_bad_input_is_skipped_with_reasons_and_the_rest_goes_on(site):
    inbox = site / "inbox"
    (inbox / "empty.txt").write_text("  \n", encoding="utf-8")
    (inbox / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (inbox / "huge.txt").write_text("Big\n\n" + "x" * 5000, encoding="utf-8")
    (inbox / "latin.txt").write_bytes("Price rise\n\nIt costs \u00a3100.\n".encode("latin-1"))
    (inbox / "broken.html.gz").write_bytes(b"not gzip")
    report = import_sources([inbox], options(site, max_bytes=4000))
    reasons = {Path(path).name: reason for path, reason in report.skipped}
    assert reasons["empty.txt"] == "empty"
    assert "binary" in reasons["binary.txt"]
    assert "larger than" in reasons["huge.txt"]
    assert "gzip" in reasons["broken.html.gz"]
    assert any("Latin-1" in note for path, note in report.notes if path.endswith("latin.txt"))
    assert len(report.imported) == 2
    latin = next(p for p in (site / "content").glob("price-rise*.md"))
    assert "\u00a3100" in latin.read_text(encoding="utf-8")


def test_strict_makes_a_skip_an_error_and_dry_run_writes_nothing(site, capsys):
    (site / "inbox" / "empty.txt").write_text("", encoding="utf-8")
    assert run(["import", str(site / "inbox"), "--into", str(site / "content"), "--dry-run"]) == 0
    assert not (site / "content").exists()
    assert "would import 1" in capsys.readouterr().out
    assert run(["import", str(site / "inbox"), "--into", str(site / "content"), "--strict", "-q"]) == 1
    assert len(list((site / "content").glob("*.md"))) == 1


def test_tags_folder_tags_and_a_supplied_date(tmp_path):
    folder = tmp_path / "src" / "politics"
    folder.mkdir(parents=True)
    (folder / "1.txt").write_text("Vote held\n\nThe vote was held.\n", encoding="utf-8")
    report = import_sources(
        [tmp_path / "src"],
        ImportOptions(
            into=tmp_path / "content",
            site_dir=tmp_path,
            tags=("archive",),
            tag_from_folder=True,
            date=__import__("datetime").date(2005, 1, 2),
        ),
    )
    assert not report.undated
    meta = parse_document(next((tmp_path / "content").glob("*.md")).read_text(encoding="utf-8"), "x").meta
    assert meta["tags"][-2:] == ["archive", "politics"]
    assert str(meta["date"]) == "2005-01-02"


def test_undated_articles_are_listed_in_the_summary(site):
    (site / "inbox" / "holloway.txt").write_text("No date here\n\nJust text.\n", encoding="utf-8")
    report = import_sources([site / "inbox"], options(site))
    assert report.undated == [str(site / "inbox" / "holloway.txt")]
    assert "undated" in report.summary() and "holloway.txt" in report.summary()


def test_people_toml_is_respected(site):
    (site / "people.toml").write_text('not_people = ["Jane Holloway"]\n', encoding="utf-8")
    article = extract_text(ARTICLE, "x.txt", ExtractionContext.for_site(site))
    assert article.people == [] and article.quotes == []
    (site / "people.toml").write_text(
        '[people."Jane A. Holloway"]\naliases = ["Jane Holloway"]\nrole = "Chancellor"\nslug = "holloway"\n',
        encoding="utf-8",
    )
    article = extract_text(
        ARTICLE.replace("Finance Minister ", ""), "x.txt", ExtractionContext.for_site(site)
    )
    assert [(p.name, p.slug, p.role) for p in article.people] == [
        ("Jane A. Holloway", "holloway", "Chancellor")
    ]
    assert article.quotes[0]["speaker"] == "Jane A. Holloway"


def test_one_canonical_name_across_the_archive(tmp_path):
    (tmp_path / "a.txt").write_text("Talks\n\nPresident Vladimir Putin met envoys.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("More talks\n\nMr Putin met envoys again.\n", encoding="utf-8")
    import_sources(
        [tmp_path / "a.txt", tmp_path / "b.txt"], ImportOptions(into=tmp_path / "c", site_dir=tmp_path)
    )
    names = {
        p["name"]
        for f in (tmp_path / "c").glob("*.md")
        for p in parse_document(f.read_text(encoding="utf-8"), "x").meta["people"]
    }
    assert names == {"Vladimir Putin"}


def test_one_canonical_name_across_separate_imports(tmp_path):
    (tmp_path / "a.txt").write_text("Talks\n\nPresident Vladimir Putin met envoys.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("More talks\n\nMr Putin met envoys again.\n", encoding="utf-8")
    for name in ("a.txt", "b.txt"):  # one at a time, as the preview server's inbox does
        import_sources([tmp_path / name], ImportOptions(into=tmp_path / "c", site_dir=tmp_path))
    later = parse_document((tmp_path / "c" / "more-talks.md").read_text(encoding="utf-8"), "x").meta
    assert [p["name"] for p in later["people"]] == ["Vladimir Putin"]


def test_extract_json_contract(site, capsys):
    assert run(["extract", str(site / "inbox" / "holloway.txt"), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert list(record) == [
        "source",
        "title",
        "date",
        "authors",
        "people",
        "quotes",
        "tags",
        "summary",
        "body",
    ]
    assert record["date"] == "2004-03-02"
    person = record["people"][0]
    assert set(person) == {"name", "slug", "role", "mentions"}
    assert [record["body"][s:e] for s, e in person["mentions"]] == ["Jane Holloway", "Holloway"]
    assert not (site / "content").exists()


def test_markdown_sources_keep_their_front_matter(tmp_path):
    source = tmp_path / "note.md"
    source.write_text(
        "---\ntitle: Kept title\ntags: [local]\nsummary: Mine.\n---\n\nMr Smith spoke.\n", encoding="utf-8"
    )
    article = extract_file(source)
    assert article.title == "Kept title" and article.summary == "Mine." and article.tags[0] == "local"


def test_markdown_import_keeps_every_front_matter_field(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "note.md").write_text(
        "---\ntitle: Kept title\ndate: 2020-05-01\ndraft: true\ncolour: blue\n---\n\nMr Smith spoke.\n",
        encoding="utf-8",
    )
    import_sources([tmp_path / "src"], ImportOptions(into=tmp_path / "content", site_dir=tmp_path))
    meta = parse_document((tmp_path / "content" / "kept-title.md").read_text(encoding="utf-8"), "x").meta
    assert meta["draft"] is True and meta["colour"] == "blue" and str(meta["date"]) == "2020-05-01"
    assert meta["people"][0]["name"] == "Smith"


def test_html_sources_go_through_the_html_extractor(tmp_path):
    page = b"""<!doctype html><html lang="en"><head><title>Page title</title>
<meta name="author" content="A. Writer"><link rel="canonical" href="https://example.org/a"></head>
<body><article><h1>Page title</h1><p>Mr Smith said so.</p><p>Donald Trump agreed.</p></article>
</body></html>"""
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(page))
    article = extract_file(tmp_path / "a.html.gz")
    assert article.title == "Page title" and article.authors == ["A. Writer"]
    assert [p.name for p in article.people] == ["Smith", "Donald Trump"]
    assert article.source_url == "https://example.org/a"


WORDS = st.sampled_from(
    [
        "Mr",
        "Smith",
        "said",
        "“",
        "”",
        '"',
        "President",
        "Anna",
        "Lee",
        "of",
        "the",
        "Bank",
        "\n",
        "\n\n",
        ".",
        ",",
        "'s",
        "...",
        "1.",
        "(France)",
        "--",
        "Published",
        "13",
        "Apr",
        "2017",
        "ROME",
        "1996-12-06",
        "al-Assad",
        "é",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=60))
def test_any_text_extracts_with_valid_offsets_or_is_skipped(words):
    text = " ".join(words)
    try:
        article = extract_text(text, "x.txt")
    except SkipSource:
        return
    for person in article.people:
        for start, end in person.mentions:
            assert 0 <= start < end <= len(article.body)
            assert article.body[start:end].strip() == article.body[start:end]
    assert {q["speaker"] for q in article.quotes} <= {p.name for p in article.people}
    json.dumps(article.to_json_dict())


def test_newswire_byline_above_the_dateline_is_the_author():
    article = extract_text("Headline\n\nAdrian Warner\n\nBERLIN 1996-08-30\n\nText of the story.\n", "x.txt")
    assert article.authors == ["Adrian Warner"] and article.date == "1996-08-30"
    assert extract_text("Headline\n\nBy Jane Roe and John Doe\n\nText.\n", "x.txt").authors == [
        "Jane Roe",
        "John Doe",
    ]


def test_html_entities_left_in_scraped_text_become_characters():
    article = extract_text("&#163;1.8m fine for Viacom\n\nIt paid &pound;1.8m &amp; more.\n", "x.txt")
    assert article.title == "£1.8m fine for Viacom"
    assert "£1.8m & more" in article.body


def test_a_damaged_manifest_is_rebuilt_from_the_files(site):
    import_sources([site / "inbox"], options(site))
    manifest = site / ".site-cache" / "import-manifest.sqlite"
    manifest.write_bytes(b"not a database at all" * 100)
    report = import_sources([site / "inbox"], options(site))
    assert report.unchanged and not report.imported and not report.skipped
    assert len(list((site / "content").glob("*.md"))) == 1
    assert (site / ".site-cache" / "import-manifest.sqlite.damaged").is_file()


def test_the_json_manifest_of_earlier_versions_is_taken_over(site):
    import_sources([site / "inbox"], options(site))
    target = next((site / "content").glob("*.md"))
    (site / ".site-cache" / "import-manifest.sqlite").unlink()
    old = {
        "version": 1,
        "files": {
            target.name: {
                "source": "inbox/holloway.txt",
                "sha256": parse_document(target.read_text(encoding="utf-8"), "x").meta["source"]["sha256"],
                "written_sha256": __import__("hashlib").sha256(target.read_bytes()).hexdigest(),
                "people": ["Jane Holloway"],
            }
        },
    }
    (site / ".site-cache" / "import-manifest.json").write_text(json.dumps(old), encoding="utf-8")
    (site / "inbox" / "holloway.txt").write_text(ARTICLE.replace("Tuesday", "Friday"), encoding="utf-8")
    report = import_sources([site / "inbox"], options(site))
    assert report.updated and not report.skipped  # known as ours: updated, not "edited by hand"
    assert not (site / ".site-cache" / "import-manifest.json").exists()
