"""What pages show of the site model: teasers, article views, timelines, people and tag summaries.

Pure functions of the model; the page planner (:mod:`site_builder.plan.pages`) assembles them into page
contexts. Whatever they return is shared between pages and never mutated.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
from collections import Counter, defaultdict
from typing import Any

from site_builder.model.article import Article, Named, iso
from site_builder.model.site import Person, Site, Tag
from site_builder.model.slugs import slugify
from site_builder.plan.images import figures_view, picture_view

MONTH_NAMES = list(calendar.month_name)


TOP_COUNT = 10  # most-mentioned people and tags on the front page, co-mentioned people, related tags


QUOTES_COUNT = 30  # quotes on a person page
# tags a listing shows of one article: each of its tags' pages lists it, so showing them all would cost
# the square of the tags (an article with 2,000 tags made 2,000 pages of 2,000 links each)
TEASER_TAGS = 10


def teaser(article: Article) -> dict[str, Any]:
    """What a listing shows of an article.

    An article appears in a dozen listings (front page, tags, people, archives, feeds, related), so
    its teaser is built once and kept on the (immutable) article; callers never mutate it.
    """
    return article.derived("teaser", _make_teaser)


def _make_teaser(article: Article) -> dict[str, Any]:
    teaser = {
        "title": article.title,
        "url": article.url,
        "date": iso(article.date),
        "summary": article.summary,
        "tags": [_tag_link(t) for t in article.tags[:TEASER_TAGS]],
    }
    if article.image is not None:  # the thumbnail of listings and the feeds' enclosure
        teaser["image"] = picture_view(article.image)
    if article.language:  # in a listing of another language, its title is marked with its own
        teaser["language"] = article.language
    if article.summary_html:  # inline Markdown (emphasis, links); else the text, escaped
        teaser["summary_html"] = article.summary_html
    return teaser


@functools.cache  # one dict per tag, shared by every teaser (never mutated); a few thousand tags
def _tag_link(tag: Named) -> dict[str, str]:
    return {"name": tag.name, "url": f"tags/{tag.slug}/"}


def article_view(article: Article) -> dict[str, Any]:
    """Everything an article page reads about its article (the body is added at render time)."""
    return {
        **teaser(article),
        "tags": [_tag_link(t) for t in article.tags],  # its own page shows them all
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
        **_images(article),
    }


def _images(article: Article) -> dict[str, Any]:
    """The lead image with its social crops and the body's images (keys absent without images)."""
    shown: dict[str, Any] = {}
    if article.image is not None:
        shown["image"] = picture_view(article.image, social=True)
    if article.figures:
        shown["figures"] = figures_view(article.figures)
    return shown


def month_key(article: Article) -> tuple[int, int] | None:
    return (article.date.year, article.date.month) if article.date else None


def timeline(articles: list[Article]) -> dict[str, Any] | None:
    """Articles per month from the first month to the last, gaps included, for the inline bar chart."""
    counts = Counter(key for a in articles if (key := month_key(a)))
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


def named_counts(counter: Counter, names: dict[str, tuple[str, str]], limit: int) -> list[dict[str, Any]]:
    """The *limit* most frequent slugs of *counter* as {name, url, count}, ties by name."""
    ranked = sorted(counter.items(), key=lambda item: (-item[1], names[item[0]][0].lower(), item[0]))
    return [{"name": names[s][0], "url": names[s][1], "count": n} for s, n in ranked[:limit]]


def most_mentioned(articles: list[Article], site: Site) -> dict[str, Any]:
    """The people and tags most often on *articles*, as {name, url, count}."""
    people = Counter(p.slug for a in articles for p in a.people)
    tags = Counter(t.slug for a in articles for t in a.tags)
    return {
        "people": named_counts(people, site.people_names, TOP_COUNT),
        "tags": named_counts(tags, site.tag_names, TOP_COUNT),
    }


def tag_view(tag: Tag) -> dict[str, Any]:
    return {"name": tag.name, "slug": tag.slug, "url": tag.url, "count": len(tag.articles)}


def person_view(person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "slug": person.slug,
        "url": person.url,
        "count": len(person.articles),
        "roles": [{"role": role, "since": iso(since)} for role, since in person.roles],
        "bio": person.bio,
    }


def related_tags(tag: Tag, site: Site) -> list[dict[str, Any]]:
    """Tags that share articles with *tag*, scored by shared articles times the other tag's rarity."""
    total = max(len(site.articles), 1)
    shared = Counter(
        t.slug for a in tag.articles for t in a.tags if t.slug != tag.slug and t.slug in site.tags
    )
    scored = {s: n * math.log(1 + total / len(site.tags[s].articles)) for s, n in shared.items()}
    ranked = sorted(scored, key=lambda s: (-round(scored[s], 9), site.tags[s].name.lower(), s))[:TOP_COUNT]
    return [{**tag_view(site.tags[s]), "shared": shared[s]} for s in ranked]


def _sort_name(name: str) -> str:
    """Index people by family name, as printed indexes do ("Putin, Vladimir")."""
    parts = name.split()
    return slugify(" ".join(parts[-1:] + parts[:-1]))


def people_a_to_z(people: list[Person]) -> list[dict[str, Any]]:
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


def roles_over_time(person: Person) -> list[dict[str, Any]]:
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


def person_quotes(person: Person, limit: int | None = QUOTES_COUNT) -> list[dict[str, Any]]:
    """The person's quotes across the archive, newest first, each with its article (*limit*: at most)."""
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


def year_entry(site: Site, year: int) -> dict[str, Any]:
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


def articles_by_day(articles: list[Article]) -> list[dict[str, Any]]:
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
