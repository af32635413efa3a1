"""The dev server's edit path: an edit of existing articles that keeps the site's structure is rebuilt
from the edits alone (``_Build.edit``: sources, site model, plan tokens, search index and output record
updated in place), and must give exactly what a cold build gives. Everything else falls back to the
general path, which tests/functional/test_incremental_plan.py covers.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest

from site_builder.build import build_site
from site_builder.build.state.memory import BuildMemory
from site_builder.config import load_config
from site_builder.errors import SiteError
from tests.helpers import read_tree

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
SETTINGS = 'title = "Edits"\nbase_url = "https://example.org/"\npage_size = 3\nfeed_size = 3\n'
TAGS = ["Politics", "Sport", "Business"]
PEOPLE = ["Ann Lee", "Bo Ray", "Cy Young"]


def text(fields: dict) -> str:
    lines = ["---", f"title: {fields['title']}", f"slug: {fields['slug']}", f"date: {fields['date']}"]
    lines += [f"tags: [{', '.join(fields['tags'])}]", f"people: [{', '.join(fields['people'])}]"]
    lines += [f"summary: {fields['summary']}"]
    if fields.get("draft"):
        lines.append("draft: true")
    return "\n".join([*lines, "---", "", fields["body"], ""])


def cold(root: Path, where: Path, now: dt.datetime = NOW) -> dict[str, bytes]:
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    (where / "site.toml").write_text(SETTINGS)
    shutil.copytree(root / "content", where / "content")
    build_site(load_config(where), now=now, jobs=1)
    return read_tree(where / "output")


class Site:
    def __init__(self, root: Path, rng: random.Random, count: int = 12) -> None:
        self.root, self.rng = root, rng
        (root / "content").mkdir(parents=True)
        (root / "site.toml").write_text(SETTINGS)
        self.fields = {f"a{n}": self.new(n) for n in range(count)}
        for name in self.fields:
            self.write(name)
        self.config = load_config(root)
        self.memory = BuildMemory()

    def new(self, n: int) -> dict:
        return {
            "title": f"Story {n}",
            "slug": f"story-{n}",
            "date": f"2020-{n % 4 + 1:02d}-{n % 27 + 1:02d}",
            "tags": self.rng.sample(TAGS, 2),
            "people": self.rng.sample(PEOPLE, self.rng.randint(0, 2)),
            "summary": f"Summary {n}.",
            "body": f"Body of story {n}. {self.rng.choice(PEOPLE)} said: “We will see.”",
        }

    def write(self, name: str) -> Path:
        path = self.root / "content" / f"{name}.md"
        path.write_text(text(self.fields[name]))
        return path

    def build(self, changed: set[Path] | None = None, now: dt.datetime = NOW):
        return build_site(self.config, now=now, jobs=1, memory=self.memory, changed=changed)


@pytest.mark.slow
def test_content_edits_are_rebuilt_from_the_edits_alone_and_match_cold_builds(tmp_path):
    rng = random.Random(7)
    site = Site(tmp_path / "site", rng)
    site.build()
    model, serial = site.memory.site, 0
    for step in range(14):
        changed = set()
        for name in rng.sample(sorted(site.fields), rng.choice([1, 1, 2, 3])):
            serial += 1
            fields = site.fields[name]
            change = rng.choice(["title", "body", "summary", "quote", "words"])
            if change == "title":  # the slug is explicit: the URL stays
                fields["title"] = f"Retitled {serial}"
            elif change == "body":
                fields["body"] += f"\n\nAnother paragraph {serial}."
            elif change == "summary":
                fields["summary"] = f"New summary {serial}."
            elif change == "quote":
                fields["body"] += f'\n\n"Quoted words {serial}," said {rng.choice(PEOPLE)}.'
            else:  # words no other article has: new search shards, and gone again later
                fields["body"] = fields["body"].split("\n\nZyx")[0] + f"\n\nZyx{serial} qwv{serial}."
            changed.add(site.write(name))
        report = site.build(changed)
        assert site.memory.site is model, f"step {step}: the edit path was not taken"
        assert report.planned < report.pages // 2
        assert "archive/2020/index.html" not in report.changed_paths  # a year page shows counts only
        assert read_tree(site.root / "output") == cold(site.root, tmp_path / "cold"), f"step {step}: {change}"


def test_words_leaving_the_archive_remove_their_search_files(tmp_path):
    site = Site(tmp_path / "site", random.Random(8))
    site.fields["a3"]["body"] += "\n\nQqxunique wording here."
    site.write("a3")
    site.build()
    before = set(read_tree(site.root / "output"))
    site.fields["a3"]["body"] = "Plain body again."
    report = site.build({site.write("a3")})
    after = set(read_tree(site.root / "output"))
    assert before - after and all(path.startswith("search/") for path in before - after)
    assert report.removed == len(before - after)
    assert read_tree(site.root / "output") == cold(site.root, tmp_path / "cold")


def test_a_touched_file_with_the_same_bytes_changes_nothing(tmp_path):
    site = Site(tmp_path / "site", random.Random(9))
    site.build()
    report = site.build({site.write("a2")})
    assert report.written == 0 and report.removed == 0


def test_drafts_and_scheduled_articles_through_the_edit_path(tmp_path):
    site = Site(tmp_path / "site", random.Random(10))
    site.fields["a1"]["draft"] = True
    site.fields["a2"]["date"] = "2030-06-01"  # scheduled: after NOW
    site.write("a1"), site.write("a2")
    site.build()
    model = site.memory.site
    site.fields["a1"]["body"] += "\n\nDraft work."
    site.fields["a2"]["body"] += "\n\nScheduled work."
    report = site.build({site.write("a1"), site.write("a2")})
    assert site.memory.site is model and report.written == 0
    site.fields["a2"]["date"] = "2030-09-01"  # rescheduled: the next change is later now
    site.build({site.write("a2")})
    july = dt.datetime(2030, 7, 1, tzinfo=dt.UTC)
    site.build(set(), now=july)  # still not due
    assert read_tree(site.root / "output") == cold(site.root, tmp_path / "cold", july)
    october = dt.datetime(2030, 10, 1, tzinfo=dt.UTC)
    site.build(set(), now=october)
    assert "articles/story-2/index.html" in read_tree(site.root / "output")
    assert read_tree(site.root / "output") == cold(site.root, tmp_path / "cold", october)


def test_an_edit_that_changes_the_structure_falls_back_and_leaves_the_model_whole(tmp_path):
    site = Site(tmp_path / "site", random.Random(11))
    site.build()
    model = site.memory.site
    site.fields["a4"]["body"] += "\n\nA content edit."
    site.fields["a5"]["tags"] = ["Weather"]  # structural: the whole edit is grouped afresh
    site.build({site.write("a4"), site.write("a5")})
    assert site.memory.site is not model
    assert read_tree(site.root / "output") == cold(site.root, tmp_path / "cold")
    site.fields["a6"]["draft"] = True  # withdrawn
    site.build({site.write("a6")})
    assert "articles/story-6/index.html" not in read_tree(site.root / "output")
    assert read_tree(site.root / "output") == cold(site.root, tmp_path / "cold")


def test_a_broken_save_keeps_the_memory_and_the_fix_is_rebuilt_from_the_edit(tmp_path):
    site = Site(tmp_path / "site", random.Random(12))
    site.build()
    model = site.memory.site
    broken = site.root / "content" / "a3.md"
    broken.write_text("---\ntitle: [unclosed\n---\n\nBody\n")
    with pytest.raises(SiteError, match="a3.md"):
        site.build({broken})
    assert site.memory.ready and site.memory.site is model
    site.fields["a4"]["body"] += "\n\nMeanwhile, another edit."
    with pytest.raises(SiteError, match="a3.md"):  # still broken: the other edit does not hide it
        site.build({site.write("a4")})
    site.fields["a3"]["body"] += "\n\nFixed."
    site.build({site.write("a3")})
    assert site.memory.site is model and not site.memory.refused
    assert read_tree(site.root / "output") == cold(site.root, tmp_path / "cold")
