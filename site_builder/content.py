"""The content model: what one article is once read, independent of files and templates.

Articles are immutable values. The rendered body is kept apart from the rest (``ArticleBody``) so that
the site model of a large archive holds only metadata in memory and bodies are streamed when their page
is rendered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Named:
    """A tag or a person as referenced from one article: display name and URL slug."""

    slug: str
    name: str


@dataclass(frozen=True)
class PersonMention:
    """A person named in an article, with the role the article gives them (if any)."""

    name: str
    slug: str
    role: str | None = None
    mentions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str


@dataclass(frozen=True)
class Article:
    """Everything about one article except its rendered body."""

    source: str  # path relative to the content folder, POSIX separators
    key: str  # content hash of the source + renderer versions: identifies the rendered body
    title: str
    slug: str
    url: str  # site-relative path such as "articles/slug/"
    date: dt.datetime | None
    updated: dt.datetime | None = None
    summary: str = ""
    summary_derived: bool = False  # taken from the first paragraph, so not repeated above the body
    tags: tuple[Named, ...] = ()
    people: tuple[PersonMention, ...] = ()
    authors: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    source_url: str | None = None
    draft: bool = False
    aliases: tuple[str, ...] = ()
    word_count: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def sort_key(self) -> tuple:
        """Newest first; undated articles after dated ones; ties broken by slug for determinism."""
        if self.date is None:
            return (1, 0.0, self.slug)
        return (0, -self.date.timestamp(), self.slug)


@dataclass(frozen=True)
class ArticleBody:
    """The rendered HTML of an article body and its table of contents."""

    html: str
    toc_html: str = ""
