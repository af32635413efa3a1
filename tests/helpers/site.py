"""A throw-away site in a temporary folder: articles and settings written by the test, then built."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from site_builder.config import load_config
from tests.helpers.tree import read_tree


class SiteFixture:
    """A throw-away site: write articles and settings, then build it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "content").mkdir(parents=True, exist_ok=True)
        self.settings = 'title = "Test archive"\nbase_url = "https://example.org/"\npage_size = 2\n'
        (root / "site.toml").write_text(self.settings, encoding="utf-8")

    def config(self, **overrides):
        return load_config(self.root, overrides)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def article(
        self, name: str, title: str, date: str | None = "2020-01-01", body: str = "Body text.", **meta
    ):
        lines = [f"title: {title!r}"] if "'" not in title else [f'title: "{title}"']
        if date:
            lines.append(f"date: {date}")
        for key, value in meta.items():
            lines.append(f"{key}: {value}")
        return self.write(f"content/{name}.md", "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n")

    def build(self, **options):
        from site_builder.build import build_site

        return build_site(self.config(), **options)

    @property
    def output(self) -> Path:
        return self.root / "output"

    def files(self) -> dict[str, bytes]:
        return read_tree(self.output)


def from_scratch(site: SiteFixture, tmp_path: Path) -> dict[str, bytes | None]:
    """The output tree, folders included, of a cold build of a copy of the site's sources (without its
    output/ and cache), made in ``tmp_path/fresh``: what any incremental build must equal."""
    from site_builder.build import build_site

    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(site.root, fresh, ignore=shutil.ignore_patterns("output", ".output*", ".site-cache"))
    build_site(load_config(fresh, {}), jobs=1)
    return read_tree(fresh / "output", folders=True)


def make_tagged_site(root: Path, articles: int = 30) -> Path:
    """A site of ``articles`` short articles over nine months, five tags and three people (4 a page)."""
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Tree"\nbase_url = "https://example.org/"\npage_size = 4\n')
    for n in range(articles):
        (root / "content" / f"a{n}.md").write_text(
            f"---\ntitle: Story {n}\ndate: 2021-0{n % 9 + 1}-1{n % 10}\ntags: [T{n % 5}]\n"
            f'people: [Ann Lee{n % 3}]\n---\n\nBody "{n}" -- it\'s here.\n'
        )
    return root
