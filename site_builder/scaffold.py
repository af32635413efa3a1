"""``init`` and ``new``: starting a site and starting an article, with front matter filled in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from site_builder.config import CONFIG_FILE, load_config
from site_builder.errors import SiteError
from site_builder.model.slugs import slugify
from site_builder.sources.frontmatter import dump_document

SITE_TOML = """\
# site_builder configuration: https://github.com/ (see README.md for every setting)
title = "{title}"
description = "A news archive built with site_builder."
base_url = "http://localhost:8000/"
language = "en"
timezone = "UTC"
permalink = "articles/{{slug}}/"
page_size = 20
feed_size = 20
"""

EXAMPLE_BODY = """\
This is an example article. Write Markdown below the front matter: paragraphs, *emphasis*,
[links](https://example.org), lists and quotes all work.

> "Every archive starts with one article," the editor said.
"""


def init_site(directory: Path, title: str = "My news archive") -> list[Path]:
    """Create a site skeleton that builds; refuse to overwrite an existing site."""
    directory = Path(directory)
    if (directory / CONFIG_FILE).exists():
        raise SiteError("a site already exists here; not overwriting it", directory / CONFIG_FILE)
    for folder in ("content", "templates", "static"):
        (directory / folder).mkdir(parents=True, exist_ok=True)
    (directory / ".gitignore").write_text("output/\n.site-cache/\n", encoding="utf-8")
    config_path = directory / CONFIG_FILE
    config_path.write_text(SITE_TOML.format(title=title.replace('"', '\\"')), encoding="utf-8")
    meta = {
        "title": "Welcome to your news archive",
        "date": dt.date.today().isoformat(),
        "tags": ["Site news"],
        "people": [{"name": "Ada Editor", "role": "Editor"}],
        "summary": "The first article of the archive.",
    }
    article = directory / "content" / "welcome.md"
    article.write_text(dump_document(meta, EXAMPLE_BODY), encoding="utf-8")
    return [config_path, article]


def new_article(site_dir: Path, title: str, now: dt.datetime | None = None) -> Path:
    """Create ``content/<slug>.md`` dated now in the site's time zone; never overwrite a file."""
    config = load_config(site_dir)
    now = now or dt.datetime.now(config.zone)
    slug = slugify(title)
    path = config.content_dir / f"{slug}.md"
    if path.exists():
        raise SiteError("already exists; choose another title or edit that file", path)
    meta = {
        "title": title,
        "date": now.replace(microsecond=0).isoformat(),
        "slug": slug,
        "tags": [],
        "people": [],
        "authors": [config.author] if config.author else [],
        "summary": "",
        "draft": True,
    }
    config.content_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_document(meta, "Write the article here.\n"), encoding="utf-8")
    return path
