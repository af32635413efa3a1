"""What every step of one build reads: its settings, clock, cache, workers and the last build's memory.

The full path (:mod:`site_builder.build.pipeline`) and the edit path (:mod:`site_builder.build.edit`)
share these, and the few questions both ask: is anything changed at all, what does one content file
hold now, where is an article in the site model.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from site_builder.build.report import BuildReport
from site_builder.build.state.cache import BuildCache
from site_builder.build.state.memory import BuildMemory
from site_builder.build.workers import Workers
from site_builder.config import SiteConfig
from site_builder.model.article import Article
from site_builder.model.site import Site, is_published
from site_builder.plan.incremental import SiteIndex
from site_builder.plugins import Plugins
from site_builder.sources.files import Source, check_content_file, content_file_key, read_content
from site_builder.sources.markup import renderer_version


@dataclass
class BuildContext:
    """One build's fixed inputs; *memory* is the last build's state (empty for a CLI build)."""

    config: SiteConfig
    cache: BuildCache
    settings: str  # the settings digest (see build.digests)
    now: dt.datetime
    drafts: bool
    future: bool
    workers: Workers
    memory: BuildMemory
    keeps_memory: bool  # a long-running caller keeps the memory for its next build
    plugins: Plugins = field(default_factory=Plugins)  # the site's plugins (see site_builder.plugins)

    def is_published(self, article: Article) -> bool:
        return is_published(article, self.now, self.drafts, self.future)

    def scheduled(self, articles: Iterable[Article]) -> int:
        """How many of *articles* this build leaves out only for their future date."""
        return sum(1 for a in articles if not self.is_published(a) and (self.drafts or not a.draft))

    def read_source(self, name: str) -> Source | None:
        """One content file (relative, POSIX) as read now; None if it is gone."""
        path = os.path.join(self.config.content_dir, name)
        if not os.path.lexists(path):
            return None
        check_content_file(path, os.path.basename(name), False, os.path.realpath(self.config.site_dir))
        data = read_content(path)
        return Source(name, content_file_key(name, data, self.config, renderer_version()), path)

    def site_index(self, site: Site) -> SiteIndex:
        """The lookups by URL into *site* (kept in memory while they fit it and the related map)."""
        memory = self.memory
        related = memory.plan.related if memory.plan is not None else {}
        if memory.site_index is None or not memory.site_index.fits(site, related):
            memory.site_index = SiteIndex(site, related)
        return memory.site_index

    def unchanged(
        self, digest: str, existing: Callable[[], dict[str, int]] | None = None
    ) -> BuildReport | None:
        """The report of a build with nothing to do (inputs digest as last built, no scheduled article
        due, output/ as recorded), or None. Without memory, *existing* tells what output/ holds."""
        memory = self.memory
        if not memory.ready:
            assert existing is not None
            return self._unchanged_on_disk(digest, existing)
        if digest != memory.inputs or self._due(memory.next_change):
            return None
        articles, scheduled = len(memory.published), self.scheduled(memory.articles.values())
        pages = len(memory.recorded)
        return BuildReport(articles=articles, pages=pages, unchanged=pages, scheduled=scheduled)

    def _unchanged_on_disk(self, digest: str, existing: Callable[[], dict[str, int]]) -> BuildReport | None:
        cache = self.cache
        if cache.meta("inputs") != digest or self._due(cache.meta("next_change")):
            return None
        recorded = cache.page_fingerprints()
        if not recorded or existing() != {p: size for p, (_, size) in recorded.items()}:
            return None
        return BuildReport(
            articles=int(cache.meta("articles") or 0),
            pages=len(recorded),
            unchanged=len(recorded),
            scheduled=int(cache.meta("scheduled") or 0),
        )

    def _due(self, next_change: str | None) -> bool:
        """An article scheduled for later is published by now (or withdrawn from the future)."""
        return bool(next_change) and self.now >= dt.datetime.fromisoformat(next_change)
