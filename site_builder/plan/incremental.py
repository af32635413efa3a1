"""Incremental planning: which pages an edit affects, and what a plan remembers for the next one.

A page is a pure function of its planned data, so an edit that keeps the site's structure (see
:func:`site_builder.model.site.structure_of`) needs only the pages that show the edited articles:
the article itself, its neighbours, the listing pages and feeds it appears on, the pages of its tags
and people, and those whose related-articles lists name it.
"""

from __future__ import annotations

import hashlib
import marshal
from collections import defaultdict
from dataclasses import dataclass

from site_builder.config import SiteConfig
from site_builder.model.article import Article
from site_builder.model.page import Page
from site_builder.model.site import Site, structure_of
from site_builder.plan.authors import author_pages
from site_builder.plan.feeds import feed_pages
from site_builder.plan.pages import (
    alias_pages,
    archive_pages,
    article_page,
    front_context,
    paginated,
    person_pages,
    tag_descriptions,
    tag_pages,
)
from site_builder.plan.sections import section_pages


def structure_digest(site: Site) -> str:
    """One hash of every published article's structure, in order (marshal: plain tuples, fast)."""
    structure = [structure_of(a) for a in site.articles]
    if site.pages:  # pages are few and planned whole: any change of one re-plans the site
        structure.append(
            tuple(
                (page.url, page.token, page.aliases, page.extra.get("search") is True) for page in site.pages
            )
        )
    return hashlib.sha256(marshal.dumps(structure)).hexdigest()


def plan_affected(
    site: Site,
    config: SiteConfig,
    changed: set[str],
    related_urls: dict[str, list[str]],
    index: SiteIndex | None = None,
) -> list[Page]:
    """The pages that show any of the *changed* articles (by URL), given an unchanged site structure.

    "Structure" is everything but the articles' own content: which articles are published, their URLs,
    dates, tags, people, roles and aliases (see :func:`structure_of`). When only content changed, every
    other page of the last build reads exactly the same data, so an edit re-plans a few dozen pages
    instead of the whole archive. Listings that count or order articles are structural and not
    included; the caller falls back to :func:`plan_pages` whenever the structure changed. A
    long-running caller passes the *index* it keeps for this site and related map (lookups by URL
    instead of scans of the archive).
    """
    index = index or SiteIndex(site, related_urls)
    wanted = set(changed)
    for url in changed:
        for neighbour in (site.previous.get(url), site.following.get(url)):
            if neighbour is not None:
                wanted.add(neighbour.url)
        wanted.update(index.listed_by.get(url, ()))
    at = index.positions
    by_url = {url: site.articles[at[url]] for url in wanted}
    related = {url: [site.articles[at[u]] for u in related_urls.get(url, ())] for url in wanted}
    pages = [article_page(site, by_url[url], related) for url in sorted(wanted, key=at.__getitem__)]
    articles = [by_url[url] for url in sorted(changed, key=at.__getitem__)]
    numbers = {at[url] // config.page_size + 1 for url in changed}
    pages += paginated(
        "", "index.html", site.articles, config.page_size, {"kind": "home"}, front_context(site), numbers
    )
    if any(at[url] < config.feed_size for url in changed):
        pages += feed_pages("", config.title, site.articles, config)
    descriptions = tag_descriptions(config)
    for slug in sorted({t.slug for a in articles for t in a.tags}):
        tag = site.tags[slug]
        numbers = _page_numbers(tag.articles, changed, config.page_size)  # page 1's extras are structural
        pages += tag_pages(site, config, tag, descriptions, numbers, _in_feed(tag.articles, changed, config))
    for slug in sorted({p.slug for a in articles for p in a.people}):
        person = site.people[slug]
        numbers = _page_numbers(person.articles, changed, config.page_size) | {1}
        pages += person_pages(site, config, person, numbers, _in_feed(person.articles, changed, config))
    pages += _newsroom_affected(site, config, articles, changed)
    months = {(a.date.year, a.date.month) for a in articles if a.date}
    pages += archive_pages(site, config, months, _page_numbers(site.undated, changed, config.page_size))
    for article in articles:
        pages += alias_pages(article)
    return pages


def _newsroom_affected(
    site: Site, config: SiteConfig, articles: list[Article], changed: set[str]
) -> list[Page]:
    """The section and author listing pages (and feeds) showing the changed articles."""
    pages: list[Page] = []
    for slug in sorted({a.section.slug for a in articles if a.section is not None}):
        section = site.sections[slug]
        numbers = _page_numbers(section.articles, changed, config.page_size)
        pages += section_pages(config, section, numbers, _in_feed(section.articles, changed, config))
    slugs = {site.author_slugs.get(byline) for a in articles for byline in a.authors}
    for slug in sorted(s for s in slugs if s in site.authors):
        author = site.authors[slug]
        numbers = _page_numbers(author.articles, changed, config.page_size)
        pages += author_pages(site, config, author, numbers, _in_feed(author.articles, changed, config))
    return pages


class SiteIndex:
    """Lookups :func:`plan_affected` needs, valid while the site's structure and related map are: each
    article's position (newest first) and the articles listing it as related. Made in one pass over
    the archive, so the dev server keeps one between rebuilds that leave the structure as it was."""

    def __init__(self, site: Site, related_urls: dict[str, list[str]]) -> None:
        self.site, self.related = site, related_urls
        self.positions = {a.url: number for number, a in enumerate(site.articles)}
        listed_by: dict[str, list[str]] = defaultdict(list)
        for url, others in related_urls.items():
            for other in others:
                listed_by[other].append(url)
        self.listed_by = dict(listed_by)

    def fits(self, site: Site, related_urls: dict[str, list[str]]) -> bool:
        return self.site is site and self.related is related_urls


def _page_numbers(articles: list[Article], changed: set[str], size: int) -> set[int]:
    """The listing page numbers on which any of the *changed* articles appear."""
    return {index // size + 1 for index, a in enumerate(articles) if a.url in changed}


def _in_feed(articles: list[Article], changed: set[str], config: SiteConfig) -> bool:
    return any(a.url in changed for a in articles[: config.feed_size])


@dataclass(frozen=True)
class PlanState:
    """What the last committed build planned from, so that the next one can plan only what changed.

    *settings*: digest of everything every page reads (versions, configuration, templates, people.toml,
    build flags); *structure*: digest of the published articles' structure in order
    (:func:`site_builder.planner.structure_of`); *tokens*: article URL -> content key; *related*: article
    URL -> URLs of its related articles (a function of the structure, so still valid while it is).
    """

    settings: str
    structure: str
    tokens: dict[str, str]
    related: dict[str, list[str]]
