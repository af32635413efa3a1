"""The site model: articles grouped into tags, people and date archives.

A pure function of the published articles, the configuration and the editor's people corrections; the
page plan is computed from it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from site_builder.errors import SiteError
from site_builder.model.article import Article, Named, PersonMention, iso
from site_builder.model.authors import Author, AuthorDirectory, group_authors
from site_builder.model.people import PeopleDirectory
from site_builder.model.sections import Section, group_sections
from site_builder.model.slugs import slugify

# name -> canonical name, or None when the editor says it is not a person
Canonicaliser = Callable[[str], "str | None"]


@dataclass
class Tag:
    name: str
    slug: str
    articles: list[Article] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"tags/{self.slug}/"


@dataclass
class Person:
    name: str
    slug: str
    articles: list[Article] = field(default_factory=list)
    roles: list[tuple[str, dt.datetime | None]] = field(default_factory=list)
    bio: str | None = None

    @property
    def url(self) -> str:
        return f"people/{self.slug}/"


@dataclass
class Site:
    articles: list[Article]  # newest first, undated last
    tags: dict[str, Tag]
    people: dict[str, Person]
    years: dict[int, dict[int, list[Article]]]  # year -> month -> articles, newest first
    undated: list[Article]
    previous: dict[str, Article]  # article url -> the article published just before it
    following: dict[str, Article]
    pages: list[Article] = field(default_factory=list)  # kind "page": at /<slug>/, in no listing
    sections: dict[str, Section] = field(default_factory=dict)
    authors: dict[str, Author] = field(default_factory=dict)
    author_slugs: dict[str, str] = field(default_factory=dict)  # byline as written -> author slug

    @functools.cached_property
    def people_names(self) -> dict[str, tuple[str, str]]:
        """slug -> (display name, URL), for listings that count people."""
        return {slug: (p.name, p.url) for slug, p in self.people.items()}

    @property
    def searchable(self) -> list[Article]:
        """What the search index holds: the articles, and the pages that ask for it (``search: true``)."""
        asking = [page for page in self.pages if page.extra.get("search") is True]
        return self.articles + asking if asking else self.articles

    @functools.cached_property
    def tag_names(self) -> dict[str, tuple[str, str]]:
        return {slug: (t.name, t.url) for slug, t in self.tags.items()}


def is_published(article: Article, now: dt.datetime, drafts: bool, future: bool) -> bool:
    if article.draft and not drafts:
        return False
    return not (article.date is not None and article.date > now and not future)


def build_site(
    articles: Iterable[Article],
    canonical: Canonicaliser = lambda name: name,
    bios: Callable[[str], str | None] = lambda name: None,
    authors: AuthorDirectory | None = None,
) -> Site:
    """Group *articles* (already filtered for drafts and future dates) into the site model; pages
    (kind "page") are kept apart from the news."""
    ordered = sorted(articles, key=lambda a: a.sort_key)
    pages = [a for a in ordered if a.kind == "page"]
    ordered = [a for a in ordered if a.kind != "page"] if pages else ordered
    canonical = functools.lru_cache(maxsize=None)(canonical)  # a name recurs across the archive
    ordered = [canonical_people(a, canonical) for a in ordered]
    ordered = _canonical_tag_spellings(ordered)
    dated = [a for a in ordered if a.date is not None]
    chronological = list(reversed(dated))
    previous = {a.url: b for a, b in zip(chronological[1:], chronological, strict=False)}
    following = {a.url: b for a, b in zip(chronological, chronological[1:], strict=False)}
    _refuse_duplicate_urls(ordered + pages)
    grouped_authors, author_slugs = group_authors(ordered, authors or AuthorDirectory())
    return Site(
        articles=ordered,
        tags=_group_tags(ordered),
        people=_group_people(ordered, bios),
        years=_group_dates(dated),
        undated=[a for a in ordered if a.date is None],
        previous=previous,
        following=following,
        pages=sorted(pages, key=lambda a: a.url),
        sections=group_sections(ordered),
        authors=grouped_authors,
        author_slugs=author_slugs,
    )


def _canonical_tag_spellings(articles: list[Article]) -> list[Article]:
    """One spelling per tag everywhere ("Diplomacy", not "diplomacy" on some listings): the most common."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        for tag in article.tags:
            spellings[tag.slug][tag.name] += 1
    chosen = {slug: _most_common_spelling(counter) for slug, counter in spellings.items()}
    result = []
    for article in articles:
        if all(chosen[t.slug] == t.name for t in article.tags) and len(set(article.tags)) == len(
            article.tags
        ):
            result.append(article)  # the common case: already spelled as chosen, no duplicates
            continue
        tags = tuple(dict.fromkeys(Named(t.slug, chosen[t.slug]) for t in article.tags))
        result.append(article if tags == article.tags else replace(article, tags=tags))
    return result


def canonical_people(article: Article, canonical: Canonicaliser) -> Article:
    """Apply the editor's corrections (aliases, merges, not-a-person), merging duplicates."""
    merged: dict[str, PersonMention] = {}
    for person in article.people:
        name = canonical(person.name)
        if name is None:
            continue
        slug = slugify(name) if name != person.name else person.slug
        if slug in merged:
            old = merged[slug]
            mentions = old.mentions + person.mentions
            merged[slug] = PersonMention(old.name, slug, old.role or person.role, mentions)
        else:
            merged[slug] = PersonMention(name, slug, person.role, person.mentions)
    people = tuple(merged.values())
    if people == article.people:
        return article
    return replace(article, people=people)


