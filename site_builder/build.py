"""A complete build: read, plan, render (phase 1), then commit (phase 2).

Phase 1 may fail and touches nothing in ``output/``; phase 2 only moves already rendered files into
place and removes stale ones. Pages whose fingerprint and file are unchanged are not even rendered.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .cache import BuildCache
from .config import SiteConfig
from .content import Article, ArticleBody
from .errors import BuildLockedError, SiteError
from .markup import MarkdownRenderer, pygments_css, renderer_version
from .output import Staging, commit, existing_files
from .planner import Page, plan_pages
from .readers import CONTENT_SUFFIXES, content_key, read_article
from .render import PageRenderer, TemplateHasher, build_salt, fingerprint, theme_dir
from .site import Site, is_published
from .site import build_site as group_site

THEME_ASSETS = "assets"


@dataclass
class BuildReport:
    articles: int = 0
    pages: int = 0
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
    commit_guard: Callable[[], contextlib.AbstractContextManager] | None = None,
) -> BuildReport:
    """Build the site described by *config* into its output folder and report what changed.

    *commit_guard* (used by the dev server) is entered around phase 2 so that no request sees a
    half-committed site.
    """
    started = time.perf_counter()
    now = now or dt.datetime.now(dt.UTC)
    with build_lock(config.cache_dir):
        cache = BuildCache(config.cache_dir)
        try:
            articles = load_articles(config, cache)
            published = [a for a in articles if is_published(a, now, drafts, future)]
            site = make_site(published, config)
            pages = plan_pages(site, config)
            pages.append(Page(f"{THEME_ASSETS}/pygments.css", "text", {"text": pygments_css()}))
            report = render_and_commit(config, cache, pages, progress, commit_guard)
            cache.prune_articles({a.key for a in articles})
        finally:
            cache.close()
    report.articles = len(published)
    report.seconds = time.perf_counter() - started
    return report


def content_files(config: SiteConfig) -> list[tuple[str, Path]]:
    """Markdown files under content/, sorted; symlinks leading outside the site are refused."""
    root = config.content_dir
    if not root.is_dir():
        raise SiteError(f"no content folder at {root}", config.site_dir / "site.toml", field="content_dir")
    site_root = os.path.realpath(config.site_dir)
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(CONTENT_SUFFIXES):
                continue
            path = Path(folder) / name
            real = os.path.realpath(path)
            if os.path.commonpath([real, site_root]) != site_root:
                raise SiteError("is a symlink to a file outside the site; refusing to read it", path)
            found.append((path.relative_to(root).as_posix(), path))
    return found


def load_articles(config: SiteConfig, cache: BuildCache) -> list[Article]:
    """Every article of the site, parsed or taken from the cache by content key."""
    version = renderer_version()
    keyed: list[tuple[str, str, bytes]] = []
    for source, path in content_files(config):
        data = path.read_bytes()
        keyed.append((source, content_key(source.encode() + b"\0" + data, config, version), data))
    cached = cache.articles([key for _, key, _ in keyed])
    renderer = MarkdownRenderer(config.allow_raw_html)
    fresh: list[tuple[Article, ArticleBody]] = []
    errors: list[SiteError] = []
    for source, key, data in keyed:
        if key in cached:
            continue
        try:
            fresh.append(read_article(data, source, config, renderer, key))
        except SiteError as error:
            errors.append(error)
    if errors:
        raise BuildErrors(errors)
    cache.store_articles(fresh)
    parsed = {a.key: a for a, _ in fresh}
    return [cached.get(key) or parsed[key] for _, key, _ in keyed]


def make_site(articles: list[Article], config: SiteConfig) -> Site:
    try:
        from .people import load_people_directory
    except ImportError:  # the people directory lands with the importer
        return group_site(articles)
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


def render_and_commit(
    config: SiteConfig,
    cache: BuildCache,
    pages: list[Page],
    progress: bool,
    commit_guard: Callable[[], contextlib.AbstractContextManager] | None,
) -> BuildReport:
    statics = static_files(config)
    _refuse_collisions(pages, statics)
    output = config.output_dir
    existing = existing_files(output)
    previous = cache.page_fingerprints()
    renderer = PageRenderer(config, cache.body)
    hasher = TemplateHasher(renderer.env)
    salt = build_salt(config)
    report = BuildReport(pages=len(pages) + len(statics))
    recorded: dict[str, tuple[str, int]] = {}
    staging = Staging(config.cache_dir)
    try:
        for page in _progress(pages, progress):
            print_ = fingerprint(page, hasher, salt)
            recorded[page.path] = _settle(page.path, print_, lambda p=page: renderer.render(p),
                                          output, existing, previous, staging, report)  # fmt: skip
        for relative, source in statics.items():
            print_ = _file_fingerprint(source)
            recorded[relative] = _settle(relative, print_, source.read_bytes, output, existing, previous,
                                         staging, report)  # fmt: skip
        stale = sorted(existing - recorded.keys())
        with commit_guard() if commit_guard else contextlib.nullcontext():
            commit(staging, output, stale)
    except BaseException:
        staging.discard()
        raise
    cache.replace_page_fingerprints(recorded)
    report.removed = len(stale)
    report.removed_paths = stale
    return report


def _file_fingerprint(path: Path) -> str:
    return "file:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _settle(path, print_, produce, output, existing, previous, staging, report) -> tuple[str, int]:
    """Decide one output file: skip it (same fingerprint, file intact), or render and stage if different."""
    target = output / path
    if path in existing and previous.get(path, ("", -1))[0] == print_:
        size = previous[path][1]
        with contextlib.suppress(OSError):
            if target.stat().st_size == size:
                report.unchanged += 1
                return print_, size
    data = produce()
    if path in existing:
        with contextlib.suppress(OSError):
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                report.unchanged += 1
                return print_, len(data)
    staging.add(path, data)
    report.written += 1
    report.changed_paths.append(path)
    return print_, len(data)


def _progress(pages: list[Page], enabled: bool):
    if not enabled or len(pages) < 500:
        return pages
    from tqdm import tqdm

    return tqdm(pages, desc="rendering", unit="page", leave=False)
