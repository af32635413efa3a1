"""Whole preview sessions: rebuilds through the real watcher equal clean builds, a port in use is a clear
error, and ``site-builder serve`` as a user runs it builds, serves and stops."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from site_builder.build import build_site
from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.preview.session import PreviewOptions, PreviewSession
from tests.helpers import read_tree
from tests.helpers.preview import make_preview_site, write_article


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return make_preview_site(tmp_path)


def clean_build(site: Path, tmp: Path) -> dict[str, bytes]:
    """The same site built from scratch elsewhere: what every incremental rebuild must equal."""
    out, cache = tmp / "clean-output", tmp / "clean-cache"
    for folder in (out, cache):
        shutil.rmtree(folder, ignore_errors=True)
    build_site(load_config(site, {"output_dir": str(out), "cache_dir": str(cache)}))
    return read_tree(out)


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
            assert read_tree(site / "output") == clean_build(site, scratch), (
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
