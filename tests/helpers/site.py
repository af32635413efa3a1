"""A throw-away site in a temporary folder: articles and settings written by the test, then built."""

from __future__ import annotations

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
        from site_builder.build.pipeline import build_site

        return build_site(self.config(), **options)

    @property
    def output(self) -> Path:
        return self.root / "output"

    def files(self) -> dict[str, bytes]:
        return read_tree(self.output)
