"""The preview glue without a browser: rebuild outcomes, error overlay data, page moves, inbox import."""

from __future__ import annotations

import argparse
import io
import shutil
import sys
from pathlib import Path

import pytest

from site_builder.build import build_site
from site_builder.build.loading import BuildErrors
from site_builder.cli.serve import add_serve_command, add_watch_command
from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.preview.inbox import InboxImporter
from site_builder.preview.livereload import ReloadHub
from site_builder.preview.rebuild import Rebuilder, describe_changes, error_info, pair_moves
from site_builder.preview.server import ReadWriteLock
from site_builder.preview.session import PreviewOptions, PreviewSession


def write_article(site: Path, name: str, title: str, slug: str | None = None, tags: str = "[News]") -> Path:
    slug_line = f"slug: {slug}\n" if slug else ""
    path = site / "content" / name
    path.write_text(f"---\ntitle: {title}\n{slug_line}date: 2024-05-01\ntags: {tags}\n---\n\nBody.\n")
    return path


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "site.toml").write_text('title = "T"\n')
    write_article(tmp_path, "a.md", "First story")
    write_article(tmp_path, "b.md", "Second story", slug="second")
    return tmp_path


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


def output_tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def clean_build(site: Path, tmp: Path) -> dict[str, bytes]:
    """The same site built from scratch elsewhere: what every incremental rebuild must equal."""
    out, cache = tmp / "clean-output", tmp / "clean-cache"
    for folder in (out, cache):
        shutil.rmtree(folder, ignore_errors=True)
    build_site(load_config(site, {"output_dir": str(out), "cache_dir": str(cache)}))
    return output_tree(out)


def test_watched_rebuilds_equal_clean_builds(site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Through the real watcher: after each kind of edit, output/ is byte-identical to a clean build —
    no stale tag, archive, feed or listing page survives an incremental rebuild."""
    scratch = tmp_path_factory.mktemp("clean")
    (site / "templates").mkdir()
    write_article(site, "c.md", "Third story", slug="third", tags="[News, Sport]")
    edits = [
        lambda: write_article(site, "a.md", "First story retitled", tags="[Politics]"),
        lambda: (site / "content" / "c.md").unlink(),
        lambda: write_article(site, "d.md", "Fourth story", slug="fourth", tags="[Sport]"),
        lambda: (site / "templates" / "article.html").write_text(
            '{% extends "base.html" %}{% block content %}<h1 class="custom">{{ article.title }}</h1>'
            "{% endblock %}"
        ),
        lambda: (site / "site.toml").write_text('title = "Renamed site"\n'),
        lambda: (site / "templates" / "article.html").unlink(),
    ]
    options = PreviewOptions(serve=False, debounce=0.25)
    with PreviewSession(lambda: load_config(site), options, out=io.StringIO()) as session:
        assert session.rebuild.history[-1].ok
        for step, edit in enumerate(edits, start=2):
            edit()
            assert session.rebuild.wait_for_builds(step, timeout=10), f"no rebuild after edit {step - 1}"
            assert session.rebuild.history[-1].ok, session.rebuild.history[-1].error
            assert output_tree(site / "output") == clean_build(site, scratch), (
                f"stale output after edit {step - 1}"
            )
        assert len(session.rebuild.history) == len(edits) + 1, "an edit caused more than one rebuild"


def test_port_in_use_is_a_clear_error(site: Path) -> None:
    with PreviewSession(lambda: load_config(site), PreviewOptions(port=0), out=io.StringIO()) as first:
        port = first.server.port if first.server else 0
        with pytest.raises(SiteError, match="cannot listen on 127.0.0.1"):
            PreviewSession(lambda: load_config(site), PreviewOptions(port=port), out=io.StringIO())


def test_standalone_serve_builds_serves_and_stops_by_itself(site: Path) -> None:
    """``python -m site_builder.cli serve`` as a user runs it, bounded by --max-seconds."""
    import re
    import subprocess
    import urllib.request

    command = [sys.executable, "-m", "site_builder.cli", "serve", "--max-seconds", "4"]
    proc = subprocess.Popen(
        [*command, "--site", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        assert "initial build" in lines[0] and "files re-rendered" in lines[0]
        url = re.search(r"at (http://127\.0\.0\.1:\d+/)", lines[1])
        assert url, lines
        with urllib.request.urlopen(url.group(1) + "articles/second/", timeout=5) as response:
            assert b"Second story" in response.read()
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


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
