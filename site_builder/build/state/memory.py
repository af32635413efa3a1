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
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.images.index import ImageIndex
from site_builder.model.article import Article
from site_builder.model.page import Page
from site_builder.model.people import PeopleDirectory
from site_builder.model.site import Site
from site_builder.plan.incremental import PlanState, SiteIndex
from site_builder.render.fingerprint import TemplateHasher
from site_builder.search.index import SearchIndex
from site_builder.sources.files import Source


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
    stored_prints: dict[str, tuple[Page, bytes]] = field(
        default_factory=dict
    )  # path -> (page, its fingerprint)
    next_change: str = ""
    site_index: SiteIndex | None = None  # lookups by URL into *site*, while it fits (see its fits())
    refused: set[Path] = field(default_factory=set)  # edited files the last build could not parse
    images: ImageIndex | None = None  # as last saved (see build.images; None: loaded from the cache)

    def __post_init__(self) -> None:
        self.__dict__.pop("positions", None)  # __init__ is called again to reset: drop the cached one

    @functools.cached_property
    def positions(self) -> dict[str, int]:
        """Where each content file is in *sources* (an edit keeps the order; a build sets new sources)."""
        return {s.source: number for number, s in enumerate(self.sources)}

    @property
    def ready(self) -> bool:
        return self.site is not None and self.plan is not None and bool(self.recorded)

    def usable(self, settings: str, generation: str | None, output_dir: Path) -> bool:
        """Same settings, output/ still there, and no other build recorded since (a CLI build meanwhile)."""
        return (
            self.ready and self.settings == settings and self.generation == generation and output_dir.is_dir()
        )

    def forget(self) -> None:
        """Drop everything: the next build reads from the disk."""
        self.__init__()  # type: ignore[misc]

    def remember(
        self,
        *,
        settings: str,
        sources: list[Source],
        articles: dict[str, Article],
        published: dict[str, Article],
        site: Site,
        directory: PeopleDirectory | None,
        plan: PlanState,
        recorded: dict[str, tuple[bytes, int]],
        inputs: str,
        next_change: str,
        generation: str | None,
        search: SearchIndex | None,
        same_order: bool = False,
    ) -> None:
        """The state after a successful build, from the full path and the edit path alike.

        The template hashes, the fingerprints of stored pages and the site index are kept: they are
        valid while the settings are the same (the memory is forgotten otherwise) or check that they
        still fit. *same_order*: *sources* lists the same files in the same order as before (an edit),
        so the positions computed from the last ones still hold.
        """
        positions = self.__dict__.get("positions") if same_order else None
        self.settings, self.sources, self.articles, self.published = settings, sources, articles, published
        self.site, self.directory, self.plan, self.recorded = site, directory, plan, recorded
        self.inputs, self.next_change, self.generation, self.search = inputs, next_change, generation, search
        self.__dict__.pop("positions", None)
        if positions is not None:
            self.__dict__["positions"] = positions
