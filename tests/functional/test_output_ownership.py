"""A build replaces everything in its output folder, so it never takes a folder it did not make unless told.

Issue 15, item 3: ``output_dir = "docs"`` over hand-written docs was emptied within two builds, and
``--output`` naming an existing file was replaced.
"""

from __future__ import annotations

import pytest

from site_builder.cli import main
from site_builder.errors import SiteError

MARKER = ".site-builder"  # output/'s marker (site_builder.build.output.staging.MARKER)


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_hand_written_docs_folder_is_refused_and_left_alone(site, capsys):
    site.article("a", "Story A")
    site.write("site.toml", site.settings + 'output_dir = "docs"\n')
    site.write("docs/README.md", "# Our manual\n")
    site.write("docs/guide/install.md", "Install it.\n")
    before = _tree(site.root / "docs")
    for _ in range(2):  # the second build used to delete what the first one left
        with pytest.raises(SiteError, match="did not write .*'README.md'.*--force-output") as refused:
            site.build()
        assert str(refused.value).startswith(str(site.root / "docs"))
        assert _tree(site.root / "docs") == before
    assert main(["build", "--site", str(site.root), "-q"]) == 1
    assert "--force-output" in capsys.readouterr().err
    assert _tree(site.root / "docs") == before


def test_force_output_takes_the_folder_over_once_for_all(site):
    site.article("a", "Story A")
    site.write("output/old-notes.txt", "notes\n")
    assert main(["build", "--site", str(site.root), "-q", "--force-output"]) == 0
    assert not (site.output / "old-notes.txt").exists()
    assert (site.output / MARKER).is_file()
    site.write("output/stray.txt", "stray\n")  # the folder is the build's now: no flag needed
    site.build()
    assert not (site.output / "stray.txt").exists()


def test_output_force_setting(site):
    site.article("a", "Story A")
    site.write("output/old-notes.txt", "notes\n")
    site.write("site.toml", site.settings + "output_force = true\n")
    site.build()
    assert (site.output / "articles/story-a/index.html").is_file()
    assert not (site.output / "old-notes.txt").exists()


def test_output_naming_a_file_is_refused(site, capsys):
    site.article("a", "Story A")
    target = site.write("notes.txt", "keep me\n")
    assert main(["build", "--site", str(site.root), "--output", str(target), "-q"]) == 1
    error = capsys.readouterr().err
    assert f"error: {target}: the output folder is a file" in error
    assert "Traceback" not in error
    assert target.read_text() == "keep me\n"


def test_empty_folder_and_publishing_checkout_are_taken(site):
    site.article("a", "Story A")
    (site.output / ".git").mkdir(parents=True)
    (site.output / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    site.build()
    assert (site.output / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (site.output / "index.html").is_file() and (site.output / MARKER).is_file()


def test_folder_built_before_markers_existed_is_recognised_by_the_cache_record(site):
    site.article("a", "Story A")
    site.build()
    (site.output / MARKER).unlink()  # as an older site_builder left it
    site.article("b", "Story B")
    site.build()
    assert (site.output / MARKER).is_file() and (site.output / "articles/story-b/index.html").is_file()
    (site.output / MARKER).unlink()
    site.write("output/mine.txt", "a file the record does not know\n")
    with pytest.raises(SiteError, match="'mine.txt'"):
        site.build()


def test_folder_built_by_an_older_version_with_another_cache_schema_is_recognised(site):
    import sqlite3

    site.article("a", "Story A")
    site.build()
    (site.output / MARKER).unlink()
    db = sqlite3.connect(site.root / ".site-cache" / "cache.sqlite")
    with db:  # what an upgrade finds: the cache of an older schema, dropped when opened
        db.execute("UPDATE meta SET value = 'site_builder-cache-1;0.0.1' WHERE key = 'schema'")
    db.close()
    site.build()
    assert (site.output / MARKER).is_file()


def test_marker_is_not_a_page_of_the_site(site):
    site.article("a", "Story A")
    first = site.build()
    again = site.build()
    assert again.written == 0 and again.removed == 0 and again.pages == first.pages
    assert MARKER not in first.changed_paths
