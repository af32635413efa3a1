"""The page plan: every file the site consists of, as a pure function of the site model.

Each planned page carries the exact data it reads (plain, JSON-serialisable values), so its
fingerprint can be computed without rendering it: a page is re-rendered only when that data, its
templates or the configuration change.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from site_builder.config import SiteConfig
from site_builder.model.article import Article, iso
from site_builder.model.page import Page
from site_builder.model.site import Person, Site, Tag
from site_builder.plan import newsroom
from site_builder.plan.alternates import alternates
from site_builder.plan.feeds import feed_pages
from site_builder.plan.listing import page_url, paginated  # noqa: F401 (page_url: re-exported)
from site_builder.plan.people_pages import first_page_quotes, people_index_pages, quote_pages
from site_builder.plan.related import RelatedMap, related_articles
from site_builder.plan.views import (
    MONTH_NAMES,
    TOP_COUNT,
    article_view,
    articles_by_day,
    month_key,
    most_mentioned,
    named_counts,
    person_quotes,
    person_view,
    related_tags,
    roles_over_time,
    tag_view,
    teaser,
    timeline,
    year_entry,
)

SEARCH_TAGS = 300  # filter choices offered on /search/ (the most used)
SEARCH_PEOPLE = 500


def plan_pages(site: Site, config: SiteConfig, related: RelatedMap | None = None) -> list[Page]:
    """Every page of the site, in a stable order (*related*: :func:`related_articles`, if computed)."""
    return list(iter_pages(site, config, related))


def iter_pages(
    site: Site, config: SiteConfig, related: RelatedMap | None = None, extra: Iterable[Page] = ()
) -> Iterator[Page]:
    """The pages of :func:`plan_pages`, planned one by one as they are taken: a build fingerprints and
    renders them in batches, so the data of every page of a large archive is never held at once.
    *extra*: pages planned elsewhere (the plugins'), listed in the sitemap like the site's own."""
    related = related_articles(site) if related is None else related
    by_url = {a.url: a for a in (*site.articles, *site.pages)}
    # the sitemap's entries, gathered on the way: the pages' own path strings (kept by the build anyway)
    # and their last changes, in two lists (150,000 tuples and URLs weighed 20 MB at 100,000 articles)
    paths: list[str] = []
    lastmods: list[str | None] = []
    for page in itertools.chain(_site_pages(site, config, related), extra):
        if page.kind == "html" and page.template not in _NOT_IN_SITEMAP:
            paths.append(page.path)
            article = by_url.get(page.url)
            lastmods.append(None if article is None else _lastmod(article))
        yield page
    yield Page("sitemap.xml", "sitemap", {"paths": paths, "lastmod": lastmods})
    yield Page("robots.txt", "text", {"text": _robots(config)})


_NOT_IN_SITEMAP = frozenset({"404.html", "redirect.html"})


def _lastmod(article: Article) -> str | None:
    """When the article last changed, as ISO text (its teaser's date string when not updated)."""
    return iso(article.updated) if article.updated else teaser(article)["date"]


def _site_pages(site: Site, config: SiteConfig, related: RelatedMap) -> Iterator[Page]:
    for article in site.articles:
        yield article_page(site, article, related)
    yield from newsroom.standalone_pages(site)
    yield from paginated(
        "", "index.html", site.articles, config.page_size, {"kind": "home"}, front_context(site)
    )
    yield from feed_pages("", config.title, site.articles, config)
    yield from _tags_index(site)
    descriptions = tag_descriptions(config)
    for tag in site.tags.values():
        yield from tag_pages(site, config, tag, descriptions)
    yield from people_index_pages(site)
    for person in site.people.values():
        yield from person_pages(site, config, person)
    yield from newsroom.section_and_author_pages(site, config)
    yield from archive_pages(site, config)
    yield _search_page(site)
    for article in (*site.articles, *site.pages):
        yield from alias_pages(article)
    yield Page("404.html", "html", {"kind": "404", "page_url": "404.html"}, "404.html")


def article_page(site: Site, article: Article, related: RelatedMap) -> Page:
    previous, following = site.previous.get(article.url), site.following.get(article.url)
    context = {
        "kind": "article",
        "page_url": article.url,
        "article": article_view(article),
        "previous": teaser(previous) if previous else None,
        "next": teaser(following) if following else None,
        "related": [teaser(a) for a in related.get(article.url, [])],
    }
    if article.translation_key:
        context["translations"] = alternates(site, article)
    if article.section is not None or article.authors:
        context.update(newsroom.article_extras(site, article))
    return Page(article.url + "index.html", "html", context, "article.html", article.key, article.source)


def front_context(site: Site) -> dict[str, Any]:
    """The most mentioned people and tags of the archive's last month, shown on the front page."""
    newest = next((a for a in site.articles if a.date), None)  # undated articles come last
    if newest is None:
        return {"trending": None}
    year, month = month_key(newest) or (0, 0)
    recent = site.years[year][month]
    label = {
        "label": f"{MONTH_NAMES[month]} {year}",
        "month": f"{year:04d}-{month:02d}",
        "url": f"archive/{year:04d}/{month:02d}/",
    }
    return {"trending": {**label, **most_mentioned(recent, site)}}


def _tags_index(site: Site) -> list[Page]:
    tags = sorted(site.tags.values(), key=lambda t: (-len(t.articles), t.name.lower()))
    context = {"kind": "tags", "page_url": "tags/", "tags": [tag_view(t) for t in tags]}
    return [Page("tags/index.html", "html", context, "tags.html")]


def tag_descriptions(config: SiteConfig) -> Any:
    return config.extra.get("tag_descriptions", {}) if isinstance(config.extra, dict) else {}


def tag_pages(
    site: Site,
    config: SiteConfig,
    tag: Tag,
    descriptions: Any,
    only: Collection[int] | None = None,
    feed: bool = True,
) -> Iterator[Page]:
    """A tag's listing pages (all, or the numbers in *only*) and its feed."""
    first = None
    if only is None or 1 in only:  # what page 1 shows besides its articles
        first = {
            "description": _description(descriptions, tag),
            "timeline": timeline(tag.articles),
            "related_tags": related_tags(tag, site),
            "top_people": named_counts(
                Counter(p.slug for a in tag.articles for p in a.people), site.people_names, TOP_COUNT
            ),
        }
    extra = {"kind": "tag", "tag": tag_view(tag)}
    yield from paginated(tag.url, "tag.html", tag.articles, config.page_size, extra, first, only)
    if feed:
        yield from feed_pages(tag.url, f"{config.title}: {tag.name}", tag.articles, config)


def _description(descriptions: Any, tag: Tag) -> str | None:
    """An editor's description from site.toml ``[extra.tag_descriptions]``, keyed by name or slug."""
    if not isinstance(descriptions, dict):
        return None
    value = descriptions.get(tag.name, descriptions.get(tag.slug))
    return str(value) if value else None


def person_pages(
    site: Site, config: SiteConfig, person: Person, only: Collection[int] | None = None, feed: bool = True
) -> Iterator[Page]:
    """A person's listing pages (all, or the numbers in *only*), their quotes pages (with page 1: quotes
    are content, an edit re-plans them) and their feed."""
    quotes = person_quotes(person, limit=None)
    first = {
        "roles_over_time": roles_over_time(person),
        "timeline": timeline(person.articles),
        **first_page_quotes(person, quotes),
        "co_mentioned": named_counts(
            Counter(p.slug for a in person.articles for p in a.people if p.slug != person.slug),
            site.people_names,
            TOP_COUNT,
        ),
    }
    extra = {"kind": "person", "person": person_view(person), **newsroom.person_extras(site, person)}
    yield from paginated(person.url, "person.html", person.articles, config.page_size, extra, first, only)
    if only is None or 1 in only:
        yield from quote_pages(person, quotes, config)
    if feed:
        yield from feed_pages(person.url, f"{config.title}: {person.name}", person.articles, config)


def archive_pages(
    site: Site,
    config: SiteConfig,
    months: set[tuple[int, int]] | None = None,
    undated: Collection[int] | None = None,
) -> Iterator[Page]:
    """The archive index, year and month pages; only the year and month pages of *months* and the
    undated listing pages numbered in *undated* when those are given (an incremental plan)."""
    incremental = months is not None
    years = [year_entry(site, year) for year in sorted(site.years, reverse=True)]
    if not incremental:
        undated_entry = {"count": len(site.undated), "url": "archive/undated/"}
        context = {"kind": "archive", "page_url": "archive/", "years": years, "undated": undated_entry}
        yield Page("archive/index.html", "html", context, "archive.html")
    for entry in years:
        year = entry["year"]
        if incremental and not any(y == year for y, _ in months or ()):
            continue
        if not incremental:  # a year page shows only counts: structure, never an article's content
            context = {
                "kind": "archive-year",
                "year": entry,
                "trending": most_mentioned([a for m in site.years[year].values() for a in m], site),
                "page_url": entry["url"],
            }
            yield Page(entry["url"] + "index.html", "html", context, "archive_year.html")
        for month in entry["months"]:
            if incremental and (year, month["month"]) not in (months or ()):
                continue
            month_articles = site.years[year][month["month"]]
            context = {
                "kind": "archive-month",
                "year": entry,
                "month": month,
                "articles": [teaser(a) for a in month_articles],
                "days": articles_by_day(month_articles),
                "page_url": month["url"],
            }
            yield Page(month["url"] + "index.html", "html", context, "archive_month.html")
    if site.undated and (not incremental or undated):
        yield from paginated(
            "archive/undated/",
            "archive_undated.html",
            site.undated,
            config.page_size,
            {"kind": "archive-undated"},
            only=undated if incremental else None,
        )


def _search_page(site: Site) -> Page:
    """The /search/ page; its filter choices are plain HTML so the form reads without JavaScript."""
    years = sorted(site.years, reverse=True)
    tags = sorted(site.tags.values(), key=lambda t: (-len(t.articles), t.name.lower()))[:SEARCH_TAGS]
    people = sorted(site.people.values(), key=lambda p: (-len(p.articles), p.name.lower()))[:SEARCH_PEOPLE]
    context = {
        "kind": "search",
        "page_url": "search/",
        "filters": {
            "years": [{"year": y, "count": sum(len(m) for m in site.years[y].values())} for y in years],
            "tags": sorted(
                ({"name": t.name, "slug": t.slug, "count": len(t.articles)} for t in tags),
                key=lambda t: (t["name"].lower(), t["slug"]),
            ),
            "people": sorted(
                ({"name": p.name, "slug": p.slug, "count": len(p.articles)} for p in people),
                key=lambda p: (p["name"].lower(), p["slug"]),
            ),
        },
    }
    return Page("search/index.html", "html", context, "search.html")


def alias_pages(article: Article) -> Iterator[Page]:
    for alias in article.aliases:
        path = alias.strip("/")
        if not path or ".." in path.split("/"):
            continue
        target = path if path.endswith(".html") else path + "/index.html"
        context = {
            "kind": "redirect",
            "page_url": article.url,
            "target": article.url,
            "title": article.title,
        }
        yield Page(target, "html", context, "redirect.html", source=article.source)


def _robots(config: SiteConfig) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute_url('sitemap.xml')}\n"
