"""``init`` and ``new``: a new site builds, and nothing the user already has is overwritten."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.scaffold import init_site
from tests.helpers import read_tree


def test_init_into_an_existing_folder_keeps_every_existing_file(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / ".gitignore").write_text("node_modules/\n*.log\n")
    (tmp_path / "content" / "welcome.md").write_text("---\ntitle: My own welcome\n---\n\nMine.\n")
    (tmp_path / "README.md").write_text("my project\n")
    done = init_site(tmp_path, "Courier")
    assert (tmp_path / "content" / "welcome.md").read_text() == "---\ntitle: My own welcome\n---\n\nMine.\n"
    assert (tmp_path / "README.md").read_text() == "my project\n"
    ignored = (tmp_path / ".gitignore").read_text()
    assert ignored.startswith("node_modules/\n*.log\n"), "the user's .gitignore lines were lost"
    assert {"output/", ".site-cache/"} <= set(ignored.splitlines())
    assert done[tmp_path / "content" / "welcome.md"] == "kept"
    assert done[tmp_path / ".gitignore"] == "updated"
    assert done[tmp_path / "site.toml"] == "created"
    assert load_config(tmp_path).title == "Courier"


def test_init_twice_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    init_site(tmp_path / "s", "First")
    before = read_tree(tmp_path / "s")
    with pytest.raises(SiteError, match="already exists"):
        init_site(tmp_path / "s", "Second")
    assert read_tree(tmp_path / "s") == before


def test_an_ignore_file_with_the_entries_already_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_bytes(b"output/\r\n.site-cache/")
    assert init_site(tmp_path)[tmp_path / ".gitignore"] == "kept"
    assert (tmp_path / ".gitignore").read_bytes() == b"output/\r\n.site-cache/"


@pytest.mark.parametrize(
    "title",
    [
        "Back\\slash news",
        "Two\nlines",
        'A "quoted" title',
        "Triple ''' and \"\"\" quotes",
        'Injected"\nbase_url = "https://evil.example/"\n# ',
        "Tab\tand \x7f delete",
        "Ünïcödé Zeitung — 日本",
    ],
)
def test_any_title_round_trips_through_site_toml(tmp_path: Path, title: str) -> None:
    init_site(tmp_path, title)
    settings = tomllib.loads((tmp_path / "site.toml").read_text(encoding="utf-8"))
    assert settings["title"] == title
    assert settings["base_url"] == "http://localhost:8000/"
    assert settings["permalink"] == "articles/{slug}/"


@pytest.mark.parametrize("blocker", ["DIR", "content", "templates"])
def test_a_file_where_a_folder_belongs_is_a_clear_error(tmp_path: Path, blocker: str) -> None:
    site = tmp_path / "site"
    if blocker == "DIR":
        site.write_text("a file\n")
    else:
        site.mkdir()
        (site / blocker).write_text("a file\n")
    with pytest.raises(SiteError, match="not a folder"):
        init_site(site)
    if blocker == "DIR":
        assert site.read_text() == "a file\n"
    else:
        assert sorted(p.name for p in site.iterdir()) == [blocker], "a refused init wrote something"
