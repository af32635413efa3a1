"""The page plan: every file the site consists of, as a pure function of the site model.

Each planned page carries the exact data it reads (plain, JSON-serialisable values), so its
fingerprint can be computed without rendering it: a page is re-rendered only when that data, its
templates or the configuration change.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from site_builder.config import SiteConfig
from site_builder.model.article import Article, Named
from site_builder.model.site import Person, Site, Tag
from site_builder.model.slugs import slugify
from site_builder.plan.alternates import alternates

MONTH_NAMES = list(calendar.month_name)
RELATED_COUNT = 5  # related articles under an article
NEIGHBOURS = 60  # in a large group, only the articles nearest in time are related candidates
TOP_COUNT = 10  # most-mentioned people and tags on the front page, co-mentioned people, related tags
QUOTES_COUNT = 30  # quotes on a person page
SEARCH_TAGS = 300  # filter choices offered on /search/ (the most used)
SEARCH_PEOPLE = 500


RelatedMap = dict[str, list[Article]]  # article URL -> its related articles, best first


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
    """What a listing shows of an article.

    An article appears in a dozen listings (front page, tags, people, archives, feeds, related), so
    its teaser is built once and kept on the (immutable) article; callers never mutate it.
    """
    cached = article._teaser
    if cached is None:
        cached = {
            "title": article.title,
            "url": article.url,
            "date": iso(article.date),
            "summary": article.summary,
            "tags": [_tag_link(t) for t in article.tags],
        }
        if article.language:  # in a listing of another language, its title is marked with its own
            cached["language"] = article.language
        object.__setattr__(article, "_teaser", cached)
    return cached


@functools.cache  # one dict per tag, shared by every teaser (never mutated); a few thousand tags
def _tag_link(tag: Named) -> dict[str, str]:
    return {"name": tag.name, "url": f"tags/{tag.slug}/"}


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


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def _paginated(
    base: str,
    template: str,
    articles: list[Article],
    size: int,
    extra: dict,
    first: dict | None = None,
    only: Collection[int] | None = None,
) -> Iterator[Page]:
    """Numbered listing pages; *first* holds what only page 1 shows (kept out of the other pages' data).

    *only* limits the output to those page numbers (an incremental plan).
    """
    count = max(1, -(-len(articles) // size))  # an empty list still gives one (empty) page
    for number in range(1, count + 1) if only is None else sorted(n for n in only if 1 <= n <= count):
        chunk = articles[(number - 1) * size : number * size]
        pagination = {
            "number": number,
            "pages": count,
            "total": len(articles),
            "previous": page_url(base, number - 1) if number > 1 else None,
            "next": page_url(base, number + 1) if number < count else None,
            "first": base,
        }
        url = page_url(base, number)
        context = {**extra, "articles": [teaser(a) for a in chunk], "pagination": pagination, "page_url": url}
        if number == 1 and first:
            context.update(first)
        yield Page(url + "index.html", "html", context, template)


def _feed(base: str, title: str, articles: list[Article], config: SiteConfig) -> Page:
    entries = [
        {**teaser(a), "updated": iso(a.updated or a.date), "authors": list(a.authors)}
        for a in articles[: config.feed_size]
    ]
    return Page(base + "feed.xml", "feed", {"title": title, "url": base, "entries": entries})


def plan_pages(site: Site, config: SiteConfig, related: RelatedMap | None = None) -> list[Page]:
    """Every page of the site, in a stable order (*related*: :func:`related_articles`, if computed)."""
    return list(iter_pages(site, config, related))


def iter_pages(site: Site, config: SiteConfig, related: RelatedMap | None = None) -> Iterator[Page]:
    """The pages of :func:`plan_pages`, planned one by one as they are taken: a build fingerprints and
    renders them in batches, so the data of every page of a large archive is never held at once."""
    related = related_articles(site) if related is None else related
    by_url = {a.url: a for a in site.articles}
    # the sitemap's entries, gathered on the way: the pages' own path strings (kept by the build anyway)
    # and their last changes, in two lists (150,000 tuples and URLs weighed 20 MB at 100,000 articles)
    paths: list[str] = []
    lastmods: list[str | None] = []
    for page in _site_pages(site, config, related):
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
        yield _article_page(site, article, related)
    yield from _paginated("", "index.html", site.articles, config.page_size, {"kind": "home"}, _front(site))
    yield _feed("", config.title, site.articles, config)
    yield from _tags_index(site)
    descriptions = _tag_descriptions(config)
    for tag in site.tags.values():
        yield from _tag_unit(site, config, tag, descriptions)
    yield from _people_index(site)
    for person in site.people.values():
        yield from _person_unit(site, config, person)
    yield from _archive_pages(site, config)
    yield _search_page(site)
    for article in site.articles:
        yield from _alias_pages(article)
    yield Page("404.html", "html", {"kind": "404", "page_url": "404.html"}, "404.html")


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
    pages = [_article_page(site, by_url[url], related) for url in sorted(wanted, key=at.__getitem__)]
    articles = [by_url[url] for url in sorted(changed, key=at.__getitem__)]
    numbers = {at[url] // config.page_size + 1 for url in changed}
    pages += _paginated(
        "", "index.html", site.articles, config.page_size, {"kind": "home"}, _front(site), numbers
    )
    if any(at[url] < config.feed_size for url in changed):
        pages.append(_feed("", config.title, site.articles, config))
    descriptions = _tag_descriptions(config)
    for slug in sorted({t.slug for a in articles for t in a.tags}):
        tag = site.tags[slug]
        numbers = _page_numbers(tag.articles, changed, config.page_size)  # page 1's extras are structural
        pages += _tag_unit(site, config, tag, descriptions, numbers, _in_feed(tag.articles, changed, config))
    for slug in sorted({p.slug for a in articles for p in a.people}):
        person = site.people[slug]
        numbers = _page_numbers(person.articles, changed, config.page_size) | {1}
        pages += _person_unit(site, config, person, numbers, _in_feed(person.articles, changed, config))
    months = {(a.date.year, a.date.month) for a in articles if a.date}
    pages += _archive_pages(site, config, months, _page_numbers(site.undated, changed, config.page_size))
    for article in articles:
        pages += _alias_pages(article)
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


def structure_of(article: Article) -> tuple:
    """What other pages read of an article besides its content: position, groups, names and roles.

    Two builds whose published articles have equal structures (in order) differ only inside the
    pages that show the changed articles; see :func:`plan_affected`.
    """
    return (
        article.url,
        iso(article.date),
        iso(article.updated),
        tuple((t.slug, t.name) for t in article.tags),
        tuple((p.slug, p.name, p.role) for p in article.people),
        article.aliases,
        article.language,  # other pages' links to its translations, and its title's lang in listings
        article.translation_key,
    )


def _article_page(site: Site, article: Article, related: RelatedMap) -> Page:
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
    return Page(article.url + "index.html", "html", context, "article.html", article.key, article.source)


def _groups_of(article: Article, site: Site) -> list[list[Article]]:
    """The tag and person groups an article belongs to (each newest first)."""
    groups = [site.tags[t.slug].articles for t in article.tags if t.slug in site.tags]
    groups += [site.people[p.slug].articles for p in article.people if p.slug in site.people]
    return groups


def related_articles(site: Site, count: int = RELATED_COUNT) -> RelatedMap:
    """For each article, the articles sharing most of its people and tags, rarer ones weighing more.

    A shared group of *df* articles adds log(1 + N/df): sharing a rarely mentioned person says more
    than sharing a section tag. Ties go to the newer article. In large groups only the NEIGHBOURS
    articles on either side in time are candidates, which keeps this linear in the archive size.
    """
    articles = site.articles
    total = max(len(articles), 1)
    order = {a.url: i for i, a in enumerate(articles)}  # newest first: an article is its number here
    # each group as its members' numbers, where each number is in it, and its weight (made once)
    groups: dict[int, tuple[list[int], dict[int, int], float]] = {}
    related: dict[str, list[Article]] = {}
    for number, article in enumerate(articles):
        scores: dict[int, float] = {}
        get = scores.get
        for group in _groups_of(article, site):
            entry = groups.get(id(group))
            if entry is None:
                members = [order[a.url] for a in group]
                where = {member: place for place, member in enumerate(members)}
                entry = groups[id(group)] = (members, where, math.log(1 + total / len(group)))
            members, where, weight = entry
            here = where[number]
            for other in members[max(0, here - NEIGHBOURS) : here + NEIGHBOURS + 1]:
                scores[other] = get(other, 0.0) + weight  # groups in the same order: the same sums
        scores.pop(number, None)
        best = heapq.nsmallest(count, [(-score, other) for other, score in scores.items()])
        related[article.url] = [articles[other] for _, other in best]
    return related


def _month_key(article: Article) -> tuple[int, int] | None:
    return (article.date.year, article.date.month) if article.date else None


def timeline(articles: list[Article]) -> dict[str, Any] | None:
    """Articles per month from the first month to the last, gaps included, for the inline bar chart."""
    counts = Counter(key for a in articles if (key := _month_key(a)))
    if not counts:
        return None
    (year, month), last = min(counts), max(counts)
    months = []
    while (year, month) <= last:
        months.append(
            {
                "label": f"{MONTH_NAMES[month]} {year}",
                "month": f"{year:04d}-{month:02d}",  # for templates that name months in their language
                "count": counts.get((year, month), 0),
                "url": f"archive/{year:04d}/{month:02d}/",
            }
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return {
        "months": months,
        "max": max(counts.values()),
        "first": months[0]["label"],
        "last": months[-1]["label"],
    }


def _named_counts(counter: Counter, names: dict[str, tuple[str, str]], limit: int) -> list[dict[str, Any]]:
    """The *limit* most frequent slugs of *counter* as {name, url, count}, ties by name."""
    ranked = sorted(counter.items(), key=lambda item: (-item[1], names[item[0]][0].lower(), item[0]))
    return [{"name": names[s][0], "url": names[s][1], "count": n} for s, n in ranked[:limit]]


def _most_mentioned(articles: list[Article], site: Site) -> dict[str, Any]:
    """The people and tags most often on *articles*, as {name, url, count}."""
    people = Counter(p.slug for a in articles for p in a.people)
    tags = Counter(t.slug for a in articles for t in a.tags)
    return {
        "people": _named_counts(people, site.people_names, TOP_COUNT),
        "tags": _named_counts(tags, site.tag_names, TOP_COUNT),
    }


def _front(site: Site) -> dict[str, Any]:
    """The most mentioned people and tags of the archive's last month, shown on the front page."""
    newest = next((a for a in site.articles if a.date), None)  # undated articles come last
    if newest is None:
        return {"trending": None}
    year, month = _month_key(newest) or (0, 0)
    recent = site.years[year][month]
    label = {
        "label": f"{MONTH_NAMES[month]} {year}",
        "month": f"{year:04d}-{month:02d}",
        "url": f"archive/{year:04d}/{month:02d}/",
    }
    return {"trending": {**label, **_most_mentioned(recent, site)}}


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


def _tags_index(site: Site) -> list[Page]:
    tags = sorted(site.tags.values(), key=lambda t: (-len(t.articles), t.name.lower()))
    context = {"kind": "tags", "page_url": "tags/", "tags": [_tag_view(t) for t in tags]}
    return [Page("tags/index.html", "html", context, "tags.html")]


def _tag_descriptions(config: SiteConfig) -> Any:
    return config.extra.get("tag_descriptions", {}) if isinstance(config.extra, dict) else {}


def _tag_unit(
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
            "related_tags": _related_tags(tag, site),
            "top_people": _named_counts(
                Counter(p.slug for a in tag.articles for p in a.people), site.people_names, TOP_COUNT
            ),
        }
    extra = {"kind": "tag", "tag": _tag_view(tag)}
    yield from _paginated(tag.url, "tag.html", tag.articles, config.page_size, extra, first, only)
    if feed:
        yield _feed(tag.url, f"{config.title}: {tag.name}", tag.articles, config)


def _description(descriptions: Any, tag: Tag) -> str | None:
    """An editor's description from site.toml ``[extra.tag_descriptions]``, keyed by name or slug."""
    if not isinstance(descriptions, dict):
        return None
    value = descriptions.get(tag.name, descriptions.get(tag.slug))
    return str(value) if value else None


def _related_tags(tag: Tag, site: Site) -> list[dict[str, Any]]:
    """Tags that share articles with *tag*, scored by shared articles times the other tag's rarity."""
    total = max(len(site.articles), 1)
    shared = Counter(
        t.slug for a in tag.articles for t in a.tags if t.slug != tag.slug and t.slug in site.tags
    )
    scored = {s: n * math.log(1 + total / len(site.tags[s].articles)) for s, n in shared.items()}
    ranked = sorted(scored, key=lambda s: (-round(scored[s], 9), site.tags[s].name.lower(), s))[:TOP_COUNT]
    return [{**_tag_view(site.tags[s]), "shared": shared[s]} for s in ranked]


def _people_index(site: Site) -> list[Page]:
    people = sorted(site.people.values(), key=lambda p: (-len(p.articles), p.name.lower()))
    views = [_person_view(p) for p in people]
    context = {"kind": "people", "page_url": "people/", "people": views, "letters": _a_to_z(people)}
    return [Page("people/index.html", "html", context, "people.html")]


def _person_unit(
    site: Site, config: SiteConfig, person: Person, only: Collection[int] | None = None, feed: bool = True
) -> Iterator[Page]:
    """A person's listing pages (all, or the numbers in *only*) and their feed."""
    first = {
        "roles_over_time": _roles_over_time(person),
        "timeline": timeline(person.articles),
        "quotes": person_quotes(person),
        "co_mentioned": _named_counts(
            Counter(p.slug for a in person.articles for p in a.people if p.slug != person.slug),
            site.people_names,
            TOP_COUNT,
        ),
    }
    extra = {"kind": "person", "person": _person_view(person)}
    yield from _paginated(person.url, "person.html", person.articles, config.page_size, extra, first, only)
    if feed:
        yield _feed(person.url, f"{config.title}: {person.name}", person.articles, config)


def _sort_name(name: str) -> str:
    """Index people by family name, as printed indexes do ("Putin, Vladimir")."""
    parts = name.split()
    return slugify(" ".join(parts[-1:] + parts[:-1]))


def _a_to_z(people: list[Person]) -> list[dict[str, Any]]:
    letters: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        key = _sort_name(person.name)
        initial = key[0].upper() if key[:1].isalpha() else "#"
        letters[initial].append(person)
    return [
        {
            "letter": letter,
            "id": "letter-" + (letter.lower() if letter != "#" else "other"),
            "people": [
                {"name": p.name, "url": p.url, "count": len(p.articles)}
                for p in sorted(letters[letter], key=lambda p: (_sort_name(p.name), p.slug))
            ],
        }
        for letter in sorted(letters, key=lambda x: (x == "#", x))
    ]


def _roles_over_time(person: Person) -> list[dict[str, Any]]:
    """Each role the articles give the person, with the first and last date it was given."""
    seen: dict[str, list[dt.datetime | None]] = {}
    for article in person.articles:
        for mention in article.people:
            if mention.slug != person.slug or not mention.role:
                continue
            span = seen.setdefault(mention.role, [None, None])
            if article.date:
                span[0] = min(span[0] or article.date, article.date)
                span[1] = max(span[1] or article.date, article.date)
    ordered = sorted(seen.items(), key=lambda item: (item[1][0] is None, iso(item[1][0]) or "", item[0]))
    return [{"role": role, "since": iso(first), "until": iso(last)} for role, (first, last) in ordered]


def _speaker_matches(speaker: str, person: Person, article: Article) -> bool:
    """Is *speaker* (as the quote gives it) this person? Full name, or a family name only they carry here."""
    said = slugify(speaker)
    if said == person.slug:
        return True
    family = person.slug.rsplit("-", 1)[-1]
    if said != family and not said.endswith("-" + family):
        return False
    return [p.slug.rsplit("-", 1)[-1] for p in article.people].count(family) == 1


def person_quotes(person: Person, limit: int = QUOTES_COUNT) -> list[dict[str, Any]]:
    """The person's quotes across the archive, newest first, each with its article."""
    quotes = []
    for article in person.articles:
        for quote in article.quotes:
            if quote.speaker and _speaker_matches(quote.speaker, person, article):
                quotes.append(
                    {
                        "text": quote.text,
                        "url": article.url,
                        "title": article.title,
                        "date": iso(article.date),
                    }
                )
                if len(quotes) == limit:
                    return quotes
    return quotes


def _archive_pages(
    site: Site,
    config: SiteConfig,
    months: set[tuple[int, int]] | None = None,
    undated: Collection[int] | None = None,
) -> Iterator[Page]:
    """The archive index, year and month pages; only the year and month pages of *months* and the
    undated listing pages numbered in *undated* when those are given (an incremental plan)."""
    incremental = months is not None
    years = [_year_entry(site, year) for year in sorted(site.years, reverse=True)]
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
                "trending": _most_mentioned([a for m in site.years[year].values() for a in m], site),
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
                "days": _by_day(month_articles),
                "page_url": month["url"],
            }
            yield Page(month["url"] + "index.html", "html", context, "archive_month.html")
    if site.undated and (not incremental or undated):
        yield from _paginated(
            "archive/undated/",
            "archive_undated.html",
            site.undated,
            config.page_size,
            {"kind": "archive-undated"},
            only=undated if incremental else None,
        )


def _year_entry(site: Site, year: int) -> dict[str, Any]:
    months = [
        {
            "month": m,
            "name": MONTH_NAMES[m],
            "count": len(site.years[year][m]),
            "url": f"archive/{year:04d}/{m:02d}/",
        }
        for m in sorted(site.years[year], reverse=True)
    ]
    return {
        "year": year,
        "url": f"archive/{year:04d}/",
        "months": months,
        "count": sum(m["count"] for m in months),
    }


def _by_day(articles: list[Article]) -> list[dict[str, Any]]:
    """A month's articles grouped by day, newest day first (articles keep their order)."""
    days: dict[dt.date, list[Article]] = {}
    for article in articles:
        assert article.date is not None
        days.setdefault(article.date.date(), []).append(article)
    return [
        {
            "date": day.isoformat(),
            "label": f"{day:%A} {day.day} {day:%B %Y}",
            "id": f"day-{day.day:02d}",
            "articles": [teaser(a) for a in members],  # the article's kept teaser: pickled once
        }
        for day, members in sorted(days.items(), reverse=True)
    ]


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


def _alias_pages(article: Article) -> Iterator[Page]:
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
