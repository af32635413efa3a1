"""The content model: what one article is once read, independent of files and templates.

Articles are immutable values. The rendered body is kept apart from the rest (``ArticleBody``) so that
the site model of a large archive holds only metadata in memory and bodies are streamed when their page
is rendered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any


@dataclass(frozen=True, order=True, slots=True)
class Named:
    """A tag or a person as referenced from one article: display name and URL slug."""

    slug: str
    name: str

    def __reduce__(self) -> tuple:  # unpickled by calling the class: faster than dataclasses' setstate
        return (Named, (self.slug, self.name))


@dataclass(frozen=True, slots=True)
class PersonMention:
    """A person named in an article, with the role the article gives them (if any)."""

    name: str
    slug: str
    role: str | None = None
    mentions: tuple[tuple[int, int], ...] = ()

    def __reduce__(self) -> tuple:
        return (PersonMention, (self.name, self.slug, self.role, self.mentions))


@dataclass(frozen=True, slots=True)
class Quote:
    speaker: str
    text: str

    def __reduce__(self) -> tuple:
        return (Quote, (self.speaker, self.text))


@dataclass(frozen=True, slots=True)
class Article:
    """Everything about one article except its rendered body.

    Slotted (as are the values it holds): a 100,000-article archive is held in memory, and an instance
    dictionary per object weighed more than the values. Two slots keep what is derived from the
    (immutable) article once made: its teaser (:func:`site_builder.planner.teaser`) and its search
    document (:func:`site_builder.search._remembered`); they are not pickled.
    """

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
    language: str | None = None  # BCP 47 tag, when it is not the site's ("de", "ar-EG")
    translation_key: str | None = None  # shared by the translations of one article
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    _teaser: Any = field(default=None, init=False, repr=False, compare=False, hash=False)
    _search_document: Any = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __getstate__(self) -> tuple:
        return _article_state(self)

    def __setstate__(self, state: tuple) -> None:
        for name, value in zip(_ARTICLE_FIELDS, state, strict=True):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_teaser", None)
        object.__setattr__(self, "_search_document", None)

    @property
    def sort_key(self) -> tuple:
        """Newest first; undated articles after dated ones; ties broken by slug for determinism."""
        if self.date is None:
            return (1, 0.0, self.slug)
        return (0, -self.date.timestamp(), self.slug)


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article) if f.init)  # what is pickled, in this order
_article_state = attrgetter(*_ARTICLE_FIELDS)


@dataclass(frozen=True)
class ArticleBody:
    """The rendered HTML of an article body and its table of contents."""

    html: str
    toc_html: str = ""
