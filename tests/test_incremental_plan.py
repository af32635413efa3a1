"""Incremental planning: after any sequence of edits, a rebuild gives exactly what a cold build gives.

When only articles' content changed, a build plans just the pages that show those articles and keeps
the rest of the last build's record (see ``planner.plan_affected``). These tests drive random edit
sequences (content edits that keep the structure, and structural ones: tags, people, dates, adds,
deletes, aliases, quotes) and compare the whole output tree with a from-scratch build after each step.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from site_builder.build.pipeline import build_site
from site_builder.build.state.memory import BuildMemory
from site_builder.config import load_config
from site_builder.sources.files import changed_sources

NOW = __import__("datetime").datetime(2030, 1, 1, tzinfo=__import__("datetime").UTC)
TAGS = ["Politics", "Sport", "Business", "Science"]
PEOPLE = ["Ann Lee", "Bo Ray", "Cy Young", "Di Fox"]
SETTINGS = 'title = "Incremental"\nbase_url = "https://example.org/"\npage_size = 3\nfeed_size = 3\n'


def article_text(fields: dict) -> str:
    lines = ["---", f"title: {fields['title']}", f"date: {fields['date']}"]
    lines.append(f"tags: [{', '.join(fields['tags'])}]")
    lines.append(f"people: [{', '.join(fields['people'])}]")
    lines.append(f"summary: {fields['summary']}")
    if fields.get("aliases"):
        lines.append(f"aliases: [{', '.join(fields['aliases'])}]")
    lines += ["---", "", fields["body"], ""]
    return "\n".join(lines)


def snapshot(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}


def cold_build(content: Path, where: Path) -> dict[str, bytes]:
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    (where / "site.toml").write_text(SETTINGS)
    shutil.copytree(content, where / "content")
    build_site(load_config(where), now=NOW, jobs=1)
    return snapshot(where / "output")


class Archive:
    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        (root / "content").mkdir(parents=True)
        (root / "site.toml").write_text(SETTINGS)
        self.articles: dict[str, dict] = {}
        self.serial = 0
        self.touched: set[Path] = set()  # what a watcher would report
        for _ in range(14):
            self.add()

    def new_fields(self) -> dict:
        self.serial += 1
        return {
            "title": f"Story {self.serial}",
            "date": f"2020-{self.rng.randint(1, 4):02d}-{self.rng.randint(1, 28):02d}",
            "tags": self.rng.sample(TAGS, self.rng.randint(1, 2)),
            "people": self.rng.sample(PEOPLE, self.rng.randint(0, 2)),
            "summary": f"Summary {self.serial}.",
            "body": f"Body of story {self.serial}. {self.rng.choice(PEOPLE)} said: “We will see.”",
        }

    def write(self, name: str) -> None:
        path = self.root / "content" / f"{name}.md"
        path.write_text(article_text(self.articles[name]))
        self.touched.add(path)

    def add(self) -> None:
        name = f"a{self.serial}"
        self.articles[name] = self.new_fields()
        self.write(name)

    def edit(self) -> str:
        name = self.rng.choice(sorted(self.articles))
        fields = self.articles[name]
        change = self.rng.choice(
            ["title", "body", "body", "summary", "quote", "tags", "people", "date", "alias", "add", "delete"]
        )
        self.serial += 1
        if change == "title":
            fields["title"] = f"Retitled {self.serial}"
        elif change == "body":
            fields["body"] += f"\n\nAnother paragraph {self.serial}."
        elif change == "summary":
            fields["summary"] = f"New summary {self.serial}."
        elif change == "quote":
            fields["body"] += f'\n\n"Quoted words {self.serial}," said {self.rng.choice(PEOPLE)}.'
        elif change == "tags":
            fields["tags"] = self.rng.sample(TAGS, self.rng.randint(1, 3))
        elif change == "people":
            fields["people"] = self.rng.sample(PEOPLE, self.rng.randint(0, 3))
        elif change == "date":
            fields["date"] = f"2020-{self.rng.randint(1, 4):02d}-{self.rng.randint(1, 28):02d}"
        elif change == "alias":
            fields["aliases"] = [f"/old/{name}-{self.serial}/"]
        elif change == "add":
            self.add()
            return change
        elif change == "delete" and len(self.articles) > 5:
            del self.articles[name]
            (self.root / "content" / f"{name}.md").unlink()
            self.touched.add(self.root / "content" / f"{name}.md")
            return change
        self.write(name)
        return change


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
        assert snapshot(archive.root / "output") == expected, f"step {step}: {change}"
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
    assert snapshot(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


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
    theme_article = (Path(__file__).parents[1] / "templates" / "article.html").read_text()
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
    assert snapshot(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


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
    assert snapshot(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")
    archive.articles[name]["tags"] = ["Weather"]  # a structural edit: the site is grouped afresh
    archive.write(name)
    build_site(config, now=NOW, jobs=1, memory=memory, changed={archive.root / f"content/{name}.md"})
    assert memory.site is not site and "Weather" in {t.name for t in memory.site.tags.values()}
    assert snapshot(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")


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
    assert snapshot(archive.root / "output") == cold_build(archive.root / "content", tmp_path / "cold")
