"""Incremental planning: after any sequence of edits, a rebuild gives exactly what a cold build gives.

When only articles' content changed, a build plans just the pages that show those articles and keeps
the rest of the last build's record (see ``planner.plan_affected``). These tests drive random edit
sequences (content edits that keep the structure, and structural ones: tags, people, dates, adds,
deletes, aliases, quotes) and compare the whole output tree with a from-scratch build after each step.
"""

from __future__ import annotations

import random

import pytest

from site_builder.build import build_site
from site_builder.build.state.memory import BuildMemory
from site_builder.config import load_config
from site_builder.sources.files import changed_sources
from tests.helpers import REPO, read_tree
from tests.helpers.archive import NOW, Archive, cold_build


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "remember"), [(1, False), (2, False), (3, True), (4, True), (5, True)])
def test_random_edit_sequences_match_cold_builds(tmp_path, seed, remember):
    """*remember*: builds as the dev server runs them, with the last build's memory and the paths
    a watcher reports; else as CLI builds, each from the disk."""
    rng = random.Random(seed)
    archive = Archive(tmp_path / "site", rng)
    config = load_config(archive.root)
    memory = BuildMemory() if remember else None
    build_site(config, now=NOW, jobs=1, memory=memory)
    incremental = 0
    for step in range(12):
        archive.touched.clear()
        change = archive.edit()
        if rng.random() < 0.3:  # a burst: several files in one rebuild
            archive.edit()
        changed = set(archive.touched) if remember else None
        report = build_site(config, now=NOW, jobs=1, memory=memory, changed=changed)
        incremental += report.planned < report.pages - 5
        expected = cold_build(archive.root / "content", tmp_path / "cold")
        assert read_tree(archive.root / "output") == expected, f"step {step}: {change}"
    assert incremental, "no build took the incremental path"


def test_a_body_edit_plans_only_the_pages_that_show_the_article(tmp_path):
    archive = Archive(tmp_path / "site", random.Random(7))
    config = load_config(archive.root)
    first = build_site(config, now=NOW, jobs=1)
    name = sorted(archive.articles)[3]
    archive.articles[name]["body"] += "\n\nA late correction."
    archive.write(name)
    index_files = len(list((archive.root / "output" / "search" / "index").rglob("*.json")))
    report = build_site(config, now=NOW, jobs=1)
    searched = len(list((archive.root / "output" / "search" / "index").rglob("*.json")))
    assert report.planned - searched < (first.planned - index_files) / 2
    assert report.written >= 1 and report.removed == 0
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


def test_a_template_change_plans_everything(tmp_path):
    archive = Archive(tmp_path / "site", random.Random(8))
    config = load_config(archive.root)
    first = build_site(config, now=NOW, jobs=1)
    (archive.root / "templates").mkdir()
    (archive.root / "templates" / "404.html").write_text("<!doctype html><title>gone</title>\n")
    report = build_site(config, now=NOW, jobs=1)
    assert report.planned == first.planned and report.written == 1


def test_a_change_to_an_included_file_of_any_suffix_is_seen(tmp_path):
    """Templates include partials whatever their suffix; a change to one must reach the pages."""
    archive = Archive(tmp_path / "site", random.Random(11))
    templates = archive.root / "templates"
    templates.mkdir()
    theme_article = (REPO / "templates" / "article.html").read_text()
    assert "{% block content %}" in theme_article
    (templates / "article.html").write_text(
        theme_article.replace("{% block content %}", '{% block content %}{% include "byline.jinja" %}', 1)
    )
    (templates / "byline.jinja").write_text("<p>Byline one</p>")
    config = load_config(archive.root)
    build_site(config, now=NOW, jobs=1)
    (templates / "byline.jinja").write_text("<p>Byline two</p>")
    report = build_site(config, now=NOW, jobs=1)
    assert report.written >= len(archive.articles)
    pages = list((archive.root / "output" / "articles").glob("*/index.html"))
    assert pages and all("Byline two" in p.read_text() for p in pages)


def test_output_touched_by_hand_falls_back_to_a_full_plan(tmp_path):
    archive = Archive(tmp_path / "site", random.Random(9))
    config = load_config(archive.root)
    first = build_site(config, now=NOW, jobs=1)
    (archive.root / "output" / "tags" / "index.html").unlink()
    name = sorted(archive.articles)[0]
    archive.articles[name]["body"] += "\n\nMore."
    archive.write(name)
    report = build_site(config, now=NOW, jobs=1)
    assert report.planned >= first.planned  # everything (and a search shard for the new word)
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


def test_the_dev_server_memory_swaps_an_edited_article_into_the_same_site_model(tmp_path):
    archive = Archive(tmp_path / "site", random.Random(10))
    config = load_config(archive.root)
    memory = BuildMemory()
    build_site(config, now=NOW, jobs=1, memory=memory)
    site = memory.site
    name = sorted(archive.articles)[2]
    archive.articles[name]["summary"] = "A corrected summary."  # (a new title would change the slug)
    archive.write(name)
    report = build_site(config, now=NOW, jobs=1, memory=memory, changed={archive.root / f"content/{name}.md"})
    assert memory.site is site and report.written >= 3
    assert any(a.summary == "A corrected summary." for a in site.articles)
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")
    archive.articles[name]["tags"] = ["Weather"]  # a structural edit: the site is grouped afresh
    archive.write(name)
    build_site(config, now=NOW, jobs=1, memory=memory, changed={archive.root / f"content/{name}.md"})
    assert memory.site is not site and "Weather" in {t.name for t in memory.site.tags.values()}
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


def test_watcher_paths_that_are_not_plain_content_files_mean_read_everything(tmp_path):
    archive = Archive(tmp_path / "site", random.Random(11))
    config = load_config(archive.root)
    content = archive.root / "content"
    assert changed_sources(config, [content / "a1.md", content / "gone.md"]) == {"a1.md", "gone.md"}
    assert changed_sources(config, [content / ".a1.md.swp"]) is None  # not a content suffix
    (content / "folder.md").mkdir()
    assert changed_sources(config, [content / "folder.md"]) is None
    assert changed_sources(config, [content]) is None
    assert changed_sources(config, [archive.root / "site.toml"]) is None
    assert changed_sources(config, [content / "sub"]) is None  # a folder moved away


def test_a_build_by_another_process_in_between_makes_the_memory_start_again(tmp_path):
    archive = Archive(tmp_path / "site", random.Random(12))
    config = load_config(archive.root)
    memory = BuildMemory()
    build_site(config, now=NOW, jobs=1, memory=memory)
    name = sorted(archive.articles)[1]
    (archive.root / "content" / "draft.md").write_text(
        "---\ntitle: Draft\ndate: 2020-01-05\ndraft: true\n---\n\nX\n"
    )
    build_site(config, now=NOW, jobs=1, drafts=True)  # e.g. `site-builder build --drafts` meanwhile
    archive.articles[name]["body"] += "\n\nLate news."
    archive.write(name)
    build_site(config, now=NOW, jobs=1, memory=memory, changed={archive.root / f"content/{name}.md"})
    assert read_tree(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")
