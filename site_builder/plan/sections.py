"""Section pages: ``/sections/`` (every section) and ``/sections/<slug>/`` (paginated, with feeds)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from site_builder.config import SiteConfig
from site_builder.model.article import Article
from site_builder.model.page import Page
from site_builder.model.sections import Section
from site_builder.model.site import Site
from site_builder.plan.feeds import feed_pages
from site_builder.plan.listing import paginated


def section_view(section: Section) -> dict[str, Any]:
    return {"name": section.name, "slug": section.slug, "url": section.url, "count": len(section.articles)}


def sections_index(site: Site) -> list[Page]:
    """The index of sections, in name order (none when the site has no sections)."""
    if not site.sections:
        return []
    ordered = sorted(site.sections.values(), key=lambda s: (s.name.lower(), s.slug))
    context = {"kind": "sections", "page_url": "sections/", "sections": [section_view(s) for s in ordered]}
    return [Page("sections/index.html", "html", context, "sections.html")]


def section_pages(
    config: SiteConfig, section: Section, only: Collection[int] | None = None, feed: bool = True
) -> Iterator[Page]:
    """A section's listing pages (all, or the numbers in *only*) and its feeds."""
    extra = {"kind": "section", "section": section_view(section)}
    yield from paginated(section.url, "section.html", section.articles, config.page_size, extra, only=only)
    if feed:
        yield from feed_pages(section.url, f"{config.title}: {section.name}", section.articles, config)


def all_section_pages(site: Site, config: SiteConfig) -> Iterator[Page]:
    yield from sections_index(site)
    for section in site.sections.values():
        yield from section_pages(config, section)


def article_section(site: Site, article: Article) -> dict[str, str] | None:
    """The section an article page names (its kicker and breadcrumb), spelled as the site spells it."""
    if article.section is None or article.section.slug not in site.sections:
        return None
    section = site.sections[article.section.slug]
    return {"name": section.name, "url": section.url}
