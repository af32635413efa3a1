"""A complete build: read, plan, render (phase 1), then commit (phase 2).

Phase 1 may fail and touches nothing in ``output/``; phase 2 only moves already rendered files into
place and removes stale ones. Pages whose fingerprint and file are unchanged are not even rendered,
and when no input changed at all (same content hashes, templates, static files, settings) the plan is
skipped altogether.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .cache import BuildCache
from .config import SiteConfig
from .content import Article
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
    stage_if_changed,
)
from .people import load_people_directory
from .planner import Page, plan_pages
from .readers import CONTENT_SUFFIXES, MAX_CONTENT_BYTES, content_key
from .render import TemplateHasher, build_salt, fingerprint, make_environment, theme_dir
from .search import update_index
from .site import Site, is_published
from .site import build_site as group_site
from .workers import ParseTask, default_jobs, parse_all, render_all

THEME_ASSETS = "assets"
CommitGuard = Callable[[], contextlib.AbstractContextManager]


@dataclass
class BuildReport:
    articles: int = 0
    pages: int = 0
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


@dataclass(frozen=True)
class Source:
    """One content file as read for this build."""

    source: str  # relative to content/, POSIX
    key: str
    path: str  # the bytes are read again only if the cache lacks this key (keeps memory flat)


def build_site(
    config: SiteConfig,
    *,
    drafts: bool = False,
    future: bool = False,
    progress: bool = False,
    now: dt.datetime | None = None,
    jobs: int | None = None,
    commit_guard: CommitGuard | None = None,
) -> BuildReport:
    """Build the site described by *config* into its output folder and report what changed.

    *jobs* worker processes parse and render (default: one per core); *commit_guard* (used by the dev
    server) is entered around phase 2 so that no request sees a half-committed site.
    """
    started = time.perf_counter()
    now = now or dt.datetime.now(dt.UTC)
    jobs = jobs or default_jobs()
    with build_lock(config.cache_dir):
        recover(config.output_dir, Scratch.for_output(config.output_dir, config.cache_dir))
        discard_orphans(config.cache_dir)
        cache = BuildCache(config.cache_dir)
        try:
            sources = read_sources(config)
            statics = static_files(config)
            dates = site_git_dates(config) if config.git_dates else None
            digest = inputs_digest(config, sources, statics, drafts, future, dates)
            report = _unchanged_report(cache, config, digest, now)
            if report is None:
                articles = load_articles(config, cache, sources, jobs)
                if dates is not None:
                    articles = apply_git_dates(config, articles, dates)
                published = [a for a in articles if is_published(a, now, drafts, future)]
                site = make_site(published, config)
                pages = plan_pages(site, config)
                pages.append(Page(f"{THEME_ASSETS}/pygments.css", "text", {"text": pygments_css()}))
                pages += update_index(cache, site.articles).stored_pages()
                report = render_and_commit(config, cache, pages, statics, progress, jobs, commit_guard)
                report.articles = len(published)
                cache.prune_articles({a.key for a in articles})  # commits the search texts too
                cache.set_meta("inputs", digest)
                cache.set_meta("articles", str(report.articles))
                cache.set_meta("next_change", _next_change(articles, now, future))
        finally:
            cache.close()
    report.seconds = time.perf_counter() - started
    return report


def read_sources(config: SiteConfig) -> list[Source]:
    """Read every content file once and key it by its bytes, path and reader settings."""
    version = renderer_version()
    sources = []
    for source, path in content_files(config):
        data = _read(path)
        sources.append(Source(source, content_key(source.encode() + b"\0" + data, config, version), path))
    return sources


def content_files(config: SiteConfig) -> list[tuple[str, str]]:
    """Markdown files under content/, sorted.

    Refused with a clear error rather than followed: symlinks leading outside the site, dangling or
    looping symlinks, anything that is not a regular file (a named pipe would hang the build) and names
    that are not valid UTF-8 (they could not be written into URLs).
    """
    root = str(config.content_dir)
    if not os.path.isdir(root):
        raise SiteError(f"no content folder at {root}", config.site_dir / "site.toml", field="content_dir")
    site_root = os.path.realpath(config.site_dir)
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        relative_folder = os.path.relpath(folder, root)
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(CONTENT_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            _check_content_file(path, name, os.path.islink(folder), site_root)
            relative = name if relative_folder == "." else f"{relative_folder}/{name}"
            found.append((relative.replace(os.sep, "/"), path))
    return found


def _check_content_file(path: str, name: str, in_linked_folder: bool, site_root: str) -> None:
    shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise SiteError("the file name is not valid UTF-8; rename the file", shown) from None
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
    config: SiteConfig,
    sources: list[Source],
    statics: dict[str, Path],
    drafts: bool,
    future: bool,
    dates: dict[str, FileDates] | None = None,
) -> str:
    """One hash of everything a build reads: if it matches the last build's, nothing can have changed."""
    digest = hashlib.sha256(
        f"{__version__}\0{renderer_version()}\0{config.fingerprint}\0{drafts}{future}".encode()
    )
    for item in sources:
        digest.update(item.key.encode())
    for folder in (config.templates_dir, theme_dir()):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and path.suffix in {".html", ".xml", ".txt", ".css", ".js", ".svg"}:
                digest.update(f"\0{path}\0".encode() + path.read_bytes())
    for relative, path in statics.items():
        digest.update(f"\0{relative}\0".encode() + path.read_bytes())
    if dates is not None:  # committing a file changes its git dates, not its bytes
        digest.update(b"\0git-dates\0" + dates_fingerprint(dates).encode())
    people = config.site_dir / "people.toml"
    if people.exists():
        digest.update(b"\0people\0" + people.read_bytes())
    return digest.hexdigest()


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


