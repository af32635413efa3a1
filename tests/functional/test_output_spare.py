"""The spare tree: commit_swap brings the tree replaced by the last commit up to date instead of linking
the whole site again, and falls back to a full link tree whenever the spare cannot be trusted."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

from site_builder.build.output import commit as output
from site_builder.build.output import scratch, spare, staging
from site_builder.build.output.spare import plan_spare, tree_index
from tests.helpers import read_tree
from tests.helpers.site import from_scratch


def test_plan_links_new_files_relinks_last_changes_and_removes_stale():
    spare = {"a.html": 1, "b.html": 2, "old/": 0, "old/x.html": 3, "c.html": 9}
    live = {"a.html": 1, "b.html": 20, "c.html": 9, "new/": 0, "new/y.html": 4}
    plan = plan_spare(
        spare, live, dirty=["b.html", "old/x.html", "new/y.html"], staged=["a.html"], stale=["c.html"]
    )
    assert plan is not None
    assert plan.remove == ["a.html", "b.html", "c.html", "old/x.html"]
    assert plan.from_staging == ["a.html"]
    assert plan.from_output == ["b.html", "new/y.html"]  # old/x.html is gone from output/: not linked
    assert plan.prune == ["old/"]


def test_plan_prunes_deepest_folders_first():
    spare = {"a/": 0, "a/b/": 0, "a/b/c.html": 1}
    plan = plan_spare(spare, {}, dirty=["a/b/c.html"], staged=[], stale=[])
    assert plan is not None and plan.prune == ["a/b/", "a/"]


@pytest.mark.parametrize(
    "live",
    [
        {"a.html": 1, "b.html": 5},  # a file replaced by hand (another inode)
        {"a.html": 1, "b.html": 2, "extra.html": 7},  # a file added outside the recorded paths
        {"a.html": 1},  # a file removed
        {"a.html": 1, "b.html": 2, "empty/": 0},  # a folder made by hand
    ],
)
def test_plan_refuses_a_spare_that_differs_outside_the_recorded_paths(live):
    spare = {"a.html": 1, "b.html": 2, "d.html": 8}
    assert plan_spare(spare, {**live, "d.html": 8}, dirty=[], staged=["d.html"], stale=[]) is None


def test_tree_index_lists_every_file_and_folder_with_inodes(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("x")
    (tmp_path / "a.html").write_text("a")
    os.link(tmp_path / "a.html", tmp_path / "same.html")
    found = tree_index(str(tmp_path))
    assert set(found) == {".git/", ".git/HEAD", "a.html", "same.html"}
    assert found["a.html"] == found["same.html"] == os.stat(tmp_path / "a.html").st_ino


# Functional: successive builds, each compared with a from-scratch build of the same sources.


class Spy:
    def __init__(self, monkeypatch) -> None:
        self.full = 0
        original = output._link_tree

        def counting(*args):
            self.full += 1
            return original(*args)

        monkeypatch.setattr(output, "_link_tree", counting)


def tree(folder: Path) -> dict[str, bytes | None]:
    return read_tree(folder, folders=True)


def shares_unchanged_inodes(site) -> bool:
    """Every file the last commit did not write is the same inode in output/ and in the spare."""
    spare = tree_index(str(site.root / ".site-cache" / "output.spare"))
    live = tree_index(str(site.output))
    dirty = set(output.Spare.load(site.root / ".site-cache" / "output.spare.json").dirty)
    unchanged = [key for key, inode in live.items() if inode and key not in dirty]
    return bool(unchanged) and all(spare.get(key) == live[key] for key in unchanged)


def test_successive_builds_update_the_spare_and_match_fresh_builds(site, tmp_path, monkeypatch):
    spy = Spy(monkeypatch)
    site.article("one", "One", tags="[alpha]")
    site.article("two", "Two", tags="[alpha, beta]")
    site.write("static/notes.txt", "User-agent: *\n")
    site.build(jobs=1)
    steps = [
        lambda: site.article("one", "One", body="Edited body.", tags="[alpha]"),  # an edit
        lambda: site.article("three", "Three", date="2021-05-05", tags="[gamma]"),  # an add: new folders
        lambda: (site.root / "content/three.md").unlink(),  # folders left empty (gamma, 2021)
        lambda: site.write("static/notes.txt", "User-agent: x\n"),
        lambda: (site.root / "static/notes.txt").unlink(),
        lambda: site.write("static/notes.txt/index.txt", "a file replaced by a folder\n"),
        lambda: shutil.rmtree(site.root / "static/notes.txt") or site.write("static/notes.txt", "back\n"),
        lambda: site.article("two", "Two", tags="[beta]"),
    ]
    for number, step in enumerate(steps):
        step()
        site.build(jobs=1)
        assert tree(site.output) == from_scratch(site, tmp_path), f"step {number}"
        assert (site.root / ".site-cache/output.spare.json").exists()
    assert spy.full == 0  # the first build left an empty spare: never a full link tree
    assert shares_unchanged_inodes(site)


def built_twice(site, articles: int, **meta) -> None:
    """A site built, then built again after an edit: the spare is in use."""
    for n in range(articles):
        site.article(f"a{n}", f"Story {n}", **meta)
    site.build(jobs=1)
    site.article("a0", "Story 0", body="Changed.", **meta)
    site.build(jobs=1)


def test_output_changed_by_hand_falls_back_and_ends_correct(site, tmp_path, monkeypatch):
    spy = Spy(monkeypatch)
    built_twice(site, 4, tags="[alpha]")
    full = spy.full
    (site.output / "empty").mkdir()  # outside every recorded path
    (site.output / "extra.html").write_text("stale")
    (site.output / "index.html").unlink()
    site.article("a1", "Story 1", body="Changed too.", tags="[alpha]")
    site.build(jobs=1)
    assert spy.full == full + 1
    assert tree(site.output) == from_scratch(site, tmp_path)
    site.article("a2", "Story 2", body="And this one.", tags="[alpha]")
    site.build(jobs=1)  # the spare is trusted again
    assert spy.full == full + 1
    assert tree(site.output) == from_scratch(site, tmp_path)


def test_same_size_hand_edit_is_kept_as_a_full_link_would(site, tmp_path, monkeypatch):
    """A file replaced by hand with the same size is not re-rendered (as before); the spare's copy of it
    is older, so the commit must not take it from the spare."""
    spy = Spy(monkeypatch)
    site.article("a0", "Story 0")
    site.write("static/notes.txt", "notes\n")
    site.build(jobs=1)
    site.article("a0", "Story 0", body="Changed.")
    site.build(jobs=1)
    page = site.output / "notes.txt"
    edited = b"NOTES\n"
    page.unlink()
    page.write_bytes(edited)
    site.article("a0", "Story 0", body="Changed again.")
    site.build(jobs=1)
    assert spy.full == 1
    assert page.read_bytes() == edited


def test_in_place_commits_between_swaps_are_caught(site, tmp_path, monkeypatch):
    spy = Spy(monkeypatch)
    built_twice(site, 3)
    site.write("site.toml", site.settings + "atomic_output = false\n")
    site.article("a1", "Story 1", body="In place.")
    site.build(jobs=1)
    site.write("site.toml", site.settings)
    site.article("a2", "Story 2", body="Swap again.")
    before = spy.full
    site.build(jobs=1)
    assert tree(site.output) == from_scratch(site, tmp_path)
    assert spy.full == before + 1


def test_deleted_cache_or_spare_means_a_full_link(site, tmp_path, monkeypatch):
    spy = Spy(monkeypatch)
    built_twice(site, 3)
    shutil.rmtree(site.root / ".site-cache")
    site.article("a0", "Story 0", body="Twice.")
    site.build(jobs=1)
    assert tree(site.output) == from_scratch(site, tmp_path)
    (site.root / ".site-cache/output.spare.json").unlink()  # as a kill while updating it leaves it
    site.article("a0", "Story 0", body="Thrice.")
    site.build(jobs=1)
    assert tree(site.output) == from_scratch(site, tmp_path)
    assert spy.full == 2
    kept = {p.name for p in (site.root / ".site-cache").glob("output.*") if "trash" not in p.name}
    assert kept == {"output.spare", "output.spare.json"}


def test_no_spare_kept_beside_output(site, tmp_path, monkeypatch):
    """When the cache is on another file system the scratch folder is beside output/: no lasting copy."""
    real = scratch.Scratch.for_output

    def beside(output_dir, cache_dir):
        real(output_dir, cache_dir)
        return scratch.Scratch(output_dir.parent, f".{output_dir.name}")

    monkeypatch.setattr(scratch.Scratch, "for_output", staticmethod(beside))
    site.article("a0", "Story 0")
    site.build(jobs=1)
    site.article("a0", "Story 0", body="Edited.")
    site.build(jobs=1)
    assert tree(site.output) == from_scratch(site, tmp_path)
    assert not [p for p in site.root.iterdir() if p.name.startswith(".output.") and "trash" not in p.name]


# Crashes: a commit stopped after any file system operation leaves the old or the new site, and the
# next build ends correct (the spare left behind is never trusted blindly).


class Killed(BaseException):
    """Stands for SIGKILL: no handler in site_builder catches it."""


class CrashingOs:
    """output.py's view of ``os``: raises :class:`Killed` at the *at*-th operation that changes files."""

    CHANGES = {"link", "unlink", "replace", "rmdir", "makedirs", "rename", "mkdir"}

    def __init__(self, at: int | None) -> None:
        self.at, self.count = at, 0

    def __getattr__(self, name):
        function = getattr(os, name)
        if name not in self.CHANGES:
            return function

        def counted(*args, **kwargs):
            if self.count == self.at:
                raise Killed
            self.count += 1
            return function(*args, **kwargs)

        return counted


