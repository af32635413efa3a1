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
from dataclasses import dataclass, field
from pathlib import Path

from .cache import BuildCache, PlanState
from .config import SiteConfig
from .content import Article, ArticleBody
from .errors import BuildLockedError, SiteError
from .gitinfo import FileDates, apply_git_dates, dates_fingerprint, site_git_dates
from .markup import pygments_css, renderer_version
from .output import (
    Scratch,
    Staging,
    commit_in_place,
    commit_swap,
    discard_orphans,
    file_sizes,
    recover,
    scan_tree,
    stage_if_changed,
)
from .people import PeopleDirectory, load_people_directory
from .planner import Page, iter_pages, plan_affected, related_articles, structure_of
from .readers import CONTENT_SUFFIXES, MAX_CONTENT_BYTES, content_key
from .render import TemplateHasher, build_salt, fingerprint_data, make_environment, theme_dir
from .search import INDEX_DIR as SEARCH_INDEX_DIR
from .search import SearchIndex, update_index
from .session import BuildMemory, Source, changed_sources, substitute
from .site import Site, is_published
from .site import build_site as group_site
from .workers import (
    PARALLEL_THRESHOLD,
    PackedPage,
    ParseTask,
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
        try:
            remember = memory is not None
            with Workers(config, jobs, settings if memory is not None else None) as workers:
                run = _Build(
                    config, cache, settings, now, drafts, future, workers, memory or BuildMemory(), remember
                )
                report = run.build(changed, progress, commit_guard)
        except BaseException:
            if memory is not None:
                memory.forget()
            raise
        finally:
            cache.close()
    report.seconds = time.perf_counter() - started
    return report


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
        sources = self.sources(changed)
        statics = static_files(config)
        dates = site_git_dates(config) if config.git_dates else None
        digest = inputs_digest(self.settings, sources, statics, dates)
        report = self.unchanged(digest)
        if report is not None and (memory.ready or not self.remember):
            return report
        if report is None and not self.remember and len(sources) >= PARALLEL_THRESHOLD:
            self.workers.start()  # a one-off build of a large site: fork while this process is small
        jobs = self.workers.jobs
        articles = load_articles(config, cache, sources, jobs, memory.articles, self.workers)
        if not self.remember:
            sources = []  # only a long-running caller keeps them (see keep): 40 MB at 100,000 articles
        _release_free_memory()  # what parsing took (file bytes, bodies on their way to the cache)
        if dates is not None:
            articles = apply_git_dates(config, articles, dates)
        published = [a for a in articles if is_published(a, self.now, self.drafts, self.future)]
        with collector_paused():
            site = self.site(published)
        if report is not None:  # nothing to build, but the dev server's first build fills its memory
            state = cache.plan_state()
            if state is not None:
                self.keep(sources, articles, published, site, state, cache.page_fingerprints(), digest)
            return report
        with collector_paused():
            plan = plan_site(config, cache, site, self.settings, memory if memory.ready else None)
        search = memory.search if memory.ready else None
        self.search = update_index(cache, site.articles, search, keep_pages=self.remember)
        _release_free_memory()  # what the index's id lists took, before the pages are planned
        index_pages = self.search.iter_stored_pages() if self.remember else self.search.take_stored_pages()
        plan.pages = itertools.chain(plan.pages, index_pages)
        report, recorded = render_and_commit(
            config,
            cache,
            plan,
            statics,
            progress,
            self.workers,
            guard,
            memory if self.remember else None,
        )
        report.articles = len(published)
        keys = {a.key for a in articles}
        gone = memory.articles.keys() - keys if memory.ready else None  # None: look in the cache
        cache.prune_articles(keys, gone)  # commits the search texts too
        cache.set_meta("inputs", digest)
        cache.set_meta("articles", str(report.articles))
        self.next_change = _next_change(articles, self.now, self.future)
        cache.set_meta("next_change", self.next_change)
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
        )

    def sources(self, changed: Iterable[Path] | None) -> list[Source]:
        """All content files with their keys: from memory plus the *changed* ones when possible."""
        names = changed_sources(self.config, changed) if changed is not None and self.memory.ready else None
        if names is None:
            return read_sources(self.config)
        version = renderer_version()
        kept = [s for s in self.memory.sources if s.source not in names]
        for name in sorted(names):
            path = os.path.join(self.config.content_dir, name)
            if os.path.lexists(path):
                _check_content_file(
                    path, os.path.basename(name), False, os.path.realpath(self.config.site_dir)
                )
                data = _read(path)
                kept.append(
                    Source(name, content_key(name.encode() + b"\0" + data, self.config, version), path)
                )
        return sorted(kept, key=lambda s: s.source)

    def unchanged(self, digest: str) -> BuildReport | None:
        """The report of a build with nothing to do, or None."""
        memory = self.memory
        if not memory.ready:
            return _unchanged_report(self.cache, self.config, digest, self.now)
        if digest != memory.inputs or (
            memory.next_change and self.now >= dt.datetime.fromisoformat(memory.next_change)
        ):
            return None
        articles = len(memory.published)
        return BuildReport(articles=articles, pages=len(memory.recorded), unchanged=len(memory.recorded))

    def site(self, published: list[Article]) -> Site:
        """The site model: the remembered one with edited articles swapped in, when their edits leave
        the structure as it was; else grouped afresh."""
        memory = self.memory
        if memory.ready and memory.site is not None:
            current = {a.source: a for a in published}
            if current.keys() == memory.published.keys():
                edited = [s for s, a in current.items() if a is not memory.published[s]]
                if len(edited) <= SWAP_LIMIT and all(
                    substitute(memory.site, memory.published[s], current[s], memory.directory) for s in edited
                ):
                    self.directory = memory.directory
                    return memory.site
        self.directory = load_people_directory(self.config.site_dir)
        return group_site(published, self.directory.canonical, self.directory.bio)

    directory: PeopleDirectory | None = None
    search: SearchIndex | None = None
    next_change: str | None = None


