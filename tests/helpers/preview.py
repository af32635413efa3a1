"""A two-article site for the preview tests (the dev server's session, rebuilder and inbox)."""

from __future__ import annotations

from pathlib import Path


def write_article(site: Path, name: str, title: str, slug: str | None = None, tags: str = "[News]") -> Path:
    slug_line = f"slug: {slug}\n" if slug else ""
    path = site / "content" / name
    path.write_text(f"---\ntitle: {title}\n{slug_line}date: 2024-05-01\ntags: {tags}\n---\n\nBody.\n")
    return path


def make_preview_site(root: Path) -> Path:
    """site.toml and two articles, "First story" (slug from the title) and "Second story" (slug second)."""
    (root / "content").mkdir()
    (root / "site.toml").write_text('title = "T"\n')
    write_article(root, "a.md", "First story")
    write_article(root, "b.md", "Second story", slug="second")
    return root
