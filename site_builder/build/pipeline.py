"""A complete build: read, plan, render (phase 1), then commit (phase 2).

Phase 1 may fail and touches nothing in ``output/``; phase 2 only moves already rendered files into
place and removes stale ones. Pages whose fingerprint and file are unchanged are not even rendered,
and when no input changed at all (same content hashes, templates, static files, settings) the plan is
skipped altogether.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import time
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from site_builder.build.context import BuildContext
from site_builder.build.digests import inputs_digest, settings_digest, static_files
from site_builder.build.edit import SWAP_LIMIT, EditRefused, build_edits
from site_builder.build.extensions import prepare, record_extra_paths
from site_builder.build.faults import CacheDamaged, forget_damaged_cache, is_damage, located_faults
from site_builder.build.images import (
    attach_images,
    derived_files,
    finish_images,
    load_image_index,
    with_images,
)
from site_builder.build.languages import tree_index_pages
from site_builder.build.loading import load_articles
from site_builder.build.lock import build_lock
from site_builder.build.output.journal import finish_journal
from site_builder.build.output.ownership import claim_output
from site_builder.build.output.scratch import Scratch, discard_orphans, recover
from site_builder.build.output.spare import spare_index
from site_builder.build.output.staging import file_sizes, scan_tree
from site_builder.build.planning import plan_site
from site_builder.build.progress import SILENT, BuildProgress
from site_builder.build.rendering import CommitGuard, render_and_commit
from site_builder.build.report import BuildReport
from site_builder.build.state.cache import BuildCache, recorded_paths
from site_builder.build.state.memory import BuildMemory
from site_builder.build.state.snapshot import (
    ModelSnapshot,
    SourceStats,
    load_template_hashes,
    save_model_snapshot,
    save_template_hashes,
)
from site_builder.build.workers import (
    PARALLEL_THRESHOLD,
    Workers,
    default_jobs,
    worker_deaths_reported,
)
from site_builder.config import SiteConfig
from site_builder.images.index import ImageIndex
from site_builder.model.article import Article
from site_builder.model.authors import AuthorDirectory, load_author_directory
from site_builder.model.page import Page
from site_builder.model.people import PeopleDirectory, load_people_directory
from site_builder.model.site import Site, next_scheduled_change, substitute
from site_builder.model.site import build_site as group_site
from site_builder.plan.incremental import PlanState
from site_builder.plan.languages import split_site
from site_builder.plugins import Plugins
from site_builder.process import collector_paused, release_free_memory
from site_builder.render.environment import make_environment
from site_builder.render.fingerprint import TemplateHasher
from site_builder.search.index import SearchIndex, update_index
from site_builder.sources.files import (
    Source,
    changed_sources,
    read_sources,
    require_site,
)
from site_builder.sources.gitdates import FileDates, apply_git_dates, site_git_dates


def build_site(
    config: SiteConfig,
    *,
    drafts: bool = False,
    future: bool = False,
    progress: bool | BuildProgress = False,
    now: dt.datetime | None = None,
    jobs: int | None = None,
    commit_guard: CommitGuard | None = None,
    memory: BuildMemory | None = None,
    changed: Iterable[Path] | None = None,
) -> BuildReport:
    """Build the site described by *config* into its output folder and report what changed.

    *jobs* worker processes parse and render (default: one per core); *commit_guard* (used by the dev
    server) is entered around phase 2 so that no request sees a half-committed site. A long-running
    caller passes the same *memory* to every build and the files the watcher saw *changed* (None:
    unknown), so that only those are read again (see :mod:`site_builder.build.state.memory`).
    *progress*: a :class:`BuildProgress` (True: live phase lines on a terminal).
    """
    started = time.perf_counter()
    if not isinstance(progress, BuildProgress):
        progress = BuildProgress.to_stderr(progress, False)
    now = now or dt.datetime.now(dt.UTC)
    jobs = jobs or default_jobs()
    require_site(config)  # before the cache folder is made in a folder that is no site
    with located_faults(config):
        config, plugins = prepare(config)
    with located_faults(config), build_lock(config.cache_dir):
        recover(config.output_dir, Scratch.for_output(config.output_dir, config.cache_dir))
        finish_journal(config.cache_dir)  # before its staged files are discarded as orphans
        discard_orphans(config.cache_dir)

        def attempt() -> BuildReport:
            return _build_with_cache(
                config, plugins, drafts, future, progress, now, jobs, commit_guard, memory, changed
            )

        try:
            report = attempt()
        except BaseException as error:
            progress.abandon()  # a line being rewritten is cleared before the error is printed
            if not isinstance(error, CacheDamaged):
                raise
            damage = error  # the README promises a damaged cache is rebuilt, not trusted
            warnings.warn(
                f"{config.cache_dir}: the build cache was damaged ({damage}); rebuilt", stacklevel=2
            )
            forget_damaged_cache(config.cache_dir)
            if memory is not None:
                memory.forget()
            report = attempt()
        plugins.post_build(report, config)  # output/ is complete, and no other build can change it yet
    report.seconds = time.perf_counter() - started
    return report


def _build_with_cache(
    config: SiteConfig,
    plugins: Plugins,
    drafts: bool,
    future: bool,
    progress: BuildProgress,
    now: dt.datetime,
    jobs: int,
    commit_guard: CommitGuard | None,
    memory: BuildMemory | None,
    changed: Iterable[Path] | None,
) -> BuildReport:
    """One attempt at the build with the cache as it is (see :func:`build_site`); a damaged cache
    raises :class:`CacheDamaged`."""
    claim_output(config.output_dir, config.output_force, lambda: recorded_paths(config.cache_dir))
    cache = BuildCache(config.cache_dir)
    cache.body_store = config.body_store
    settings = settings_digest(config, drafts, future)
    if memory is not None and not memory.usable(settings, cache.meta("generation"), config.output_dir):
        memory.forget()
    if memory is not None and changed is not None:
        changed = {*changed, *memory.refused}  # still to do: files the last build refused
    try:
        with (
            worker_deaths_reported(config.output_dir),
            Workers(config, jobs, settings if memory is not None else None, cache) as workers,
        ):
            context = BuildContext(
                config,
                cache,
                settings,
                now,
                drafts,
                future,
                workers,
                memory or BuildMemory(),
                memory is not None,
                plugins,
            )
            report = _build(context, changed, progress, commit_guard)
    except BaseException as error:
        if memory is not None:
            if isinstance(error, EditRefused):
                memory.refused = set(changed or ())
            else:
                memory.forget()
        if isinstance(error, sqlite3.DatabaseError) and is_damage(error):
            raise CacheDamaged(str(error)) from error
        raise
    finally:
        cache.close()
    if memory is not None:
        memory.refused = set()
    return report


def _build(
    context: BuildContext, changed: Iterable[Path] | None, progress: BuildProgress, guard: CommitGuard | None
) -> BuildReport:
    """The edit path when the watcher's changes allow it, else the full path."""
    sees_site = context.plugins.has("on_site")  # an edit may change what on_site makes of any article
    if changed is not None and context.memory.ready and not context.config.git_dates and not sees_site:
        changed = list(changed)
        report = build_edits(context, changed, progress, guard)
        if report is not None:
            return report
    return FullBuild(context).run(changed, progress, guard)