def _refuse_duplicate_urls(articles: list[Article]) -> None:
    owners: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: a.source):
        if article.url in owners:
            other = owners[article.url]
            raise SiteError(
                f"'{article.source}' and '{other.source}' would both be published at /{article.url} "
                "(same slug); give one of them a different 'slug' in its front matter",
                article.source,
                field="slug",
            )
        owners[article.url] = article


def _most_common_spelling(counter: Counter) -> str:
    if len(counter) == 1:
        return next(iter(counter))
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]


def _group_tags(articles: list[Article]) -> dict[str, Tag]:
    spellings: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for tag in article.tags:
            spellings[tag.slug][tag.name] += 1
            members[tag.slug].append(article)
    return {
        slug: Tag(_most_common_spelling(spellings[slug]), slug, members[slug]) for slug in sorted(members)
    }


def _group_people(articles: list[Article], bios: Callable[[str], str | None]) -> dict[str, Person]:
    spellings: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, list[Article]] = defaultdict(list)
    roles: dict[str, dict[str, dt.datetime | None]] = defaultdict(dict)
    for article in articles:
        for person in article.people:
            spellings[person.slug][person.name] += 1
            members[person.slug].append(article)
            if person.role:
                seen = roles[person.slug].get(person.role)
                if seen is None or (article.date is not None and article.date < seen):
                    roles[person.slug][person.role] = article.date
    people = {}
    for slug in sorted(members):
        name = _most_common_spelling(spellings[slug])
        ordered_roles = sorted(roles[slug].items(), key=lambda r: (r[1] is None, r[1] or 0, r[0]))
        people[slug] = Person(name, slug, members[slug], ordered_roles, bios(name))
    return people


def _group_dates(dated: list[Article]) -> dict[int, dict[int, list[Article]]]:
    years: dict[int, dict[int, list[Article]]] = {}
    for article in dated:
        assert article.date is not None
        years.setdefault(article.date.year, {}).setdefault(article.date.month, []).append(article)
    return years


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
        tuple(q.speaker for q in article.quotes),  # how many quote pages each person has
        *_newsroom_structure(article),
    )


def _newsroom_structure(article: Article) -> tuple:
    """Section, bylines and kind: the section and author pages list the article (empty when it has
    none of them, so the digests of archives without them are as they were)."""
    if article.section is None and not article.authors and article.kind == "article":
        return ()
    section = (article.section.slug, article.section.name) if article.section else None
    return (section, article.authors, article.kind)


def substitute(
    site: Site,
    pairs: list[tuple[Article, Article]],
    directory: PeopleDirectory | None,
    positions: dict[str, int] | None = None,
) -> list[Article] | None:
    """Put each edited (raw) article in place of its old (raw) version in *site*, if the structure allows.

    *pairs* are (old, new); *positions* maps URLs to their places in ``site.articles`` (see
    :class:`~site_builder.planner.SiteIndex`). Returns the articles as the site holds them now, or None
    when an edit changes the site's structure (URL, dates, tags or their spelling, people, roles,
    aliases): then *site* is left untouched and the caller groups the site afresh.
    """
    swaps: list[tuple[Article, Article]] = []
    for old, new in pairs:
        if positions is not None:
            place = positions.get(old.url)
            current = site.articles[place] if place is not None else None
        else:
            current = next((a for a in site.articles if a.url == old.url), None)
        if current is None or new.url != old.url or new.tags != old.tags:
            return None
        canonical = canonical_people(new, directory.canonical if directory else lambda name: name)
        if canonical.tags:  # the site-wide spelling of each tag, as grouping chose it
            tags = tuple(dict.fromkeys(Named(t.slug, site.tags[t.slug].name) for t in canonical.tags))
            canonical = canonical if tags == canonical.tags else replace(canonical, tags=tags)
        if structure_of(canonical) != structure_of(current):
            return None
        swaps.append((current, canonical))
    for current, canonical in swaps:
        _replace_everywhere(site, current, canonical, positions)
    return [canonical for _, canonical in swaps]


def _replace_everywhere(site: Site, old: Article, new: Article, positions: dict[str, int] | None) -> None:
    """Swap one article object for another in every list and map of the site model."""
    lists = [site.undated]
    if positions is not None:
        site.articles[positions[old.url]] = new
    else:
        lists.append(site.articles)
    lists += [site.tags[t.slug].articles for t in old.tags]
    lists += [site.people[p.slug].articles for p in old.people]
    if old.section is not None:
        lists.append(site.sections[old.section.slug].articles)
    slugs = {site.author_slugs.get(byline) for byline in old.authors}
    lists += [site.authors[slug].articles for slug in sorted(filter(None, slugs))]
    if old.date is not None:
        lists.append(site.years[old.date.year][old.date.month])
    for articles in lists:
        for index, article in enumerate(articles):
            if article is old:
                articles[index] = new
                break
    for neighbours, other in ((site.previous, site.following), (site.following, site.previous)):
        beside = other.get(old.url)
        if beside is not None and neighbours.get(beside.url) is old:
            neighbours[beside.url] = new


def next_scheduled_change(articles: list[Article], now: dt.datetime, future: bool) -> str:
    """When the published set changes by itself: the earliest article still in the future."""
    pending = [a.date for a in articles if a.date is not None and a.date > now and not future]
    return min(pending).isoformat() if pending else ""
