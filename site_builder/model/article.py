"""The content model: what one article is once read, independent of files and templates.

Articles are immutable values. The rendered body is kept apart from the rest (``ArticleBody``) so that
the site model of a large archive holds only metadata in memory and bodies are streamed when their page
is rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, Literal, TypeVar

from site_builder.model.image import Picture

T = TypeVar("T")


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
    dictionary per object weighed more than the values. Two slots keep what later stages derive from
    the (immutable) article, made once (see :meth:`derived`): its teaser and its search document;
    they are not pickled.
    """

    source: str  # path relative to the content folder, POSIX separators
    key: str  # content hash of the source + renderer versions: identifies the rendered body
    title: str
    slug: str
    url: str  # site-relative path such as "articles/slug/"
    date: dt.datetime | None
    updated: dt.datetime | None = None
    summary: str = ""
    summary_derived: bool = False  # taken from (or repeating) the first paragraph: not shown above the body
    summary_html: str = ""  # the summary's inline Markdown as HTML, when it has markup (else: the text)
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
    image: Picture | None = None  # the lead image (front matter ``image``)
    figures: tuple[Picture, ...] = ()  # the images of the body, each once, in order
    section: Named | None = None  # front matter ``section`` (Pelican ``Category``) or its folder
    kind: str = "article"  # "page": an About-style page at /<slug>/, never listed (see model.site)
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

    def derived(self, kind: DerivedKind, make: Callable[[Article], T], keep: bool = True) -> T:
        """The value of *kind* made from this article by *make*, made once and kept with it (unless not
        *keep*). Articles never change, so it stays valid; an article appears in a dozen listings and
        every build's search update, and the dev server keeps its articles between builds."""
        slot = _DERIVED_SLOTS[kind]
        value = getattr(self, slot)
        if value is None:
            value = make(self)
            if keep:
                object.__setattr__(self, slot, value)
        return value

    def derived_if_made(self, kind: DerivedKind) -> Any:
        """The value of *kind* kept with this article, or None."""
        return getattr(self, _DERIVED_SLOTS[kind])

    @property
    def pictures(self) -> tuple[Picture, ...]:
        """The lead image, then the body's figures."""
        return self.figures if self.image is None else (self.image, *self.figures)

    @property
    def token(self) -> str:
        """What the pages showing this article depend on: its content key and the processed images it
        shows (an image edited beside an unchanged article changes its pages too)."""
        keys = [p.rendition.key for p in self.pictures if p.rendition is not None]
        return f"{self.key}:{','.join(keys)}" if keys else self.key

    @property
    def sort_key(self) -> tuple:
        """Newest first; undated articles after dated ones; ties broken by slug for determinism."""
        if self.date is None:
            return (1, 0.0, self.slug)
        return (0, -self.date.timestamp(), self.slug)


DerivedKind = Literal["teaser", "search_document"]
_DERIVED_SLOTS: dict[str, str] = {"teaser": "_teaser", "search_document": "_search_document"}
_ARTICLE_FIELDS = tuple(f.name for f in fields(Article) if f.init)  # what is pickled, in this order
_article_state = attrgetter(*_ARTICLE_FIELDS)


@dataclass(frozen=True)
class ArticleBody:
    """The rendered HTML of an article body and its table of contents."""

    html: str
    toc_html: str = ""


def share_values(articles: list[Article], known: dict[str, Article]) -> list[Article]:
    """One object for each distinct tag and person mention across *articles* (each unpickled its own
    copies: at 100,000 articles those took a quarter of a gigabyte); *known* ones were done before."""
    shared: dict = {}
    for article in articles:
        if known.get(article.key) is article:
            continue
        tags = tuple([shared.setdefault(tag, tag) for tag in article.tags])
        people = tuple([shared.setdefault(person, person) for person in article.people])
        object.__setattr__(article, "tags", tags)  # equal values: the article is the same
        object.__setattr__(article, "people", people)
    return articles


def iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None