@dataclass
class FullBuild:
    """The full path: every content file keyed (or known from memory or the file signatures), the
    site grouped (or the remembered model with changed articles swapped in), planned, rendered where
    fingerprints changed and committed; then what the next build reuses is recorded."""

    context: BuildContext
    directory: PeopleDirectory | None = None
    search: SearchIndex | None = None
    model: ModelSnapshot | None = None  # the cache's site model snapshot, for a CLI build
    structure: str | None = None  # the structure digest of the site, if known before planning
    output_scans: list[Future] | None = None  # the workers' scans of output/ (see start_workers)
    spare_scan: Future | None = None  # their scan of the spare tree
    images: ImageIndex | None = None  # the images the last build used, updated by this one

    def run(
        self, changed: Iterable[Path] | None, progress: BuildProgress, guard: CommitGuard | None
    ) -> BuildReport:
        context, cache, memory = self.context, self.context.cache, self.context.memory
        progress.start("read", "files")
        # a CLI build of a site without git dates keeps file signatures and its site model in the cache
        snapshots = not context.keeps_memory and not context.config.git_dates
        stats = SourceStats.load(cache, context.settings) if snapshots else None
        if stats is not None and len(stats.known) >= PARALLEL_THRESHOLD:
            self.start_workers()  # a large site as last built: output/ is scanned while the files are
        sources = self.sources(changed, stats)
        statics = static_files(context.config)
        dates = site_git_dates(context.config) if context.config.git_dates else None
        base_digest = inputs_digest(context.settings, sources, statics, dates)
        self.images = memory.images if memory.ready and memory.images else load_image_index(context.config)
        digest = with_images(base_digest, self.images.current_digest())
        unchanged = context.unchanged(digest, self.existing)
        if unchanged is not None and (memory.ready or not context.keeps_memory):
            if stats is not None:
                stats.save(cache, context.settings)
            progress.finish(f"{len(sources):,} content files, nothing changed")
            return unchanged
        if unchanged is None and not context.keeps_memory and len(sources) >= PARALLEL_THRESHOLD:
            self.start_workers()
        articles, published, site, cached_keys = self.load(sources, dates, snapshots, progress)
        if unchanged is not None:  # nothing to build, but the dev server's first build fills its memory
            state = cache.plan_state()
            if state is not None:
                self.keep(sources, articles, published, site, state, cache.page_fingerprints(), digest)
            return unchanged
        report, recorded, state = self.render(site, statics, progress, guard, snapshots)
        report.articles, report.scheduled = len(published), context.scheduled(articles)
        digest = with_images(base_digest, self.images.recorded_digest())  # the images as processed
        finish_images(context.config, self.images, complete=True)
        keys = {a.key for a in articles}
        gone = memory.articles.keys() - keys if memory.ready else None  # None: look in the cache
        if cached_keys is not None:
            gone = cached_keys - keys
        cache.prune_articles(keys, gone)  # commits the search texts too
        cache.set_meta("inputs", digest)
        cache.set_meta("articles", str(report.articles))
        cache.set_meta("scheduled", str(report.scheduled))
        next_change = next_scheduled_change(articles, context.now, context.future)
        cache.set_meta("next_change", next_change)
        if stats is not None:
            stats.save(cache, context.settings)
        if snapshots:  # last: the pages' memory is free by now (100k articles' documents weigh 80 MB)
            self.structure = state.structure
            with collector_paused():
                self.snapshot(sources, articles, published, site)
        self.keep(sources, articles, published, site, state, recorded, digest, next_change)
        return report

    def load(
        self,
        sources: list[Source],
        dates: dict[str, FileDates] | None,
        snapshots: bool,
        progress: BuildProgress = SILENT,
    ) -> tuple[list[Article], list[Article], Site, set[str] | None]:
        """Every article (from memory, the snapshot, the cache or parsed), the published ones, the site
        model, and the article keys the cache held when the snapshot was used (else None)."""
        context, config, cache = self.context, self.context.config, self.context.cache
        known, cached_keys = context.memory.articles, None
        if snapshots:
            with collector_paused():
                self.model = ModelSnapshot.load(cache, context.settings)
        if self.model is not None:  # its articles only while the cache holds their bodies (a build in
            cached_keys = cache.article_keys()  # between may have dropped one that is back in use now)
            known = {key: a for key, a in self.model.articles.items() if key in cached_keys}
        workers = context.workers
        articles = load_articles(config, cache, sources, workers.jobs, known, workers, progress)
        release_free_memory()  # what parsing took (file bytes, bodies on their way to the cache)
        if self.output_scans is not None and workers.pool is not None:  # the spare is needed at the commit
            self.spare_scan = workers.pool.submit(
                spare_index, Scratch.for_output(config.output_dir, config.cache_dir)
            )
        if dates is not None:
            articles = apply_git_dates(config, articles, dates)
        assert self.images is not None
        shown = [a for a in articles if context.is_published(a)]
        articles = attach_images(config, articles, shown, self.images, workers)
        published = [a for a in articles if context.is_published(a)]
        with collector_paused():
            site = self.site(published)
        return articles, published, site, cached_keys

    def render(
        self,
        site: Site,
        statics: dict[str, Path],
        progress: BuildProgress,
        guard: CommitGuard | None,
        snapshots: bool,
    ) -> tuple[BuildReport, dict[str, tuple[bytes, int]], PlanState]:
        """Plan the site and its search index, render what changed and commit it."""
        context, config, cache, memory = (
            self.context,
            self.context.config,
            self.context.cache,
            self.context.memory,
        )
        progress.start("plan", "pages")
        scanned = self.scanned()  # (CLI builds only)
        plugins = context.plugins
        extra = plugins.extra_pages(site, config) if plugins else []
        sites = split_site(site, config.trees, self.authors()) if config.trees is not None else None
        with collector_paused():
            plan = plan_site(
                config,
                cache,
                site,
                context.settings,
                memory if memory.ready else None,
                self.structure,
                scanned,
                extra,
                whole=plugins.has("on_site"),
                sites=sites,
            )
        plan.spare = self.spare_scan
        plan.derived = derived_files(site.articles, config.cache_dir)
        keeps = context.keeps_memory
        if sites is not None:  # one index per language tree
            index_pages: Iterator[Page] = tree_index_pages(cache, config, sites, keeps)
        else:
            search = memory.search if memory.ready else None
            self.search = update_index(
                cache, site.searchable, search, keep_pages=keeps, language=config.language
            )
            index_pages = self.search.iter_stored_pages() if keeps else self.search.take_stored_pages()
        release_free_memory()  # what the index's id lists took, before the pages are planned
        plan.pages = itertools.chain(plan.pages, index_pages)
        hashes = load_template_hashes(cache, context.settings) if snapshots else {}
        hasher = TemplateHasher(make_environment(config), hashes) if snapshots else None
        report, recorded = render_and_commit(context, plan, statics, progress, guard, hasher)
        record_extra_paths(cache, extra)
        if hasher is not None:
            save_template_hashes(cache, context.settings, hasher.known(), hashes)
        return report, recorded, plan.state

    def keep(self, sources, articles, published, site, state, recorded, digest, next_change=None) -> None:
        """Remember this build's state for the next one (only a long-running caller passes memory)."""
        context, cache = self.context, self.context.cache
        if not context.keeps_memory:
            return
        if next_change is None:
            next_change = next_scheduled_change(articles, context.now, context.future)
        context.memory.remember(
            settings=context.settings,
            sources=sources,
            articles={a.key: a for a in articles},
            published={a.source: a for a in published},
            site=site,
            directory=self.directory,
            plan=state,
            recorded=recorded,
            inputs=digest,
            next_change=next_change,
            generation=cache.generation or cache.meta("generation"),
            search=self.search,
        )
        context.memory.images = self.images

    def start_workers(self) -> None:
        """Fork the workers of a one-off build of a large site while this process is small; they scan
        output/ and the spare tree meanwhile (the build holds the lock: only it changes them)."""
        if self.output_scans is not None or self.context.keeps_memory:
            return
        workers = self.context.workers
        pool = workers.start()
        if pool is not None:  # a share of output/ per worker (the spare: once the files are parsed)
            output, jobs = self.context.config.output_dir, workers.jobs
            self.output_scans = [pool.submit(scan_tree, output, (n, jobs)) for n in range(jobs)]

    def scanned(self) -> tuple[dict[str, int], dict[str, int]] | None:
        """The workers' scan of output/ (see :func:`scan_tree`), or None if they did not make one."""
        if self.output_scans is None:
            return None
        sizes: dict[str, int] = {}
        index: dict[str, int] = {}
        for share in self.output_scans:
            part = share.result()
            sizes.update(part[0])
            index.update(part[1])
        return sizes, index

    def existing(self) -> dict[str, int]:
        """What output/ holds: path -> size."""
        scanned = self.scanned()
        return scanned[0] if scanned is not None else file_sizes(self.context.config.output_dir)

    def sources(self, changed: Iterable[Path] | None, stats: SourceStats | None = None) -> list[Source]:
        """All content files with their keys: from memory plus the *changed* ones when possible."""
        context = self.context
        names = (
            changed_sources(context.config, changed) if changed is not None and context.memory.ready else None
        )
        if names is None:
            return read_sources(context.config, stats)
        current = [s for s in context.memory.sources if s.source not in names]
        current += filter(None, map(context.read_source, sorted(names)))
        return sorted(current, key=lambda s: s.source)

    def site(self, published: list[Article]) -> Site:
        """The site model: the remembered one (or the cache's snapshot) with edited articles swapped in,
        when their edits leave the structure as it was; else grouped afresh."""
        memory, model, plugins = self.context.memory, self.model, self.context.plugins
        if plugins.has("on_site"):  # a site remembered after on_site is no base for swapping edits into
            self.directory = load_people_directory(self.context.config.site_dir)
            site = group_site(published, self.directory.canonical, self.directory.bio, self.authors())
            return plugins.site(site, self.context.config)
        prior = None
        if memory.ready and memory.site is not None:
            prior = (memory.site, memory.published, memory.directory, None)
        elif model is not None:  # its structure digest stays valid: only swaps that keep it are made
            prior = (model.site, model.published, model.directory, model.structure)
        if prior is not None:
            site, before, directory, structure = prior
            current = {a.source: a for a in published}
            if current.keys() == before.keys():
                pairs = [(before[s], a) for s, a in current.items() if a is not before[s]]
                positions = self.context.site_index(site).positions if site is memory.site else None
                if len(pairs) <= SWAP_LIMIT and substitute(site, pairs, directory, positions) is not None:
                    self.directory, self.structure = directory, structure
                    return site
        self.directory = load_people_directory(self.context.config.site_dir)
        return group_site(published, self.directory.canonical, self.directory.bio, self.authors())

    def authors(self) -> AuthorDirectory:
        """authors.toml as it is now (covered by the settings digest, like people.toml)."""
        return load_author_directory(self.context.config.site_dir)

    def snapshot(self, sources: list[Source], articles: list[Article], published: list[Article], site: Site):
        """Write the site model for the next CLI build (see :func:`save_model_snapshot`)."""
        assert self.directory is not None
        self.structure = save_model_snapshot(
            self.context.cache,
            self.context.settings,
            sources,
            articles,
            published,
            site,
            self.directory,
            self.structure,
            self.model,
        )
