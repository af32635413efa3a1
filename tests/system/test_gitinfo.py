"""Dates from git history: one ``git log`` pass, renames followed, front matter always wins."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from site_builder.build.loading import load_articles
from site_builder.build.state.cache import BuildCache
from site_builder.errors import SiteError
from site_builder.sources import gitdates as gitinfo
from site_builder.sources.files import read_sources
from site_builder.sources.gitdates import apply_git_dates, git_dates
from tests.helpers import SiteFixture

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MAY, JUNE, JULY = "2019-05-01T09:00:00+02:00", "2019-06-01T10:00:00+00:00", "2019-07-01T11:30:00-04:00"


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch, tmp_path):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    (tmp_path / "gitconfig").write_text("[user]\n\tname = Editor\n\temail = editor@example.org\n")


def git(cwd: Path, *args: str, when: str | None = None) -> str:
    env = None
    if when:
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    result = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env)
    return result.stdout.strip()


def commit(root: Path, when: str, message: str = "change") -> None:
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", message, when=when)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def read_articles(config):
    """The articles as the core reads them (front matter only, no git dates)."""
    cache = BuildCache(config.cache_dir)
    try:
        return load_articles(config, cache, read_sources(config), 1)
    finally:
        cache.close()


@pytest.fixture
def history(tmp_path) -> SiteFixture:
    """A repository whose site sits in a sub-folder, with adds, edits, a rename and a re-added path."""
    root = tmp_path / "repo"
    site = SiteFixture(root / "site")
    git(root, "init", "--quiet")
    site.article("edited", "Edited story", date=None)
    site.article("moved", "Moved story", date=None)
    site.article("deleted", "Deleted story", date=None)
    site.article("dated", "Dated story", date="2005-03-04")
    site.write("content/with space é.md", "---\ntitle: Spaced\n---\n\nText.\n")
    site.write("outside.txt", "not content\n")
    commit(root, MAY)
    site.article("edited", "Edited story", date=None, body="A correction.")
    (site.root / "content/sub").mkdir()
    git(root, "mv", "site/content/moved.md", "site/content/sub/moved.md")
    (site.root / "content/deleted.md").unlink()
    site.write("outside.txt", "changed\n")
    commit(root, JUNE)
    site.article("deleted", "Deleted story, again", date=None)
    commit(root, JULY)
    site.article("uncommitted", "Not yet committed", date=None)
    return site


def test_dates_of_every_file_from_history(history):
    dates = git_dates(history.root, history.root / "content")
    assert dates["edited.md"] == gitinfo.FileDates(at(MAY), at(JUNE))
    assert dates["sub/moved.md"] == gitinfo.FileDates(at(MAY), at(MAY))  # a pure rename keeps both
    assert dates["deleted.md"] == gitinfo.FileDates(at(JULY), at(JULY))  # the new file, not the old one
    assert dates["with space é.md"].created == at(MAY)
    assert "uncommitted.md" not in dates and "moved.md" not in dates
    assert not any("outside" in key for key in dates)


def test_dates_fingerprint_follows_the_dates(history):
    dates = git_dates(history.root, history.root / "content")
    before = gitinfo.dates_fingerprint(dates)
    assert gitinfo.dates_fingerprint(dict(reversed(dates.items()))) == before
    commit(history.root.parent, "2019-08-15T12:00:00+00:00")  # commits uncommitted.md
    assert gitinfo.dates_fingerprint(git_dates(history.root, history.root / "content")) != before


def test_one_git_log_for_all_files(history, monkeypatch, tmp_path):
    """Every git process is counted: a ``git`` first on PATH logs its arguments, then runs the real one."""
    for number in range(30):
        history.article(f"bulk-{number}", f"Bulk {number}", date=None)
    commit(history.root.parent, JULY)
    shim, calls = tmp_path / "shim", tmp_path / "git-calls.txt"
    shim.mkdir()
    (shim / "git").write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{calls}"\nexec "{shutil.which("git")}" "$@"\n'
    )
    (shim / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
    dates = git_dates(history.root, history.root / "content")
    commands = calls.read_text().splitlines()
    assert len(dates) >= 35
    assert sum(" log " in f" {command} " for command in commands) == 1
    assert len(commands) <= 2


def test_apply_fills_only_what_front_matter_lacks(history):
    (history.root / "site.toml").write_text(history.settings + 'permalink = "{year}/{month}/{slug}/"\n')
    config = history.config()
    articles = {a.source: a for a in apply_git_dates(config, read_articles(config))}
    edited = articles["edited.md"]
    assert (edited.date, edited.updated) == (at(MAY), at(JUNE))
    assert edited.url == "2019/05/edited-story/"  # the date-dependent permalink follows the git date
    assert articles["sub/moved.md"].updated is None  # never changed after it was added
    dated = articles["dated.md"]
    assert dated.date.year == 2005 and dated.updated is None  # committed in 2019, not "updated in 2019"
    assert dated.url == "2005/03/dated-story/"
    undated = articles["uncommitted.md"]
    assert undated.date is None and undated.url == "undated/not-yet-committed/"


def test_updated_from_git_when_an_old_article_is_edited_later(history):
    history.write("content/dated.md", "---\ntitle: Dated story\ndate: 2005-03-04\n---\n\nCorrected.\n")
    commit(history.root.parent, JULY)
    config = history.config()
    articles = {a.source: a for a in apply_git_dates(config, read_articles(config))}
    assert articles["dated.md"].updated == at(JULY)


def test_not_a_repository_is_a_clear_error(site):
    site.article("a", "A story", date=None)
    with pytest.raises(SiteError, match="not in a git repository") as caught:
        git_dates(site.root, site.root / "content")
    assert caught.value.field == "git_dates"


def test_shallow_clone_is_refused(history, tmp_path):
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{history.root.parent}", str(clone))
    with pytest.raises(SiteError, match="shallow clone"):
        git_dates(clone / "site", clone / "site" / "content")


def test_build_with_git_dates_setting(history):
    """End to end: site.toml git_dates = true fills dates in a real build."""
    (history.root / "site.toml").write_text(history.settings + "git_dates = true\n")
    history.build()
    page = (history.output / "articles/edited-story/index.html").read_text()
    assert "2019-05-01" in page
    assert (history.output / "archive/2019/05/index.html").exists()
    assert (history.output / "archive/undated/index.html").exists()  # uncommitted.md
    commit(history.root.parent, "2019-08-15T12:00:00+00:00")  # same bytes, now with a git date
    history.build()
    assert (history.output / "archive/2019/08/index.html").exists()
    assert not (history.output / "archive/undated/index.html").exists()
    (history.root / "site.toml").write_text(history.settings)
    history.build()
    assert not (history.output / "archive/2019/05/index.html").exists()
