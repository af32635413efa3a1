"""A build with no output/ yet stages a tree and renames it into place: same site, nothing half-written."""

from __future__ import annotations

import pytest

from site_builder.build import build_site
from site_builder.build.loading import BuildErrors
from site_builder.build.output import commit as output_module
from site_builder.build.output.commit import commit_swap
from site_builder.build.output.scratch import Scratch
from site_builder.build.output.staging import Staging
from site_builder.config import load_config
from site_builder.errors import SiteError
from tests.helpers import read_tree
from tests.helpers.site import make_tagged_site
from tests.helpers.waiting import wait_until


def test_a_first_build_renames_its_staged_tree_into_place_and_gives_the_same_site(tmp_path, monkeypatch):
    flat = make_tagged_site(tmp_path / "flat")
    (flat / "output").mkdir()  # an output/ that exists, even empty, is committed into file by file
    build_site(load_config(flat), jobs=1)
    moves = []
    real_move = output_module._move
    monkeypatch.setattr(output_module, "_move", lambda *args: moves.append(args) or real_move(*args))
    tree = make_tagged_site(tmp_path / "tree")
    report = build_site(load_config(tree), jobs=2)
    assert report.written > 50 and moves == []  # no file moved one by one
    assert read_tree(tree / "output") == read_tree(flat / "output")
    assert not list((tree / ".site-cache").glob("staging-*"))
    build_site(load_config(tree), jobs=1)  # the next build (flat staging, spare) is unaffected
    assert read_tree(tree / "output") == read_tree(flat / "output")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failed_first_build_leaves_no_output_and_its_staged_tree_is_deleted(tmp_path, jobs):
    """(With workers, some still render into the staged tree when the error arrives: they are waited
    for before it is discarded, or they would make its folders again.)"""
    root = make_tagged_site(tmp_path / "site", articles=30 if jobs == 1 else 400)
    (root / "templates").mkdir()
    (root / "templates" / "tags.html").write_text("{{ no_such_function() }}")  # rendered after the articles
    with pytest.raises((BuildErrors, SiteError)):
        build_site(load_config(root), jobs=jobs)
    assert not (root / "output").exists()
    assert not list((root / ".site-cache").glob("staging-*"))
    assert wait_until(lambda: not list((root / ".site-cache").glob("output.trash-*")), timeout=20)


def test_output_made_by_someone_during_a_tree_staged_build_is_still_committed(tmp_path):
    output_dir, cache_dir = tmp_path / "output", tmp_path / ".site-cache"
    scratch = Scratch.for_output(output_dir, cache_dir)
    staging = Staging(cache_dir, scratch)
    staging.add("articles/a/index.html", b"<p>a</p>")
    staging.add("index.html", b"<p>home</p>")
    output_dir.mkdir()
    (output_dir / "index.html").write_bytes(b"old")
    commit_swap(staging, output_dir, [], scratch)
    assert read_tree(output_dir) == {"articles/a/index.html": b"<p>a</p>", "index.html": b"<p>home</p>"}
    assert not staging.root.exists()
