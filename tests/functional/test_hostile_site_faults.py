"""Odd types and damaged state give located errors or are repaired, never a traceback (issue 15, item 13).

Settings and folders of the wrong kind, an alias too long for a file system, permalink fields Python
would evaluate, and a cache with a missing table or a value of the wrong type.
"""

from __future__ import annotations

import sqlite3

import pytest

from site_builder.errors import SiteError


def cold_output(site, tmp_path) -> dict[str, bytes]:
    """The output of a cold build of the same sources."""
    import shutil

    from site_builder.build.pipeline import build_site
    from site_builder.config import load_config

    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(site.root, fresh, ignore=shutil.ignore_patterns("output", ".site-cache"))
    build_site(load_config(fresh))
    output = fresh / "output"
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}


def test_settings_file_that_is_a_folder(site):
    (site.root / "site.toml").unlink()
    (site.root / "site.toml").mkdir()
    with pytest.raises(SiteError, match="site.toml: is a folder"):
        site.config()


def test_cache_folder_that_is_a_file(site):
    site.article("a", "Story A")
    (site.root / ".site-cache").write_text("not a folder")
    with pytest.raises(SiteError, match="cache_dir.*is a file, not the build cache folder"):
        site.build()


def test_cache_folder_that_is_a_dangling_link_is_not_created(site, tmp_path):
    site.article("a", "Story A")
    target = tmp_path / "elsewhere" / "cache"
    (site.root / ".site-cache").symlink_to(target, target_is_directory=True)
    with pytest.raises(SiteError, match="symlink to a missing folder"):
        site.build()
    assert not target.exists() and not target.parent.exists()


def test_output_folder_that_is_a_dangling_link_is_not_created(site, tmp_path):
    site.article("a", "Story A")
    target = tmp_path / "elsewhere" / "output"
    site.output.symlink_to(target, target_is_directory=True)
    with pytest.raises(SiteError, match="output_dir.*symlink to a missing folder"):
        site.build()
    assert not target.exists()


@pytest.mark.parametrize(
    "pattern",
    ["{foo}/{slug}/", "{0}/{slug}/", "{slug.__class__}/{slug}/", "{slug[0]}/{slug}/", "{slug!r}/", "{slug"],
)
def test_permalink_fields_are_only_the_documented_ones(site, pattern):
    site.article("a", "Story A")
    site.write("site.toml", site.settings + f"permalink = {pattern!r}\n")
    with pytest.raises(SiteError) as refused:
        site.build()
    assert refused.value.field == "permalink" and "{slug}, {year}, {month}, {day}" in str(refused.value)
    assert not site.output.exists()


def test_an_alias_part_longer_than_a_file_name_can_be(site):
    site.article("a", "Story A", aliases=f"[/old/{'x' * 300}/]")
    with pytest.raises(SiteError) as refused:
        site.build()
    assert str(refused.value).startswith("content/a.md:4: field 'aliases': each part of an alias")
    site.article("a", "Story A", aliases=f"[/old/{'x' * 250}/]")  # long, but a legal name
    site.build()
    assert (site.output / "old" / ("x" * 250) / "index.html").is_file()


DAMAGE = [
    "DROP TABLE pages",
    "DROP TABLE state",
    "ALTER TABLE articles DROP COLUMN toc",
    "UPDATE pages SET size = 'big'",
    "UPDATE pages SET fingerprint = 12",
    "UPDATE articles SET html = '<script>alert(1)</script>'",
    "UPDATE search SET text = 'planted'",
    "UPDATE stored_pages SET text = '{}'",
    "UPDATE meta SET value = 7 WHERE key = 'inputs'",
    "DELETE FROM meta WHERE key = 'schema'",
]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_cache_is_rebuilt(site, tmp_path, damage):
    for number in range(3):
        site.article(f"a{number}", f"Story {number}", date=f"2020-01-0{number + 1}", tags="[x]")
    site.build()
    site.article("a1", "Story 1", date="2020-01-02", tags="[x]", body="Edited.")
    db = sqlite3.connect(site.root / ".site-cache" / "cache.sqlite")
    with db:
        db.execute(damage)
    db.close()
    site.build()
    assert site.files() == cold_output(site, tmp_path)
    assert b"planted" not in b"".join(site.files().values())
    site.build()  # and the cache is usable again
