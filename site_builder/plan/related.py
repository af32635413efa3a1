"""Related articles: for each article, the others sharing most of its tags and people, nearest in time."""

from __future__ import annotations

import heapq
import math

from site_builder.model.article import Article
from site_builder.model.site import Site

RELATED_COUNT = 5  # related articles under an article


NEIGHBOURS = 60  # in a large group, only the articles nearest in time are related candidates


RelatedMap = dict[str, list[Article]]  # article URL -> its related articles, best first


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
