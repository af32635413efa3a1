"""A random archive and its random edits (content edits that keep the site's structure, and structural
ones: tags, people, dates, adds, deletes, aliases, quotes), for tests that compare incremental builds
with cold builds after every step."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from site_builder.build import build_site
from site_builder.config import load_config
from tests.helpers.tree import read_tree

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
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


def cold_build(content: Path, where: Path) -> dict[str, bytes]:
    """A cold build of a copy of ``content`` at ``where``: what every incremental build must equal."""
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    (where / "site.toml").write_text(SETTINGS)
    shutil.copytree(content, where / "content")
    build_site(load_config(where), now=NOW, jobs=1)
    return read_tree(where / "output")


class Archive:
    """A site of random articles and the random edits made to it; ``touched`` is what a watcher would
    have reported since it was last cleared."""

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
