"""Author pages: ``/authors/`` (every byline) and ``/authors/<slug>/`` (bio, photo, links, the author's
articles paginated, with feeds); bylines on article pages link to them."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from site_builder.config import SiteConfig
from site_builder.model.article import Article
from site_builder.model.authors import Author
from site_builder.model.page import Page
from site_builder.model.site import Site
from site_builder.plan.feeds import feed_pages
from site_builder.plan.listing import paginated


def author_view(author: Author, site: Site) -> dict[str, Any]:
    """What listings and the author's own page show of an author."""
    view: dict[str, Any] = {
        "name": author.name,
        "slug": author.slug,
        "url": author.url,
        "count": len(author.articles),
    }
    entry = author.entry
    if entry is not None:
        view["bio"] = entry.bio
        view["photo"] = entry.photo
        view["links"] = [{"label": label, "url": url} for label, url in entry.links]
        person = site.people.get(entry.person) if entry.person else None
        if person is not None:  # one entity: the person page links back (see person_author)
            view["person"] = {"name": person.name, "url": person.url, "count": len(person.articles)}
    return view


def authors_index(site: Site) -> list[Page]:
    """Every author, most articles first (none when no article has a byline)."""
    if not site.authors:
        return []
    ordered = sorted(site.authors.values(), key=lambda a: (-len(a.articles), a.name.lower(), a.slug))
    views = [author_view(a, site) for a in ordered]
    return [
        Page(
            "authors/index.html",
            "html",
            {"kind": "authors", "page_url": "authors/", "authors": views},
            "authors.html",
        )
    ]


def author_pages(
    site: Site, config: SiteConfig, author: Author, only: Collection[int] | None = None, feed: bool = True
) -> Iterator[Page]:
    """An author's listing pages (all, or the numbers in *only*) and feeds."""
    extra = {"kind": "author", "author": author_view(author, site)}
    yield from paginated(author.url, "author.html", author.articles, config.page_size, extra, only=only)
    if feed:
        yield from feed_pages(author.url, f"{config.title}: {author.name}", author.articles, config)


def all_author_pages(site: Site, config: SiteConfig) -> Iterator[Page]:
    yield from authors_index(site)
    for author in site.authors.values():
        yield from author_pages(site, config, author)


def bylines(site: Site, article: Article) -> list[dict[str, str]]:
    """An article's bylines as written, each with its author page."""
    result = []
    for byline in article.authors:
        slug = site.author_slugs.get(byline)
        result.append(
            {"name": byline, "url": site.authors[slug].url} if slug in site.authors else {"name": byline}
        )
    return result


def person_author(site: Site, slug: str) -> dict[str, str] | None:
    """The author page of a person whom authors.toml names as an author (``person = "slug"``)."""
    author = _authors_by_person(site).get(slug)
    return {"name": author.name, "url": author.url} if author is not None else None


def _authors_by_person(site: Site) -> dict[str, Author]:
    """Person slug -> the author authors.toml says they are; made once per site model (every person
    page asks)."""
    made = _BY_PERSON.get(id(site))
    if made is None or made[0] is not site:
        linked = {a.entry.person: a for a in site.authors.values() if a.entry is not None and a.entry.person}
        made = _BY_PERSON[id(site)] = (site, linked)
        for key in [k for k, v in _BY_PERSON.items() if v[0] is not site]:
            del _BY_PERSON[key]  # one site model at a time
    return made[1]


_BY_PERSON: dict[int, tuple[Site, dict[str, Author]]] = {}
