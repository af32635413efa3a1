"""What the newsroom features add to the plan of :mod:`site_builder.plan.pages`: pages that are not
news, section and author pages, and the section and bylines an article page names.

Imported by ``pages`` where it plans (these modules plan their listings with its ``paginated``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from site_builder.config import SiteConfig
from site_builder.model.article import Article
from site_builder.model.page import Page
from site_builder.model.site import Person, Site
from site_builder.plan.authors import all_author_pages, bylines, person_author
from site_builder.plan.sections import all_section_pages, article_section
from site_builder.plan.standalone import standalone_pages

__all__ = ["standalone_pages", "section_and_author_pages", "article_extras", "person_extras"]


def section_and_author_pages(site: Site, config: SiteConfig) -> Iterator[Page]:
    yield from all_section_pages(site, config)
    yield from all_author_pages(site, config)


def article_extras(site: Site, article: Article) -> dict[str, Any]:
    """An article page's section (kicker, breadcrumb) and linked bylines, when it has them."""
    extras: dict[str, Any] = {}
    section = article_section(site, article)
    if section is not None:
        extras["section"] = section
    if article.authors:
        extras["bylines"] = bylines(site, article)
    return extras


def person_extras(site: Site, person: Person) -> dict[str, Any]:
    """The author page of a person who is also one of the site's authors (authors.toml ``person``)."""
    author = person_author(site, person.slug) if site.authors else None
    return {"author": author} if author is not None else {}