def read_sources(config: SiteConfig) -> list[Source]:
    """Read every content file once and key it by its bytes, path and reader settings."""
    return [_source(source, path, config) for source, path in content_files(config)]


def _source(source: str, path: str, config: SiteConfig) -> Source:
    data = _read(path)
    return Source(source, content_key(source.encode() + b"\0" + data, config, renderer_version()), path)


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
    for item in sources:
        digest.update(item.key.encode())
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
            if path.is_file() and path.suffix in {".html", ".xml", ".txt", ".css", ".js", ".svg"}:
                digest.update(f"\0{path}\0".encode() + path.read_bytes())
    people = config.site_dir / "people.toml"
    if people.exists():
        digest.update(b"\0people\0" + people.read_bytes())
    return digest.hexdigest()


@dataclass
class Plan:
    """The pages to fingerprint (and render if changed), and the recorded files kept without planning."""

    pages: Iterable[Page]  # planned as they are taken, when the whole site is
    kept: dict[str, tuple[bytes, int]]
    state: PlanState
    previous: dict[str, tuple[bytes, int]]  # the last build's recorded files
    existing: dict[str, int]  # what output/ holds now: path -> size
    index: dict[str, int] | None = None  # output/'s tree index, if scanned (the commit reuses it)


def plan_site(
    config: SiteConfig, cache: BuildCache, site: Site, settings: str, memory: BuildMemory | None = None
) -> Plan:
    """Plan only the pages showing changed articles when nothing else changed, else the whole site.

    The shortcut needs the last build's plan state with the same settings and site structure and an
    output/ holding exactly the files it recorded; the search index is always planned here in full.
    """
    if memory is not None and site is memory.site and memory.plan is not None:
        structure = memory.plan.structure  # edited articles were swapped in only if structure-preserving
    else:
        structure = structure_digest(site)
    tokens = {a.url: a.key for a in site.articles}
    if memory is not None:  # a long-running process: output/ is as its last build left it
        previous, recorded = memory.plan, memory.recorded
        cache.remember_related(previous.related)  # stored by that build
        existing, index = {path: size for path, (_, size) in recorded.items()}, None
    else:
        previous, recorded = cache.plan_state(), cache.page_fingerprints()
        existing, index = scan_tree(config.output_dir)
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


def _unchanged_report(
    cache: BuildCache, config: SiteConfig, digest: str, now: dt.datetime
) -> BuildReport | None:
    """A report for a build with no changed input and an intact output/, else None (build for real)."""
    if cache.meta("inputs") != digest:
        return None
    next_change = cache.meta("next_change")
    if next_change and now >= dt.datetime.fromisoformat(next_change):
        return None
    recorded = cache.page_fingerprints()
    if not recorded or not output_intact(config.output_dir, {p: size for p, (_, size) in recorded.items()}):
        return None
    return BuildReport(
        articles=int(cache.meta("articles") or 0), pages=len(recorded), unchanged=len(recorded)
    )


def output_intact(output: Path, sizes: dict[str, int]) -> bool:
    """True when output/ holds exactly the recorded files with the recorded sizes."""
    return file_sizes(output) == sizes


