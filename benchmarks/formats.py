"""Write one archive in the three tools' formats: site_builder, Hugo and Pelican.

Each format gets the same articles (title, date, slug, tags, people, summary,
body) and a configuration/theme kept under benchmarks/peers/<tool>/ that
renders the same kinds of pages: article pages, paginated tag and person pages,
per-tag and per-person feeds, the paginated front page and the site feed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus import Article, slugify

PEERS = Path(__file__).resolve().parent / "peers"
TOOLS = ("site_builder", "hugo", "pelican")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _yaml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def yaml_document(article: Article) -> str:
    """site_builder's and Hugo's content file: YAML front matter, blank line, Markdown body."""
    meta = [
        f"title: {_q(article.title)}",
        f"date: {article.date.isoformat()}",
        f"slug: {_q(article.slug)}",
        f"tags: {_yaml_list(article.tags)}",
        f"people: {_yaml_list(article.people)}",
        f"summary: {_q(article.summary)}",
    ]
    return "---\n" + "\n".join(meta) + "\n---\n\n" + article.body


def pelican_document(article: Article) -> str:
    """Pelican's Markdown with `Key: value` headers; people go in `Authors:`."""
    headers = [
        f"Title: {article.title}",
        f"Date: {article.date.strftime('%Y-%m-%d %H:%M')}",
        f"Slug: {article.slug}",
        f"Tags: {', '.join(article.tags)}",
        f"Authors: {', '.join(article.people)}",
        f"Summary: {article.summary}",
    ]
    return "\n".join(headers) + "\n\n" + article.body


@dataclass(frozen=True)
class Layout:
    """Where a tool keeps its content, and how it spells one article."""

    content_dir: str
    render: Callable[[Article], str]
    output_dir: str
    cache_dirs: tuple[str, ...]
    feed_name: str = "feed.xml"


LAYOUTS = {
    "site_builder": Layout("content", yaml_document, "output", (".site-cache",)),
    "hugo": Layout(
        "content/articles",
        yaml_document,
        "public",
        ("resources", ".hugo-cache", ".hugo_build.lock"),
        "index.xml",
    ),
    "pelican": Layout("content", pelican_document, "output", ("cache", "__pycache__")),
}


def article_path(tool: str, site: Path, slug: str) -> Path:
    """The file that holds one article in a tool's site."""
    return site / LAYOUTS[tool].content_dir / f"{slug}.md"


def prepare_site(tool: str, site: Path) -> None:
    """Start a tool's site from scratch: its configuration and theme, no content."""
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(PEERS / tool, site)
    (site / LAYOUTS[tool].content_dir).mkdir(parents=True, exist_ok=True)


def write_archive(articles: Iterable[Article], sites: dict[str, Path]) -> int:
    """Write every article into each tool's site; returns the number written."""
    for tool, site in sites.items():
        prepare_site(tool, site)
    count = 0
    for article in articles:
        for tool, site in sites.items():
            text = LAYOUTS[tool].render(article)
            article_path(tool, site, article.slug).write_text(text, encoding="utf-8")
        count += 1
    return count


def clean_outputs(tool: str, site: Path) -> None:
    """Remove a tool's output and caches: the state of a cold build."""
    layout = LAYOUTS[tool]
    for name in (layout.output_dir, *layout.cache_dirs):
        path = site / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def article_page(tool: str, site: Path, slug: str) -> Path:
    """The rendered page of one article."""
    return site / LAYOUTS[tool].output_dir / "articles" / slug / "index.html"


def expected_outputs(tool: str, site: Path, slug: str, tag: str, person: str) -> list[Path]:
    """Pages every tool must have written for one article: proof that the builds did the same job."""
    layout = LAYOUTS[tool]
    out = site / layout.output_dir
    tag, person = slugify(tag), slugify(person)
    return [
        article_page(tool, site, slug),
        out / "index.html",
        out / "page" / "2" / "index.html",
        out / "tags" / tag / "index.html",
        out / "tags" / tag / layout.feed_name,
        out / "people" / person / "index.html",
        out / "people" / person / layout.feed_name,
        out / "tags" / "index.html",
        out / "people" / "index.html",
    ]
