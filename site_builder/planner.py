"""The page plan: every file the site consists of, as a pure function of the site model.

Each planned page carries the exact data it reads (plain, JSON-serialisable values), so its
fingerprint can be computed without rendering it: a page is re-rendered only when that data, its
templates or the configuration change.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .config import SiteConfig
from .content import Article
from .site import Person, Site, Tag

MONTH_NAMES = list(calendar.month_name)


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, how it is rendered and the data it reads."""

    path: str  # relative to output/, POSIX, e.g. "articles/slug/index.html"
    kind: str  # "html" (a template), "feed", "sitemap" or "text"
    context: dict[str, Any] = field(hash=False)
    template: str | None = None
    body_key: str | None = None  # rendered article body streamed from the cache at render time
    source: str | None = None  # the content file behind the page, for error messages

    @property
    def url(self) -> str:
        return self.path.removesuffix("index.html")


def iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def teaser(article: Article) -> dict[str, Any]:
    """What a listing shows of an article."""
    return {
        "title": article.title,
        "url": article.url,
        "date": iso(article.date),
        "summary": article.summary,
        "tags": [{"name": t.name, "url": f"tags/{t.slug}/"} for t in article.tags],
    }


def article_view(article: Article) -> dict[str, Any]:
    """Everything an article page reads about its article (the body is added at render time)."""
    return {
        **teaser(article),
        "key": article.key,
        "source": article.source,
        "updated": iso(article.updated),
        "summary_derived": article.summary_derived,
        "authors": list(article.authors),
        "people": [
            {
                "name": p.name,
                "slug": p.slug,
                "role": p.role,
                "url": f"people/{p.slug}/",
                "mentions": [list(m) for m in p.mentions],
            }
            for p in article.people
        ],
        "quotes": [{"speaker": q.speaker, "text": q.text} for q in article.quotes],
        "source_url": article.source_url,
        "word_count": article.word_count,
        "extra": article.extra,
    }


