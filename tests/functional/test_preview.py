"""The preview glue without a browser: rebuild outcomes, error overlay data, page moves, inbox import
(tests/system/test_preview_session.py runs whole sessions: the real watcher, a server, the command)."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from site_builder.build.loading import BuildErrors
from site_builder.cli.serve import add_serve_command, add_watch_command
from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.preview.inbox import InboxImporter
from site_builder.preview.livereload import ReloadHub
from site_builder.preview.rebuild import Rebuilder, describe_changes, error_info, pair_moves
from site_builder.preview.server import ReadWriteLock
from site_builder.preview.session import PreviewOptions, PreviewSession
from tests.helpers.preview import make_preview_site, write_article


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return make_preview_site(tmp_path)


def make_rebuilder(site: Path) -> tuple[Rebuilder, ReloadHub, io.StringIO]:
    hub, out = ReloadHub(), io.StringIO()
    return Rebuilder(lambda: load_config(site), lock=ReadWriteLock(), hub=hub, out=out), hub, out


def test_pair_moves_one_removed_one_added_per_section() -> None:
    moves = pair_moves(
        ["articles/old/index.html", "articles/old/feed.xml", "page/3/index.html", "index.html"],
        ["articles/new/index.html", "tags/x/index.html"],
        "/news/",
    )
    assert moves == {"/news/articles/old/": "/news/articles/new/"}


def test_pair_moves_is_silent_when_ambiguous() -> None:
    removed = ["articles/a/index.html", "articles/b/index.html"]
    assert pair_moves(removed, ["articles/c/index.html"]) == {}
    assert pair_moves(["articles/a/index.html"], []) == {}


def test_error_info_names_file_and_line(site: Path) -> None:
    info = error_info(SiteError("invalid YAML", "content/a.md", 3), site)
    assert (info.path, info.line) == ("content/a.md", 3)
    assert "invalid YAML" in info.message
    several = BuildErrors([SiteError("one", site / "content" / "x.md", 2), SiteError("two", "content/y.md")])
    info = error_info(several, site)
    assert (info.path, info.line) == ("content/x.md", 2)
    assert "one" in info.message and "two" in info.message
    bug = error_info(KeyError("boom"), site)
    assert bug.path == "" and "KeyError" in bug.message


def test_describe_changes_is_short(site: Path) -> None:
    paths = frozenset(site / "content" / f"{i}.md" for i in range(5))
    assert describe_changes(paths, site) == "content/0.md, content/1.md, content/2.md and 2 more"
    assert describe_changes(frozenset(), site) == "initial build"


def test_failed_build_keeps_site_and_reports_then_recovers(site: Path) -> None:
    rebuild, hub, out = make_rebuilder(site)
    assert rebuild().ok
    first = hub.state()
    page = site / "output" / "articles" / "second" / "index.html"
    good = page.read_bytes()
    (site / "content" / "b.md").write_text("---\ntitle: [broken\n---\n")
    failed = rebuild(frozenset({site / "content" / "b.md"}))
    assert not failed.ok and failed.error is not None
    assert failed.error.path == "content/b.md" and failed.error.line is not None
    assert page.read_bytes() == good, "a failed build touched output/"
    assert hub.state().error == failed.error and hub.state().build_id == first.build_id
    assert "build failed" in out.getvalue() and "content/b.md" in out.getvalue()
    write_article(site, "b.md", "Second story fixed", slug="second")
    assert rebuild(frozenset({site / "content" / "b.md"})).ok
    assert hub.state().error is None and hub.state().build_id != first.build_id
    assert b"Second story fixed" in page.read_bytes()
    assert "content/b.md: " in out.getvalue() and " ms" in out.getvalue()


def test_title_change_that_changes_the_url_is_a_move(site: Path) -> None:
    rebuild, hub, _ = make_rebuilder(site)
    rebuild()
    assert (site / "output" / "articles" / "first-story" / "index.html").exists()
    write_article(site, "a.md", "First story renamed")
    outcome = rebuild(frozenset({site / "content" / "a.md"}))
    assert outcome.ok
    assert hub.state().moved == {"/articles/first-story/": "/articles/first-story-renamed/"}


def test_serve_and_watch_options_parse() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true")
    add_serve_command(commands, common)
    add_watch_command(commands, common)
    args = parser.parse_args(["serve", "-q", "--port", "0", "--poll", "--no-reload", "--import-from", "in"])
    assert (args.port, args.poll, args.no_reload, args.quiet, args.host) == (0, True, True, True, "127.0.0.1")
    assert parser.parse_args(["watch", "--drafts"]).drafts


def test_inbox_imports_moves_done_files_and_leaves_failures(site: Path) -> None:
    inbox_dir = site / "inbox"
    inbox_dir.mkdir()
    (inbox_dir / "good.txt").write_text("A good headline\n\nText of the article, long enough to keep.\n")
    (inbox_dir / "bad.txt").write_bytes(b"\x00\x01\x02 not text at all \x00" * 20)
    out = io.StringIO()
    inbox = InboxImporter(inbox_dir, load_config(site), poll=False, out=out)
    inbox.start()
    inbox.stop()
    assert (site / "content" / "a-good-headline.md").read_text().startswith("---\ntitle: A good headline")
    assert (inbox_dir / "imported" / "good.txt").exists() and not (inbox_dir / "good.txt").exists()
    assert (inbox_dir / "bad.txt").exists(), "a failed file must stay in place"
    assert "import of bad.txt failed" in out.getvalue() and "binary data" in out.getvalue()
    assert not inbox.import_one(inbox_dir / "bad.txt"), "an unchanged failure is not retried"
    assert out.getvalue().count("import of bad.txt failed") == 1


def test_template_error_names_template_and_line(site: Path) -> None:
    rebuild, hub, _ = make_rebuilder(site)
    assert rebuild().ok
    (site / "templates").mkdir()
    broken = '{% extends "base.html" %}\n{% block content %}{% if %}\n'
    (site / "templates" / "article.html").write_text(broken)
    outcome = rebuild(frozenset({site / "templates" / "article.html"}))
    assert not outcome.ok and outcome.error is not None
    assert (outcome.error.path, outcome.error.line) == ("templates/article.html", 2)
    assert hub.state().error == outcome.error


def test_silent_rebuilds_print_failures_only(site: Path) -> None:
    out = io.StringIO()
    rebuild = Rebuilder(lambda: load_config(site), out=out, silent=True)
    assert rebuild().ok
    assert out.getvalue() == ""
    (site / "content" / "a.md").write_text("---\ntitle: [broken\n---\n")
    assert not rebuild().ok
    assert "content/a.md" in out.getvalue()


def test_a_folder_that_is_not_a_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="no content folder"):
        PreviewSession(lambda: load_config(tmp_path), PreviewOptions(port=0), out=io.StringIO())


def test_commit_runs_under_the_servers_write_lock(site: Path) -> None:
    """Requests wait while files are replaced: the build enters the lock's write side around its commit."""
    events: list[str] = []

    class RecordingLock(ReadWriteLock):
        def write(self):
            events.append("enter")
            page = site / "output" / "articles" / "second" / "index.html"
            events.append("page-present" if page.exists() else "page-absent")
            return super().write()

    rebuild = Rebuilder(lambda: load_config(site), lock=RecordingLock(), out=io.StringIO())
    assert rebuild().ok
    assert events == ["enter", "page-absent"], "the commit did not take the write lock (once, before writing)"