def test_commit_killed_after_any_step_leaves_old_or_new_and_recovers(site, tmp_path, monkeypatch):
    def state(label: str) -> None:
        site.article("a0", "Story 0", body=f"{label} body.", tags=f"[{label.lower()}]")
        shutil.rmtree(site.root / "static", ignore_errors=True)  # a file, then a folder of that name
        site.write("static/notes.txt" if label == "New" else "static/notes.txt/index.txt", label)

    site.article("a1", "Story 1")
    trees = {}
    for label in ("Old", "New"):
        state(label)
        trees[label] = from_scratch(site, tmp_path)
    state("Old")
    site.build(jobs=1)
    state("New")
    site.build(jobs=1)
    counter = CrashingOs(None)  # how many operations one commit takes
    _patch_os(monkeypatch, counter)
    state("Old")
    site.build(jobs=1)
    steps = counter.count
    assert steps > 10
    target, points, killed = "New", sorted({*range(0, steps, steps // 5), *range(steps - 3, steps)}), 0
    for at in points:  # the last ones: the swap, setting the spare aside, its manifest
        state(target)
        _patch_os(monkeypatch, CrashingOs(at))
        try:
            site.build(jobs=1)
        except Killed:
            killed += 1  # (a commit may take a step or two fewer than the one counted)
        assert tree(site.output) in (trees["Old"], trees["New"]), f"a mix after a kill at step {at}"
        _patch_os(monkeypatch, os)
        site.build(jobs=1)
        assert tree(site.output) == trees[target], f"wrong site after a kill at step {at}"
        target = "Old" if target == "New" else "New"
    assert killed >= len(points) - 2


def _patch_os(monkeypatch, replacement) -> None:
    """The os module as seen by every module that writes output/ (one counter across all of them)."""
    for module in (output, scratch, spare, staging):
        monkeypatch.setattr(module, "os", replacement)


def test_full_link_where_a_folder_became_a_file(site, tmp_path):
    """The full link tree used to recreate the emptied folder, and moving the file over it failed."""
    site.article("a0", "Story 0")
    site.write("static/notes.txt/index.txt", "a folder\n")
    site.build(jobs=1)
    shutil.rmtree(site.root / ".site-cache")
    shutil.rmtree(site.root / "static/notes.txt")
    site.write("static/notes.txt", "a file\n")
    site.build(jobs=1)
    assert tree(site.output) == from_scratch(site, tmp_path)


def test_a_tree_a_deleter_is_at_work_on_is_not_handed_to_another(tmp_path):
    """The dev server's builds, one per save, must not start a deleter each while one is at work."""
    tree = tmp_path / "output.trash-1"
    tree.mkdir()
    assert not scratch._being_deleted(tree)
    handle = os.open(tree, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)  # as the deleter holds it
    assert scratch._being_deleted(tree)
    os.close(handle)
    assert not scratch._being_deleted(tree)
    assert scratch._being_deleted(tmp_path / "gone")
