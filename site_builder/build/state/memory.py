"""What a long-running process (``serve``, ``watch``) keeps between rebuilds, so an edit costs O(edit).

A CLI build starts from the disk: it reads and hashes every content file, unpickles every article from
the cache, groups them and scans ``output/``. The dev server knows from the watcher which files
changed, so it keeps the sources, parsed articles, site model, plan state and the record of
``output/`` in memory and re-reads only the files the events name. Anything it cannot account for (a
folder event, a file it cannot classify, different settings, a failed build) drops the memory and the
next build starts from the disk again, so the memory only ever saves work, never changes a result.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from site_builder.build.state.cache import PlanState
from site_builder.config import SiteConfig
from site_builder.model.article import Article, Named
from site_builder.model.page import Page
from site_builder.model.people import PeopleDirectory
from site_builder.model.site import Site, canonical_people
from site_builder.plan.pages import SiteIndex, structure_of
from site_builder.render.fingerprint import TemplateHasher
from site_builder.search.index import SearchIndex
from site_builder.sources.reader import CONTENT_SUFFIXES


@dataclass(frozen=True)
class Source:
    """One content file as read for this build."""

    source: str  # relative to content/, POSIX
    key: str
    path: str  # the bytes are read again only if the cache lacks this key (keeps memory flat)


@dataclass
class BuildMemory:
    """The state of the last successful build of one site, for the next one in the same process."""

    settings: str = ""  # settings digest (with the drafts and future flags) it was built under
    sources: list[Source] = field(default_factory=list)
    articles: dict[str, Article] = field(default_factory=dict)  # parsed, by content key
    published: dict[str, Article] = field(default_factory=dict)  # raw published articles, by source
    site: Site | None = None
    directory: PeopleDirectory | None = None
    plan: PlanState | None = None
    recorded: dict[str, tuple[bytes, int]] = field(default_factory=dict)  # output file -> (print, size)
    inputs: str = ""  # the inputs digest of that build
    generation: str | None = None  # the cache's record it matches (another process may build too)
    search: SearchIndex | None = None  # the search index as last built (None: loaded from the cache)
    hasher: TemplateHasher | None = None  # template hashes, valid for the same settings
    prints: dict[str, tuple[Page, bytes]] = field(default_factory=dict)  # path -> (page, its fingerprint)
    next_change: str = ""
    site_index: SiteIndex | None = None  # lookups by URL into *site*, while it fits (see its fits())
    refused: set[Path] = field(default_factory=set)  # edited files the last build could not parse

    def __post_init__(self) -> None:
        self.__dict__.pop("positions", None)  # __init__ is called again to reset: drop the cached one

    @functools.cached_property
    def positions(self) -> dict[str, int]:
        """Where each content file is in *sources* (an edit keeps the order; a build sets new sources)."""
        return {s.source: number for number, s in enumerate(self.sources)}

    @property
    def ready(self) -> bool:
        return self.site is not None and self.plan is not None and bool(self.recorded)

    def forget(self) -> None:
        """Drop everything: the next build reads from the disk."""
        self.__init__()  # type: ignore[misc]


def changed_sources(config: SiteConfig, paths: Iterable[Path]) -> set[str] | None:
    """The content files (relative, POSIX) named by watcher *paths*, or None if one is not simply a
    content file (a folder, a settings file, a template): the caller then reads everything again."""
    root = os.path.realpath(config.content_dir)
    found: set[str] = set()
    for path in paths:
        real = os.path.realpath(path)
        if os.path.commonpath([real, root]) != root or real == root:
            return None
        if not real.endswith(CONTENT_SUFFIXES) or os.path.isdir(real) or os.path.islink(path):
            return None
        relative = os.path.relpath(real, root).replace(os.sep, "/")
        if any(part.startswith(".") for part in relative.split("/")):
            continue  # hidden files are never content
        found.add(relative)
    return found


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
