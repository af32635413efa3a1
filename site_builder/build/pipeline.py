"""A complete build: read, plan, render (phase 1), then commit (phase 2).

Phase 1 may fail and touches nothing in ``output/``; phase 2 only moves already rendered files into
place and removes stale ones. Pages whose fingerprint and file are unchanged are not even rendered,
and when no input changed at all (same content hashes, templates, static files, settings) the plan is
skipped altogether.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import errno
import fcntl
import hashlib
import itertools
import marshal
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.build.state.cache import BuildCache, PlanState
from site_builder.config import SiteConfig
from site_builder.model.article import Article, ArticleBody
from site_builder.errors import BuildLockedError, SiteError
from site_builder.sources.gitdates import FileDates, apply_git_dates, dates_fingerprint, site_git_dates
from site_builder.sources.markup import pygments_css, renderer_version
from site_builder.build.output.commit import (
    Scratch,
    Staging,
    commit_in_place,
    commit_swap,
    discard_orphans,
    file_sizes,
    recover,
    scan_tree,
    spare_index,
    stage_if_changed,
)
from site_builder.model.people import PeopleDirectory, load_people_directory
from site_builder.plan.pages import Page, SiteIndex, iter_pages, plan_affected, related_articles, structure_of
from site_builder.sources.reader import CONTENT_SUFFIXES, MAX_CONTENT_BYTES, content_key
from site_builder.render.environment import (
    TemplateHasher,
    build_salt,
    fingerprint_data,
    is_template_file,
    make_environment,
    theme_dir,
)
from site_builder.render.translations import catalogs_digest
from site_builder.search.index import INDEX_DIR as SEARCH_INDEX_DIR
from site_builder.search.index import SearchIndex, remember_documents, update_index
from site_builder.build.state.memory import BuildMemory, Source, changed_sources, substitute
from site_builder.model.site import Site, is_published
from site_builder.model.site import build_site as group_site
from site_builder.build.state.snapshot import (
    REWRITE_AFTER,
    ModelSnapshot,
    SourceStats,
    load_template_hashes,
    save_template_hashes,
)
from site_builder.build.workers import (
    PARALLEL_THRESHOLD,
    PackedPage,
    ParseTask,
    RenderOutcome,
    Workers,
    collector_paused,
    default_jobs,
    pack,
    parse_all,
)

THEME_ASSETS = "assets"
STORE_BATCH = 500  # parsed articles written to the cache at a time
SWAP_LIMIT = 64  # edited articles swapped into the remembered site model; more: group afresh
STATIC_PRINT = b"file:"  # the fingerprint of a copied static file is this and its SHA-256
CommitGuard = Callable[[], contextlib.AbstractContextManager]


@dataclass
class BuildReport:
    articles: int = 0
    pages: int = 0
    planned: int = 0  # pages whose data was computed (all of them, unless only a few articles changed)
    rendered: int = 0  # fingerprint changed, so rendered again (even if the bytes came out the same)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    changed_paths: list[str] = field(default_factory=list)
    removed_paths: list[str] = field(default_factory=list)

    def summary(self) -> str:
        state = "nothing changed" if not (self.written or self.removed) else f"{self.written} written"
        return (
            f"{self.articles} articles, {self.pages} files: {state}, {self.unchanged} unchanged, "
            f"{self.removed} removed in {self.seconds:.2f} s"
        )


class BuildErrors(SiteError):
    """Several content files are broken; all of them are reported, not only the first."""

    def __init__(self, errors: list[SiteError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


@contextlib.contextmanager
def build_lock(cache_dir: Path) -> Iterator[None]:
    """One build of a site at a time; a second one gets a clear message instead of a mixed output."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / "build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLockedError(
                "another build of this site is running (lock held on .site-cache/build.lock)", cache_dir
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_site(
    config: SiteConfig,
    *,
    drafts: bool = False,
    future: bool = False,
    progress: bool = False,
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
    unknown), so that only those are read again (see :mod:`site_builder.session`).
    """
    started = time.perf_counter()
    now = now or dt.datetime.now(dt.UTC)
    jobs = jobs or default_jobs()
    with build_lock(config.cache_dir):
        recover(config.output_dir, Scratch.for_output(config.output_dir, config.cache_dir))
        discard_orphans(config.cache_dir)
        cache = BuildCache(config.cache_dir)
        settings = settings_digest(config, drafts, future)
        if memory is not None and not _memory_usable(memory, config, settings, cache):
            memory.forget()
        if memory is not None and changed is not None:
            changed = {*changed, *memory.refused}  # still to do: files the last build refused
        try:
            remember = memory is not None
            with Workers(config, jobs, settings if memory is not None else None) as workers:
                run = _Build(
                    config, cache, settings, now, drafts, future, workers, memory or BuildMemory(), remember
                )
                report = run.build(changed, progress, commit_guard)
        except BaseException as error:
            if memory is not None:
                if isinstance(error, _EditRefused):
                    memory.refused = set(changed or ())
                else:
                    memory.forget()
            raise
        finally:
            cache.close()
        if memory is not None:
            memory.refused = set()
    report.seconds = time.perf_counter() - started
    return report


class _EditRefused(BuildErrors):
    """Edited files that do not parse, reported before the build changed anything it remembers (the
    dev server keeps its memory, so the save that fixes them is rebuilt from the edit alone)."""


def _memory_usable(memory: BuildMemory, config: SiteConfig, settings: str, cache: BuildCache) -> bool:
    """Same settings, output/ still there, and no other build recorded since (a CLI build meanwhile)."""
    return (
        memory.ready
        and memory.settings == settings
        and memory.generation == cache.meta("generation")
        and config.output_dir.is_dir()
    )


@dataclass
class _Build:
    """One build's inputs and steps; *memory* is the last build's state (empty for a CLI build)."""

    config: SiteConfig
    cache: BuildCache
    settings: str
    now: dt.datetime
    drafts: bool
    future: bool
    workers: Workers
    memory: BuildMemory
    remember: bool  # a long-running caller keeps the memory for its next build

    def build(self, changed: Iterable[Path] | None, progress: bool, guard: CommitGuard | None) -> BuildReport:
        config, cache, memory = self.config, self.cache, self.memory
        if changed is not None and memory.ready and not config.git_dates:
            changed = list(changed)
            report = self.edit(changed, progress, guard)
            if report is not None:
                return report
        # a CLI build of a site without git dates keeps file signatures and its site model in the cache
        snapshots = not self.remember and not config.git_dates
        stats = SourceStats.load(cache, self.settings) if snapshots else None
        if stats is not None and len(stats.known) >= PARALLEL_THRESHOLD:
            self.start_workers()  # a large site as last built: output/ is scanned while the files are
        sources = self.sources(changed, stats)
        statics = static_files(config)
        dates = site_git_dates(config) if config.git_dates else None
        digest = inputs_digest(self.settings, sources, statics, dates)
        report = self.unchanged(digest)
        if report is not None and (memory.ready or not self.remember):
            if stats is not None:
                stats.save(cache, self.settings)
            return report
        if report is None and not self.remember and len(sources) >= PARALLEL_THRESHOLD:
            self.start_workers()
        jobs = self.workers.jobs
        known, held = memory.articles, None
        if snapshots:
            with collector_paused():
                self.model = ModelSnapshot.load(cache, self.settings)
        if self.model is not None:  # its articles only while the cache holds their bodies (a build in
            held = cache.article_keys()  # between may have dropped one that is back in use now)
            known = {key: a for key, a in self.model.articles.items() if key in held}
        articles = load_articles(config, cache, sources, jobs, known, self.workers)
        _release_free_memory()  # what parsing took (file bytes, bodies on their way to the cache)
        if self.shares is not None and self.workers.pool is not None:  # the spare is needed at the commit
            scratch = Scratch.for_output(config.output_dir, config.cache_dir)
            self.spare = self.workers.pool.submit(spare_index, scratch)
        if dates is not None:
            articles = apply_git_dates(config, articles, dates)
        published = [a for a in articles if is_published(a, self.now, self.drafts, self.future)]
        with collector_paused():
            site = self.site(published)
            if snapshots and report is not None:
                self.snapshot(sources, articles, published, site)
        if report is not None:  # nothing to build, but the dev server's first build fills its memory
            state = cache.plan_state()
            if state is not None:
                self.keep(sources, articles, published, site, state, cache.page_fingerprints(), digest)
            return report
        scanned = self.scanned()  # (CLI builds only)
        with collector_paused():
            plan = plan_site(
                config, cache, site, self.settings, memory if memory.ready else None, self.structure, scanned
            )
        plan.spare = self.spare
        search = memory.search if memory.ready else None
        self.search = update_index(cache, site.articles, search, keep_pages=self.remember)
        _release_free_memory()  # what the index's id lists took, before the pages are planned
        index_pages = self.search.iter_stored_pages() if self.remember else self.search.take_stored_pages()
        plan.pages = itertools.chain(plan.pages, index_pages)
        hashes = load_template_hashes(cache, self.settings) if snapshots else {}
        hasher = TemplateHasher(make_environment(config), hashes) if snapshots else None
        report, recorded = render_and_commit(
            config,
            cache,
            plan,
            statics,
            progress,
            self.workers,
            guard,
            memory if self.remember else None,
            hasher,
        )
        if hasher is not None:
            save_template_hashes(cache, self.settings, hasher.known(), hashes)
        report.articles = len(published)
        keys = {a.key for a in articles}
        gone = memory.articles.keys() - keys if memory.ready else None  # None: look in the cache
        if held is not None:
            gone = held - keys
        cache.prune_articles(keys, gone)  # commits the search texts too
        cache.set_meta("inputs", digest)
        cache.set_meta("articles", str(report.articles))
        self.next_change = _next_change(articles, self.now, self.future)
        cache.set_meta("next_change", self.next_change)
        if stats is not None:
            stats.save(cache, self.settings)
        if snapshots:  # last: the pages' memory is free by now (100k articles' documents weigh 80 MB)
            self.structure = plan.state.structure
            with collector_paused():
                self.snapshot(sources, articles, published, site)
        self.keep(sources, articles, published, site, plan.state, recorded, digest)
        return report

    def keep(self, sources, articles, published, site, state, recorded, digest) -> None:
        """Remember this build's state for the next one (only a long-running caller passes memory)."""
        if not self.remember:
            return
        self.memory.__init__(  # type: ignore[misc]
            settings=self.settings,
            sources=sources,
            articles={a.key: a for a in articles},
            published={a.source: a for a in published},
            site=site,
            directory=self.directory,
            plan=state,
            recorded=recorded,
            inputs=digest,
            next_change=(
                self.next_change
                if self.next_change is not None
                else _next_change(articles, self.now, self.future)
            ),
            generation=self.cache.generation or self.cache.meta("generation"),
            search=self.search,
            hasher=self.memory.hasher,  # valid while the settings (templates included) are the same
            prints=self.memory.prints,
            site_index=self.memory.site_index,  # used only while it fits the site and related map
        )

    def start_workers(self) -> None:
        """Fork the workers of a one-off build of a large site while this process is small; they scan
        output/ and the spare tree meanwhile (the build holds the lock: only it changes them)."""
        if self.shares is not None or self.remember:
            return
        pool = self.workers.start()
        if pool is not None:  # a share of output/ per worker (the spare: once the files are parsed)
            output, jobs = self.config.output_dir, self.workers.jobs
            self.shares = [pool.submit(scan_tree, output, (n, jobs)) for n in range(jobs)]

    def scanned(self) -> tuple[dict[str, int], dict[str, int]] | None:
        """The workers' scan of output/ (see :func:`scan_tree`), or None if they did not make one."""
        if self.shares is None:
            return None
        sizes: dict[str, int] = {}
        index: dict[str, int] = {}
        for share in self.shares:
            part = share.result()
            sizes.update(part[0])
            index.update(part[1])
        return sizes, index

    def existing(self) -> dict[str, int]:
        """What output/ holds: path -> size."""
        scanned = self.scanned()
        return scanned[0] if scanned is not None else file_sizes(self.config.output_dir)

    def sources(self, changed: Iterable[Path] | None, stats: SourceStats | None = None) -> list[Source]:
        """All content files with their keys: from memory plus the *changed* ones when possible."""
        names = changed_sources(self.config, changed) if changed is not None and self.memory.ready else None
        if names is None:
            return read_sources(self.config, stats)
        kept = [s for s in self.memory.sources if s.source not in names]
        kept += filter(None, map(self.read_source, sorted(names)))
        return sorted(kept, key=lambda s: s.source)

    def read_source(self, name: str) -> Source | None:
        """One content file (relative, POSIX) as read now; None if it is gone."""
        path = os.path.join(self.config.content_dir, name)
        if not os.path.lexists(path):
            return None
        _check_content_file(path, os.path.basename(name), False, os.path.realpath(self.config.site_dir))
        data = _read(path)
        return Source(name, _key(name, data, self.config, renderer_version()), path)

    def edit(self, changed: list[Path], progress: bool, guard: CommitGuard | None) -> BuildReport | None:
        """The rebuild after edits of existing articles that leave the site's structure as it was, in
        time proportional to the edits rather than to the archive; None when the edits are anything
        else (added, removed or re-published files, structural edits): the caller builds in full.

        Everything the general path derives from the whole archive is updated here from the edits:
        the sources and their digest, the site model (edited articles swapped in), the plan state's
        content tokens, the search index (only the edited documents), the record of output/ (only
        the re-planned pages and the search files that changed) and the build memory.
        """
        config, cache, memory = self.config, self.cache, self.memory
        names = changed_sources(config, changed)
        positions = memory.positions
        if not names or len(names) > SWAP_LIMIT or not names <= positions.keys() or memory.plan is None:
            return None
        if memory.next_change and self.now >= dt.datetime.fromisoformat(memory.next_change):
            return None
        sources, edits = list(memory.sources), []
        for name in sorted(names):
            source = self.read_source(name)
            if source is None:
                return None  # removed: the structure changes
            if source.key != sources[positions[name]].key:
                edits.append((sources[positions[name]], source))
                sources[positions[name]] = source
        statics = static_files(config)
        digest = inputs_digest(self.settings, sources, statics)
        if not edits:
            return self.unchanged(digest)
        try:
            articles = load_articles(config, cache, [new for _, new in edits], 1, memory.articles)
        except BuildErrors as error:  # nothing was changed yet: the memory stays good for the fix
            raise _EditRefused(error.errors) from None
        pairs = []
        for (old, _), article in zip(edits, articles, strict=True):
            before = memory.published.get(old.source)
            if (before is not None) != is_published(article, self.now, self.drafts, self.future):
                return None  # published or withdrawn: the structure changes
            if before is not None:
                pairs.append((before, article))
        site, state = memory.site, memory.plan
        assert site is not None
        index = self.site_index(site)
        swapped = substitute(site, pairs, memory.directory, index.positions)
        if swapped is None:
            return None  # memory.site is untouched: the general path groups afresh
        tokens, urls = dict(state.tokens), set()
        for article in swapped:
            if tokens.get(article.url) != article.key:
                tokens[article.url] = article.key
                urls.add(article.url)
        pages = plan_affected(site, config, urls, state.related, index)
        if not {page.path for page in pages} <= memory.recorded.keys():
            return None
        cache.remember_related(state.related)
        self.search = update_index(cache, site.articles, memory.search, edited=swapped)
        search_pages, search_gone = self.search.touched_pages()
        plan = Plan(
            itertools.chain(pages, search_pages),
            memory.recorded,
            PlanState(self.settings, state.structure, tokens, state.related),
            memory.recorded,
            None,
            stale=search_gone,
        )
        report, recorded = render_and_commit(
            config, cache, plan, statics, progress, self.workers, guard, memory
        )
        report.articles = len(memory.published)
        gone = {old.key for old, _ in edits} - {new.key for _, new in edits}
        cache.prune_articles(set(), gone)
        cache.set_meta("inputs", digest)
        cache.set_meta("articles", str(report.articles))
        olds = [memory.articles.pop(old.key, None) for old, _ in edits]
        for (old, new), article in zip(edits, articles, strict=True):
            memory.articles[new.key] = article
            if old.source in memory.published:
                memory.published[old.source] = article
        self.next_change = _next_change_after(memory, olds, articles, self.now, self.future)
        cache.set_meta("next_change", self.next_change)
        memory.sources, memory.plan, memory.recorded, memory.inputs = sources, plan.state, recorded, digest
        memory.generation, memory.search, memory.next_change = cache.generation, self.search, self.next_change
        return report

    def site_index(self, site: Site) -> SiteIndex:
        """The lookups by URL into *site* (kept in memory while they fit it and the related map)."""
        memory = self.memory
        related = memory.plan.related if memory.plan is not None else {}
        if memory.site_index is None or not memory.site_index.fits(site, related):
            memory.site_index = SiteIndex(site, related)
        return memory.site_index

    def unchanged(self, digest: str) -> BuildReport | None:
        """The report of a build with nothing to do, or None."""
        memory = self.memory
        if not memory.ready:
            return _unchanged_report(self.cache, digest, self.now, self.existing)
        if digest != memory.inputs or (
            memory.next_change and self.now >= dt.datetime.fromisoformat(memory.next_change)
        ):
            return None
        articles = len(memory.published)
        return BuildReport(articles=articles, pages=len(memory.recorded), unchanged=len(memory.recorded))

    def site(self, published: list[Article]) -> Site:
        """The site model: the remembered one (or the cache's snapshot) with edited articles swapped in,
        when their edits leave the structure as it was; else grouped afresh."""
        memory, model = self.memory, self.model
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
                positions = self.site_index(site).positions if site is memory.site else None
                if len(pairs) <= SWAP_LIMIT and substitute(site, pairs, directory, positions) is not None:
                    self.directory, self.structure = directory, structure
                    return site
        self.directory = load_people_directory(self.config.site_dir)
        return group_site(published, self.directory.canonical, self.directory.bio)

    def snapshot(self, sources: list[Source], articles: list[Article], published: list[Article], site: Site):
        """Write the site model to the cache for the next CLI build, unless the one it came from is
        still close enough to the files (see :mod:`site_builder.snapshot`)."""
        keys = {item.source: item.key for item in sources}
        model = self.model
        if model is not None and site is model.site and model.differences(keys) <= REWRITE_AFTER:
            return
        assert self.directory is not None
        self.structure = self.structure or structure_digest(site)
        remember_documents(site.articles)  # kept with the articles: the search index update needs them
        ModelSnapshot(
            self.settings,
            keys,
            {a.key: a for a in articles},
            {a.source: a for a in published},
            site,
            self.directory,
            self.structure,
        ).save(self.cache)

    directory: PeopleDirectory | None = None
    search: SearchIndex | None = None
    next_change: str | None = None
    model: ModelSnapshot | None = None  # the cache's site model snapshot, for a CLI build
    structure: str | None = None  # the structure digest of the site, if known before planning
    shares: list[Future] | None = None  # the workers' scans of output/ (see start_workers)
    spare: Future | None = None  # their scan of the spare tree


def read_sources(config: SiteConfig, stats: SourceStats | None = None) -> list[Source]:
    """Read every content file once and key it by its bytes, path and reader settings.

    With *stats*, a file whose signature (size, mtime, ctime, inode, device) is exactly the one
    recorded with its key keeps that key without being read (see :mod:`site_builder.snapshot`).
    """
    version = renderer_version()
    return [_source(source, path, config, version, stats) for source, path in content_files(config)]


def _source(
    source: str, path: str, config: SiteConfig, version: str, stats: SourceStats | None = None
) -> Source:
    if stats is not None:
        with contextlib.suppress(OSError):  # unreadable: reported by the read below
            key = stats.key(source, os.stat(path))
            if key is not None:
                return Source(source, key, path)
    data, info = _read_stat(path)
    key = _key(source, data, config, version)
    if stats is not None:
        stats.record(source, info, key)
    return Source(source, key, path)


def content_files(config: SiteConfig) -> list[tuple[str, str]]:
    """Markdown files under content/, sorted by their relative path.

    Refused with a clear error rather than followed: symlinks leading outside the site, dangling or
    looping symlinks, anything that is not a regular file (a named pipe would hang the build) and names
    that are not valid UTF-8 (they could not be written into URLs). Directory entries tell plain files
    apart without a system call per file: only the odd ones are examined.
    """
    root = str(config.content_dir)
    if not os.path.isdir(root):
        raise SiteError(f"no content folder at {root}", config.site_dir / "site.toml", field="content_dir")
    site_root = os.path.realpath(config.site_dir)
    found = []
    pending = [(root, "", os.path.islink(root))]
    while pending:
        folder, prefix, linked = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{name}/", linked))
                elif name.endswith(CONTENT_SUFFIXES):
                    if linked or not entry.is_file(follow_symlinks=False):
                        _check_content_file(entry.path, name, linked, site_root)
                    else:
                        _check_name(entry.path, name)
                    found.append((prefix + name, entry.path))
    return sorted(found)


def _check_name(path: str, name: str) -> None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise SiteError("the file name is not valid UTF-8; rename the file", shown) from None


def _check_content_file(path: str, name: str, in_linked_folder: bool, site_root: str) -> None:
    shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    _check_name(path, name)
    try:
        info = os.stat(path)
    except OSError as error:
        reason = "a symlink loop" if error.errno == errno.ELOOP else "a symlink to a missing file"
        raise SiteError(f"is {reason}; remove or fix it", shown) from None
    if not stat.S_ISREG(info.st_mode):
        raise SiteError("is not a regular file (a pipe, socket or device); refusing to read it", shown)
    if os.path.islink(path) or in_linked_folder:
        real = os.path.realpath(path)
        if os.path.commonpath([real, site_root]) != site_root:
            raise SiteError("is a symlink to a file outside the site; refusing to read it", shown)


def inputs_digest(
    settings: str,
    sources: list[Source],
    statics: dict[str, Path],
    dates: dict[str, FileDates] | None = None,
) -> str:
    """One hash of everything a build reads: if it matches the last build's, nothing can have changed."""
    digest = hashlib.sha256(settings.encode())
    digest.update("".join([item.key for item in sources]).encode())  # = one update per key, faster
    for relative, path in statics.items():
        digest.update(f"\0{relative}\0".encode() + path.read_bytes())
    if dates is not None:  # committing a file changes its git dates, not its bytes
        digest.update(b"\0git-dates\0" + dates_fingerprint(dates).encode())
    return digest.hexdigest()


def settings_digest(config: SiteConfig, drafts: bool, future: bool) -> str:
    """What every page may read besides the articles: versions, settings, templates, people.toml."""
    digest = hashlib.sha256(f"{build_salt(config)}\0{drafts}{future}".encode())
    for folder in (config.templates_dir, theme_dir()):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and is_template_file(path.relative_to(folder).as_posix()):
                digest.update(f"\0{path}\0".encode() + path.read_bytes())
    people = config.site_dir / "people.toml"
    if people.exists():
        digest.update(b"\0people\0" + people.read_bytes())
    digest.update(b"\0catalogs\0" + catalogs_digest(config).encode())
    return digest.hexdigest()


@dataclass
class Plan:
    """The pages to fingerprint (and render if changed), and the recorded files kept without planning."""

    pages: Iterable[Page]  # planned as they are taken, when the whole site is
    kept: dict[str, tuple[bytes, int]]
    state: PlanState
    previous: dict[str, tuple[bytes, int]]  # the last build's recorded files
    existing: dict[str, int] | None  # what output/ holds now: path -> size (None: as recorded)
    index: dict[str, int] | None = None  # output/'s tree index, if scanned (the commit reuses it)
    # Files the plan drops, when *kept* is the whole last record (an edit: re-planned pages overwrite
    # their records); None when *kept* holds only the files not planned and the rest is stale
    stale: list[str] | None = None
    spare: Future | None = None  # the spare tree's index (output.spare_index), if being scanned


def plan_site(
    config: SiteConfig,
    cache: BuildCache,
    site: Site,
    settings: str,
    memory: BuildMemory | None = None,
    structure: str | None = None,
    scanned: tuple[dict[str, int], dict[str, int]] | None = None,
) -> Plan:
    """Plan only the pages showing changed articles when nothing else changed, else the whole site.

    The shortcut needs the last build's plan state with the same settings and site structure and an
    output/ holding exactly the files it recorded; the search index is always planned here in full.
    *structure*: the site's structure digest, if the caller knows it; *scanned*: :func:`scan_tree` of
    output/, if made since the build took its lock.
    """
    if memory is not None and site is memory.site and memory.plan is not None:
        structure = memory.plan.structure  # edited articles were swapped in only if structure-preserving
    elif structure is None:
        structure = structure_digest(site)
    tokens = {a.url: a.key for a in site.articles}
    if memory is not None:  # a long-running process: output/ is as its last build left it
        previous, recorded = memory.plan, memory.recorded
        cache.remember_related(previous.related)  # stored by that build
        existing, index = {path: size for path, (_, size) in recorded.items()}, None
    else:
        previous, recorded = cache.plan_state(), cache.page_fingerprints()
        existing, index = scanned if scanned is not None else scan_tree(config.output_dir)
    if (
        previous is not None
        and (previous.settings, previous.structure) == (settings, structure)
        and (memory is not None or existing == {path: size for path, (_, size) in recorded.items()})
    ):
        changed = {url for url, token in tokens.items() if previous.tokens.get(url) != token}
        pages = plan_affected(site, config, changed, previous.related)
        planned = {page.path for page in pages}
        if planned <= recorded.keys():
            kept = {
                path: value
                for path, value in recorded.items()
                if path not in planned and not path.startswith(SEARCH_INDEX_DIR)
            }
            state = PlanState(settings, structure, tokens, previous.related)
            return Plan(pages, kept, state, recorded, existing, index)
    related = related_articles(site)
    pygments = Page(f"{THEME_ASSETS}/pygments.css", "text", {"text": pygments_css()})
    pages = itertools.chain(iter_pages(site, config, related), [pygments])
    urls = {url: [a.url for a in others] for url, others in related.items()}
    return Plan(pages, {}, PlanState(settings, structure, tokens, urls), recorded, existing, index)


def structure_digest(site: Site) -> str:
    """One hash of every published article's structure, in order (marshal: plain tuples, fast)."""
    return hashlib.sha256(marshal.dumps([structure_of(a) for a in site.articles])).hexdigest()


def _next_change(articles: list[Article], now: dt.datetime, future: bool) -> str:
    """When the published set changes by itself: the earliest article still in the future."""
    pending = [a.date for a in articles if a.date is not None and a.date > now and not future]
    return min(pending).isoformat() if pending else ""


def _next_change_after(
    memory: BuildMemory, before: list[Article | None], after: list[Article], now: dt.datetime, future: bool
) -> str:
    """:func:`_next_change` of the remembered articles (already updated) after edits of *before* into
    *after*, from the remembered value: the whole archive is looked at only if an edit moved it."""
    current = dt.datetime.fromisoformat(memory.next_change) if memory.next_change else None
    if current is not None and any(a is None or a.date == current for a in before):
        return _next_change(list(memory.articles.values()), now, future)
    pending = [d for d in [current, *(a.date for a in after)] if d is not None and d > now and not future]
    return min(pending).isoformat() if pending else ""


def _unchanged_report(
    cache: BuildCache, digest: str, now: dt.datetime, existing: Callable[[], dict[str, int]]
) -> BuildReport | None:
    """A report for a build with no changed input and an intact output/ (*existing*: what it holds),
    else None (build for real)."""
    if cache.meta("inputs") != digest:
        return None
    next_change = cache.meta("next_change")
    if next_change and now >= dt.datetime.fromisoformat(next_change):
        return None
    recorded = cache.page_fingerprints()
    if not recorded or existing() != {p: size for p, (_, size) in recorded.items()}:
        return None
    return BuildReport(
        articles=int(cache.meta("articles") or 0), pages=len(recorded), unchanged=len(recorded)
    )


def _read(path: str) -> bytes:
    """The file's bytes, or its first MAX_CONTENT_BYTES + 1 when larger (the reader reports those).

    The size is checked first: ``read(limit)`` would allocate a 4 MiB buffer per file, each kept as its
    own memory mapping by glibc once shrunk, and 100,000 files exceed the kernel's mapping limit.
    """
    return _read_stat(path)[0]


def _read_stat(path: str) -> tuple[bytes, os.stat_result]:
    """:func:`_read`, and the file's status taken before its bytes were read."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_size > MAX_CONTENT_BYTES:
                return handle.read(MAX_CONTENT_BYTES + 1), info
            return handle.read(), info
    except OSError as error:
        raise SiteError(f"cannot be read: {error.strerror}", path) from None


def load_articles(
    config: SiteConfig,
    cache: BuildCache,
    sources: list[Source],
    jobs: int,
    known: dict[str, Article] | None = None,
    workers: Workers | None = None,
) -> list[Article]:
    """Every article of the site, taken from *known* or the cache by content key, or parsed."""
    known = known or {}
    cached = {item.key: known[item.key] for item in sources if item.key in known}
    with collector_paused():
        cached.update(cache.articles([item.key for item in sources if item.key not in cached]))
    missing = [item for item in sources if item.key not in cached]
    version = renderer_version()
    tasks = (_parse_task(item, config, version) for item in missing)
    errors: list[SiteError] = []
    parsed: dict[str, Article] = {}
    batch: list[tuple[Article, ArticleBody, tuple[str, str]]] = []
    for result in parse_all(tasks, config, jobs, len(missing), workers):  # streamed: bodies go to the cache
        if isinstance(result, SiteError):
            errors.append(result)
            continue
        parsed[result[0].source] = result[0]
        batch.append(result)
        if len(batch) >= STORE_BATCH:
            cache.store_articles(batch)
            batch = []
    if batch:
        cache.store_articles(batch)
    if errors:
        raise BuildErrors(errors)
    loaded = [cached.get(item.key) or parsed[item.source] for item in sources]
    return _share_values(loaded, known)


def _parse_task(item: Source, config: SiteConfig, version: str) -> ParseTask:
    """The file as read now, keyed by these bytes: a file saved again since *item* was keyed is parsed
    and cached under its new key (this build shows the newer text; the next one sees the key change),
    never stored under the old key, where a later return to the old text would find the wrong article."""
    data = _read(item.path)
    return ParseTask(item.source, _key(item.source, data, config, version), data)


def _key(source: str, data: bytes, config: SiteConfig, version: str) -> str:
    """A content file's key: its path and bytes under these reader settings (see readers.content_key)."""
    return content_key(source.encode() + b"\0" + data, config, version)


def _release_free_memory() -> None:
    """Give the memory freed by a phase back to the system (glibc keeps freed chunks in the middle of
    its heap otherwise, and the process's size stays at the phase's peak); a no-op elsewhere."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _share_values(articles: list[Article], known: dict[str, Article]) -> list[Article]:
    """One object for each distinct tag and person mention across *articles* (each unpickled its own
    copies: at 100,000 articles those took a quarter of a gigabyte); *known* ones were done before."""
    shared: dict = {}
    for article in articles:
        if known.get(article.key) is article:
            continue
        tags = tuple([shared.setdefault(tag, tag) for tag in article.tags])
        people = tuple([shared.setdefault(person, person) for person in article.people])
        object.__setattr__(article, "tags", tags)  # equal values: the article is the same
        object.__setattr__(article, "people", people)
    return articles


def static_files(config: SiteConfig) -> dict[str, Path]:
    """Theme assets under assets/, then the site's static/ copied to the output root (it wins)."""
    files: dict[str, Path] = {}
    for base, prefix in ((theme_dir() / THEME_ASSETS, f"{THEME_ASSETS}/"), (config.static_dir, "")):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[prefix + path.relative_to(base).as_posix()] = path
    return files


class _Claims:
    """The output paths claimed so far: two sources on one output file, or a file where another output
    needs a folder, are refused as soon as the second is planned (before it is rendered).

    Only paths and sources are kept (pages are planned and dropped one batch at a time); *kept* are the
    pages of the last build carried over without being planned again.
    """

    _KEPT = ""  # the source of a kept page (real sources are never empty)

    def __init__(self, statics: dict[str, Path], kept: Iterable[str]) -> None:
        self.statics = statics
        self.owners: dict[str, str | None] = dict.fromkeys(kept, self._KEPT)  # path -> its page's source
        self.folders: dict[str, str] = {}  # folder -> the first path found to need it
        for path in sorted(self.owners.keys() & statics.keys()):  # a new static file over a kept page
            raise SiteError(f"two sources would write output/{path}: a page and {statics[path]}", path)
        for path in sorted(self.owners.keys() | statics.keys()):
            self._nest(path)

    def claim(self, page: Page) -> None:
        path = page.path
        if path in self.owners or path in self.statics:
            first = self.owners.get(path, self._KEPT)
            if first == self._KEPT:
                other = str(self.statics.get(path, path))
            else:
                other = first or path.removesuffix("index.html")  # no source: its URL
            raise SiteError(
                f"two sources would write output/{path}: {page.source or page.kind} and {other}",
                page.source,
            )
        self.owners[path] = page.source
        self._nest(path)

    def _nest(self, path: str) -> None:
        """Refuse *path* if a parent folder of it is a file, or it is a folder another path needs."""
        cut = path.rfind("/")
        while cut > 0:  # every parent folder of the path (string slicing: this runs for every file)
            parent = path[:cut]
            if parent in self.owners or parent in self.statics:
                raise self._nesting(parent, path)
            if parent in self.folders:  # and so are its parents
                break
            self.folders[parent] = path
            cut = path.rfind("/", 0, cut)
        if path in self.folders:
            raise self._nesting(path, self.folders[path])

    def _nesting(self, parent: str, path: str) -> SiteError:
        source = self.owners.get(parent) or parent
        return SiteError(
            f"output/{parent} is a file, but output/{path} needs it to be a folder "
            f"(check the aliases and slugs of {source})",
            source,
        )


# Changed pages are rendered a batch at a time, so that only one batch's planned data is held (as the
# pickles made for the fingerprints, which are what the workers are sent): up to RENDER_BATCH pages or
# RENDER_BATCH_BYTES of data (a person's first page, with the timeline of every month, weighs ten
# article pages).
RENDER_BATCH = 20_000
RENDER_BATCH_BYTES = 12_000_000


def render_and_commit(
    config: SiteConfig,
    cache: BuildCache,
    plan: Plan,
    statics: dict[str, Path],
    progress: bool,
    workers: Workers,
    commit_guard: CommitGuard | None,
    memory: BuildMemory | None = None,
    hasher: TemplateHasher | None = None,
) -> tuple[BuildReport, dict[str, tuple[bytes, int]]]:
    """Fingerprint, render what changed, commit; the report and the record of the new output/.

    Pages are taken from the plan one by one: an unchanged one is only recorded, changed ones are
    rendered in batches (see RENDER_BATCH), and each page's data is dropped once done. *memory* keeps
    what a long-running process reuses in its next build: the template hashes and the fingerprints of
    unchanged search index pages (its Workers keep the compiled templates). *hasher*: the template
    hasher to use when *memory* has none.
    """
    remember = memory is not None
    memory = memory if memory is not None else BuildMemory()
    overlay = plan.stale is not None  # kept is the whole last record (see Plan.stale)
    touched: list[str] = []  # with an overlay: the paths whose record may change
    if overlay:  # static files are recorded again below, from what static/ holds now
        kept = plan.kept
    else:  # static files are copied below from what static/ holds now: a recorded one may be gone
        kept = {path: value for path, value in plan.kept.items() if not value[0].startswith(STATIC_PRINT)}
    # a whole plan is checked as it goes; a partial one only if it brings paths the last build lacked
    claims = _Claims(statics, kept.keys()) if not kept else None
    planned: list[Page] = []
    output = config.output_dir
    existing, previous = plan.existing, plan.previous
    if memory.hasher is None:
        memory.hasher = hasher or TemplateHasher(make_environment(config))
    hasher, prints = memory.hasher, memory.prints
    salt = build_salt(config)
    report = BuildReport(unchanged=len(kept))
    recorded: dict[str, tuple[bytes, int]] = dict(kept)
    staging = Staging(config.cache_dir, _tree_staging(config, commit_guard))
    bar = _Progress(progress)
    pending: _Batch | None = None  # handed to the workers, its outcomes not taken yet
    try:
        to_render: list[PackedPage] = []
        weight = 0
        for page in plan.pages:
            if claims is not None:
                claims.claim(page)
            else:
                planned.append(page)
            report.planned += 1
            if overlay:
                touched.append(page.path)
            known = prints.get(page.path)
            if known is not None and known[0] is page:
                print_, data = known[1], None
            else:
                print_, data = fingerprint_data(page, hasher, salt)
                if remember and page.kind == "stored":  # the search index keeps these objects
                    prints[page.path] = (page, print_)
            if _intact(page.path, print_, existing, previous):
                recorded[page.path] = (print_, previous[page.path][1])
                report.unchanged += 1
            else:
                recorded[page.path] = (print_, -1)
                packed = pack(page, data)
                to_render.append(packed)
                weight += len(packed[-1])
                if len(to_render) >= RENDER_BATCH or weight >= RENDER_BATCH_BYTES:
                    pending = _hand_over(to_render, pending, workers, staging, recorded, report, bar)
                    to_render, weight = [], 0
        _hand_over(to_render, pending, workers, staging, recorded, report, bar).take(
            staging, recorded, report, bar
        )
        pending, to_render = None, []
        bar.close()
        workers.close()  # nothing left to render: the workers' memory is not held through the commit
        if claims is None and _new_paths(planned, statics, previous):
            others = (
                kept.keys() - {page.path for page in planned} - statics.keys() if overlay else kept.keys()
            )
            claims = _Claims(statics, others)
            for page in planned:
                claims.claim(page)
        del claims, planned
        for relative, source in statics.items():
            recorded[relative] = _copy_static(relative, source, output, existing, previous, staging, report)
        if overlay:
            assert plan.stale is not None
            stale = sorted(path for path in plan.stale if recorded.pop(path, None) is not None)
            touched += [*statics, *stale]
            report.pages, report.unchanged = len(recorded), len(recorded) - report.written
        else:
            assert existing is not None
            report.pages = report.planned + len(kept) + len(statics)
            stale = sorted(existing.keys() - recorded.keys())
        if staging.files or stale:
            cache.forget_pages()  # the rows stay as they are: record_pages below writes the difference
        if commit_guard is None and config.atomic_output:
            spare = plan.spare.result() if plan.spare is not None else None
            scratch = Scratch.for_output(output, config.cache_dir)
            commit_swap(staging, output, stale, scratch, plan.index, spare)
        else:
            with commit_guard() if commit_guard else contextlib.nullcontext():
                commit_in_place(staging, output, stale)
    except BaseException:
        workers.close()  # pages still being rendered into the staging folder: waited for, or cancelled
        staging.discard()
        raise
    cache.record_pages(recorded, previous, plan.state, touched if overlay else None)
    report.removed = len(stale)
    report.removed_paths = stale
    return report, recorded


def _tree_staging(config: SiteConfig, commit_guard: CommitGuard | None) -> Scratch | None:
    """The scratch of a commit that can take a staged tree whole: a swap into an output/ that does not
    exist yet (a first build, or output/ deleted), with the scratch in the cache folder."""
    if commit_guard is not None or not config.atomic_output or config.output_dir.exists():
        return None
    scratch = Scratch.for_output(config.output_dir, config.cache_dir)
    return scratch if scratch.folder == config.cache_dir else None


def _new_paths(pages: list[Page], statics: dict[str, Path], previous: dict[str, tuple[bytes, int]]) -> bool:
    return any(page.path not in previous for page in pages) or any(path not in previous for path in statics)


def _hand_over(pages, pending, workers, staging, recorded, report, bar) -> _Batch:
    """Give *pages* to the renderer, then take the outcomes of the batch given before (*pending*): the
    workers have the next batch while this process records the last one and plans the following."""
    submitted = _Batch(pages, workers.render(pages, staging.area))
    if pending is not None:
        pending.take(staging, recorded, report, bar)
    return submitted


@dataclass
class _Batch:
    """Pages handed to the renderer and their outcomes, to be taken in order."""

    pages: list[PackedPage]
    outcomes: Iterator[RenderOutcome]

    def take(self, staging: Staging, recorded: dict, report: BuildReport, bar: _Progress) -> None:
        for page, outcome in zip(self.pages, self.outcomes, strict=False):
            path = page[0]  # this process's string, already a key of recorded (not the worker's copy)
            recorded[path] = (recorded[path][0], outcome.size)
            report.rendered += 1
            _count(report, staging, path, outcome.written)
            bar.update()


def _intact(path: str, print_: bytes, existing: dict[str, int] | None, previous: dict) -> bool:
    """Same fingerprint as last build and the file still there with the size we wrote (*existing*
    None: output/ is known to be as recorded)."""
    recorded = previous.get(path)
    if recorded is None or recorded[0] != print_:
        return False
    return existing is None or existing.get(path) == recorded[1]


def _count(report: BuildReport, staging: Staging, path: str, written: bool) -> None:
    if written:
        staging.files.append(path)
        report.written += 1
        report.changed_paths.append(path)
    else:
        report.unchanged += 1


def _copy_static(relative, source, output, existing, previous, staging, report) -> tuple[bytes, int]:
    data = source.read_bytes()
    print_ = STATIC_PRINT + hashlib.sha256(data).digest()
    if _intact(relative, print_, existing, previous):
        report.unchanged += 1
        return print_, len(data)
    _count(report, staging, relative, stage_if_changed(output, staging.area, relative, data))
    return print_, len(data)


class _Progress:
    """A progress bar of rendered pages, shown once there are many (the total is not known ahead)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled, self.count, self.bar = enabled, 0, None

    def update(self) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.update()
        elif self.enabled and self.count == 500:
            from tqdm import tqdm

            self.bar = tqdm(desc="rendering", unit="page", leave=False, initial=self.count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
