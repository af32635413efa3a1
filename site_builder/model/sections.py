"""Sections (a newspaper's Business, Politics...): each article belongs to at most one.

An article's section is its ``section`` front matter (Pelican's ``Category:`` header is the same field),
or, when the site asks, the top-level folder it is in under ``content/``. Sections are grouped like
tags: one spelling per slug, the most used.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from site_builder.model.article import Article


@dataclass
class Section:
    name: str
    slug: str
    articles: list[Article] = field(default_factory=list)  # newest first

    @property
    def url(self) -> str:
        return f"sections/{self.slug}/"


def group_sections(articles: list[Article]) -> dict[str, Section]:
    """Sections by slug (sorted), with their articles in the order given."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if article.section is not None:
            spellings[article.section.slug][article.section.name] += 1
            members[article.section.slug].append(article)
    return {
        slug: Section(min(spellings[slug].items(), key=lambda i: (-i[1], i[0]))[0], slug, members[slug])
        for slug in sorted(members)
    }