def _read(path: str) -> bytes:
    """The file's bytes, or its first MAX_CONTENT_BYTES + 1 when larger (the reader reports those).

    The size is checked first: ``read(limit)`` would allocate a 4 MiB buffer per file, each kept as its
    own memory mapping by glibc once shrunk, and 100,000 files exceed the kernel's mapping limit.
    """
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_CONTENT_BYTES:
                return handle.read(MAX_CONTENT_BYTES + 1)
            return handle.read()
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
    tasks = (ParseTask(item.source, item.key, _read(item.path)) for item in missing)
    errors: list[SiteError] = []
    parsed: dict[str, Article] = {}
    batch: list[tuple[Article, ArticleBody]] = []
    for result in parse_all(tasks, config, jobs, len(missing), workers):  # streamed: bodies go to the cache
        if isinstance(result, SiteError):
            errors.append(result)
            continue
        parsed[result[0].key] = result[0]
        batch.append(result)
        if len(batch) >= STORE_BATCH:
            cache.store_articles(batch)
            batch = []
    if batch:
        cache.store_articles(batch)
    if errors:
        raise BuildErrors(errors)
    loaded = [cached.get(item.key) or parsed[item.key] for item in sources]
    return _share_values(loaded, known)


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
) -> tuple[BuildReport, dict[str, tuple[bytes, int]]]:
    """Fingerprint, render what changed, commit; the report and the record of the new output/.

    Pages are taken from the plan one by one: an unchanged one is only recorded, changed ones are
    rendered in batches (see RENDER_BATCH), and each page's data is dropped once done. *memory* keeps
    what a long-running process reuses in its next build: the template hashes and the fingerprints of
    unchanged search index pages (its Workers keep the compiled templates).
    """
    remember = memory is not None
    memory = memory if memory is not None else BuildMemory()
    # static files are copied below from what static/ holds now: a recorded one may have been removed
    kept = {path: value for path, value in plan.kept.items() if not value[0].startswith(STATIC_PRINT)}
    # a whole plan is checked as it goes; a partial one only if it brings paths the last build lacked
    claims = _Claims(statics, kept.keys()) if not kept else None
    planned: list[Page] = []
    output = config.output_dir
    existing, previous = plan.existing, plan.previous
    if memory.hasher is None:
        memory.hasher = TemplateHasher(make_environment(config))
    hasher, prints = memory.hasher, memory.prints
    salt = build_salt(config)
    report = BuildReport(unchanged=len(kept))
    recorded: dict[str, tuple[bytes, int]] = dict(kept)
    staging = Staging(config.cache_dir)
    bar = _Progress(progress)
    try:
        to_render: list[PackedPage] = []
        weight = 0
        for page in plan.pages:
            if claims is not None:
                claims.claim(page)
            else:
                planned.append(page)
            report.planned += 1
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
                    _render_batch(to_render, workers, staging, recorded, report, bar)
                    to_render, weight = [], 0
        _render_batch(to_render, workers, staging, recorded, report, bar)
        to_render = []
        bar.close()
        workers.close()  # nothing left to render: the workers' memory is not held through the commit
        if claims is None and _new_paths(planned, statics, previous):
            claims = _Claims(statics, kept.keys())
            for page in planned:
                claims.claim(page)
        del claims, planned
        report.pages = report.planned + len(kept) + len(statics)
        for relative, source in statics.items():
            recorded[relative] = _copy_static(relative, source, output, existing, previous, staging, report)
        stale = sorted(existing.keys() - recorded.keys())
        if staging.files or stale:
            cache.forget_pages()  # the rows stay as they are: record_pages below writes the difference
        if commit_guard is None and config.atomic_output:
            commit_swap(staging, output, stale, Scratch.for_output(output, config.cache_dir), plan.index)
        else:
            with commit_guard() if commit_guard else contextlib.nullcontext():
                commit_in_place(staging, output, stale)
    except BaseException:
        staging.discard()
        raise
    cache.record_pages(recorded, previous, plan.state)
    report.removed = len(stale)
    report.removed_paths = stale
    return report, recorded


def _new_paths(pages: list[Page], statics: dict[str, Path], previous: dict[str, tuple[bytes, int]]) -> bool:
    return any(page.path not in previous for page in pages) or any(path not in previous for path in statics)


def _render_batch(pages, workers, staging, recorded, report, bar) -> None:
    for page, outcome in zip(pages, workers.render(pages, staging.root), strict=False):  # in order
        path = page[0]  # this process's string, already a key of recorded (not the worker's copy)
        recorded[path] = (recorded[path][0], outcome.size)
        report.rendered += 1
        _count(report, staging, path, outcome.written)
        bar.update()


def _intact(path: str, print_: bytes, existing: dict[str, int], previous: dict) -> bool:
    """Same fingerprint as last build and the file still there with the size we wrote."""
    recorded = previous.get(path)
    return recorded is not None and recorded[0] == print_ and existing.get(path) == recorded[1]


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
    _count(report, staging, relative, stage_if_changed(output, staging.root, relative, data))
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