def paginate(items: list, size: int) -> list[list]:
    """Split *items* into pages; an empty list still gives one (empty) page."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def _paginated(base: str, template: str, articles: list[Article], size: int, extra: dict) -> Iterator[Page]:
    chunks = paginate(articles, size)
    for number, chunk in enumerate(chunks, start=1):
        pagination = {
            "number": number,
            "pages": len(chunks),
            "total": len(articles),
            "previous": page_url(base, number - 1) if number > 1 else None,
            "next": page_url(base, number + 1) if number < len(chunks) else None,
            "first": base,
        }
        url = page_url(base, number)
        context = {**extra, "articles": [teaser(a) for a in chunk], "pagination": pagination, "page_url": url}
        yield Page(url + "index.html", "html", context, template)


def _feed(base: str, title: str, articles: list[Article], config: SiteConfig) -> Page:
    entries = [
        {**teaser(a), "updated": iso(a.updated or a.date), "authors": list(a.authors)}
        for a in articles[: config.feed_size]
    ]
    return Page(base + "feed.xml", "feed", {"title": title, "url": base, "entries": entries})


def plan_pages(site: Site, config: SiteConfig) -> list[Page]:
    """Every page of the site, in a stable order."""
    pages: list[Page] = []
    pages += _article_pages(site)
    pages += _paginated("", "index.html", site.articles, config.page_size, {"kind": "home"})
    pages.append(_feed("", config.title, site.articles, config))
    pages += _tag_pages(site, config)
    pages += _people_pages(site, config)
    pages += _archive_pages(site, config)
    pages += _alias_pages(site)
    pages.append(Page("404.html", "html", {"kind": "404", "page_url": "404.html"}, "404.html"))
    pages.append(_sitemap(pages, site))
    pages.append(Page("robots.txt", "text", {"text": _robots(config)}))
    return pages


def _article_pages(site: Site) -> Iterator[Page]:
    for article in site.articles:
        previous, following = site.previous.get(article.url), site.following.get(article.url)
        context = {
            "kind": "article",
            "page_url": article.url,
            "article": article_view(article),
            "previous": teaser(previous) if previous else None,
            "next": teaser(following) if following else None,
        }
        yield Page(article.url + "index.html", "html", context, "article.html", article.key, article.source)


def _tag_view(tag: Tag) -> dict[str, Any]:
    return {"name": tag.name, "slug": tag.slug, "url": tag.url, "count": len(tag.articles)}


def _person_view(person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "slug": person.slug,
        "url": person.url,
        "count": len(person.articles),
        "roles": [{"role": role, "since": iso(since)} for role, since in person.roles],
        "bio": person.bio,
    }


def _tag_pages(site: Site, config: SiteConfig) -> Iterator[Page]:
    tags = sorted(site.tags.values(), key=lambda t: (-len(t.articles), t.name.lower()))
    yield Page(
        "tags/index.html",
        "html",
        {"kind": "tags", "page_url": "tags/", "tags": [_tag_view(t) for t in tags]},
        "tags.html",
    )
    for tag in site.tags.values():
        yield from _paginated(
            tag.url, "tag.html", tag.articles, config.page_size, {"kind": "tag", "tag": _tag_view(tag)}
        )
        yield _feed(tag.url, f"{config.title}: {tag.name}", tag.articles, config)


def _people_pages(site: Site, config: SiteConfig) -> Iterator[Page]:
    people = sorted(site.people.values(), key=lambda p: (-len(p.articles), p.name.lower()))
    views = [_person_view(p) for p in people]
    yield Page(
        "people/index.html", "html", {"kind": "people", "page_url": "people/", "people": views}, "people.html"
    )
    for person in site.people.values():
        yield from _paginated(
            person.url,
            "person.html",
            person.articles,
            config.page_size,
            {"kind": "person", "person": _person_view(person)},
        )
        yield _feed(person.url, f"{config.title}: {person.name}", person.articles, config)


def _archive_pages(site: Site, config: SiteConfig) -> Iterator[Page]:
    years = []
    for year in sorted(site.years, reverse=True):
        months = [
            {
                "month": m,
                "name": MONTH_NAMES[m],
                "count": len(site.years[year][m]),
                "url": f"archive/{year:04d}/{m:02d}/",
            }
            for m in sorted(site.years[year], reverse=True)
        ]
        years.append(
            {
                "year": year,
                "url": f"archive/{year:04d}/",
                "months": months,
                "count": sum(m["count"] for m in months),
            }
        )
    undated = {"count": len(site.undated), "url": "archive/undated/"}
    yield Page(
        "archive/index.html",
        "html",
        {"kind": "archive", "page_url": "archive/", "years": years, "undated": undated},
        "archive.html",
    )
    for entry in years:
        year = entry["year"]
        articles = [a for m in sorted(site.years[year], reverse=True) for a in site.years[year][m]]
        context = {
            "kind": "archive-year",
            "year": entry,
            "articles": [teaser(a) for a in articles],
            "page_url": entry["url"],
        }
        yield Page(entry["url"] + "index.html", "html", context, "archive_year.html")
        for month in entry["months"]:
            month_articles = [teaser(a) for a in site.years[year][month["month"]]]
            context = {
                "kind": "archive-month",
                "year": entry,
                "month": month,
                "articles": month_articles,
                "page_url": month["url"],
            }
            yield Page(month["url"] + "index.html", "html", context, "archive_month.html")
    if site.undated:
        yield from _paginated(
            "archive/undated/",
            "archive_undated.html",
            site.undated,
            config.page_size,
            {"kind": "archive-undated"},
        )


def _alias_pages(site: Site) -> Iterator[Page]:
    for article in site.articles:
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


def _sitemap(pages: list[Page], site: Site) -> Page:
    modified = {a.url: iso(a.updated or a.date) for a in site.articles}
    entries = [
        {"url": p.url, "lastmod": modified.get(p.url)}
        for p in pages
        if p.kind == "html" and p.template not in {"404.html", "redirect.html"}
    ]
    return Page("sitemap.xml", "sitemap", {"entries": entries})


def _robots(config: SiteConfig) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute_url('sitemap.xml')}\n"