def load_articles(config: SiteConfig, cache: BuildCache, sources: list[Source], jobs: int) -> list[Article]:
    """Every article of the site, taken from the cache by content key or parsed (in parallel)."""
    cached = cache.articles([item.key for item in sources])
    tasks = [ParseTask(item.source, item.key, _read(item.path)) for item in sources if item.key not in cached]
    results = parse_all(tasks, config, jobs)
    errors = [result for result in results if isinstance(result, SiteError)]
    if errors:
        raise BuildErrors(errors)
    fresh = [result for result in results if not isinstance(result, SiteError)]
    cache.store_articles(fresh)
    parsed = {article.key: article for article, _ in fresh}
    return [cached.get(item.key) or parsed[item.key] for item in sources]


def make_site(articles: list[Article], config: SiteConfig) -> Site:
    """Group articles, applying the editor's corrections from people.toml."""
    directory = load_people_directory(config.site_dir)
    return group_site(articles, directory.canonical, directory.bio)


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


def _refuse_collisions(pages: list[Page], statics: dict[str, Path]) -> None:
    """Two sources on one output file, or a file where another output needs a folder, are errors."""
    owners: dict[str, Page] = {}
    for page in pages:
        if page.path in owners or page.path in statics:
            first = owners.get(page.path)
            other = first.source or first.url if first else str(statics[page.path])
            raise SiteError(
                f"two sources would write output/{page.path}: {page.source or page.kind} and {other}",
                page.source,
            )
        owners[page.path] = page
    files = owners.keys() | statics.keys()
    for path in sorted(files):
        cut = path.rfind("/")
        while cut > 0:  # every parent folder of the path (string slicing: this runs for every file)
            parent = path[:cut]
            if parent in files:
                owner = owners.get(parent)
                source = owner.source if owner and owner.source else parent
                raise SiteError(
                    f"output/{parent} is a file, but output/{path} needs it to be a folder "
                    f"(check the aliases and slugs of {source})",
                    source,
                )
            cut = path.rfind("/", 0, cut)


def render_and_commit(
    config: SiteConfig,
    cache: BuildCache,
    pages: list[Page],
    statics: dict[str, Path],
    progress: bool,
    jobs: int,
    commit_guard: CommitGuard | None,
) -> BuildReport:
    _refuse_collisions(pages, statics)
    output = config.output_dir
    existing = file_sizes(output)  # path -> size
    previous = cache.page_fingerprints()
    hasher = TemplateHasher(make_environment(config))
    salt = build_salt(config)
    report = BuildReport(pages=len(pages) + len(statics))
    recorded: dict[str, tuple[str, int]] = {}
    staging = Staging(config.cache_dir)
    try:
        to_render: list[Page] = []
        for page in pages:
            print_ = fingerprint(page, hasher, salt)
            if _intact(page.path, print_, existing, previous):
                recorded[page.path] = (print_, previous[page.path][1])
                report.unchanged += 1
            else:
                recorded[page.path] = (print_, -1)
                to_render.append(page)
        for outcome in _progress(render_all(to_render, config, staging.root, jobs), len(to_render), progress):
            recorded[outcome.path] = (recorded[outcome.path][0], outcome.size)
            report.rendered += 1
            _count(report, staging, outcome.path, outcome.written)
        for relative, source in statics.items():
            recorded[relative] = _copy_static(relative, source, output, existing, previous, staging, report)
        stale = sorted(existing.keys() - recorded.keys())
        if staging.files or stale:
            cache.forget_pages()
        if commit_guard is None and config.atomic_output:
            commit_swap(staging, output, stale, Scratch.for_output(output, config.cache_dir))
        else:
            with commit_guard() if commit_guard else contextlib.nullcontext():
                commit_in_place(staging, output, stale)
    except BaseException:
        staging.discard()
        raise
    cache.replace_page_fingerprints(recorded)
    report.removed = len(stale)
    report.removed_paths = stale
    return report


def _intact(path: str, print_: str, existing: dict[str, int], previous: dict) -> bool:
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


def _copy_static(relative, source, output, existing, previous, staging, report) -> tuple[str, int]:
    data = source.read_bytes()
    print_ = "file:" + hashlib.sha256(data).hexdigest()
    if _intact(relative, print_, existing, previous):
        report.unchanged += 1
        return print_, len(data)
    _count(report, staging, relative, stage_if_changed(output, staging.root, relative, data))
    return print_, len(data)


def _progress(outcomes, total: int, enabled: bool):
    if not enabled or total < 500:
        return outcomes
    from tqdm import tqdm

    return tqdm(outcomes, total=total, desc="rendering", unit="page", leave=False)
