"""One rebuild after a burst of source changes, and what the terminal and the browser learn from it.

- The build's commit phase runs under the server's write lock (``build_site(commit_guard=...)``), so a
  request never sees a half-replaced site; the reload event is published only after the commit, so a
  browser never reloads onto a page that is not written yet.
- A failed build raises before touching ``output/``: the last good site keeps being served, the error
  (file and line) goes to the terminal and to an overlay in the page, and the next good build clears it.
- The configuration is re-read for every rebuild, so a ``site.toml`` change takes effect (its fingerprint
  makes the core re-render every page).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from site_builder.build import BuildReport, build_site
from site_builder.build.output.staging import existing_files
from site_builder.build.state.memory import BuildMemory
from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.preview.livereload import BuildErrorInfo, ReloadHub
from site_builder.preview.server import ReadWriteLock

ConfigLoader = Callable[[], SiteConfig]


@dataclass
class RebuildOutcome:
    """What one rebuild did, for the terminal line and for tests/benchmarks."""

    ok: bool
    report: BuildReport | None = None
    error: BuildErrorInfo | None = None
    milliseconds: float = 0.0


def error_info(error: BaseException, site_dir: Path) -> BuildErrorInfo:
    """The overlay's content: the first located error's file and line, and every message."""
    errors = getattr(error, "errors", None) or [error]
    first = next((e for e in errors if isinstance(e, SiteError) and e.path is not None), errors[0])
    path = ""
    line = None
    if isinstance(first, SiteError) and first.path is not None:
        path = display_path(Path(first.path), site_dir)
        line = first.line
    if isinstance(error, SiteError):
        message = str(error)
    else:  # a bug, not a user error: show enough to report it
        message = "".join(traceback.format_exception_only(type(error), error)).strip()
    return BuildErrorInfo(path, line, message)


def display_path(path: Path, site_dir: Path) -> str:
    """*path* relative to the site when it lies inside, as the terminal and the overlay show it."""
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            return path.relative_to(site_dir).as_posix()
    return path.as_posix()


def describe_changes(paths: frozenset[Path] | set[Path], site_dir: Path, limit: int = 3) -> str:
    """``content/a.md, templates/base.html and 4 more`` — what the rebuild line says changed."""
    names = sorted(display_path(p, site_dir) for p in paths)
    if not names:
        return "initial build"
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def pair_moves(removed: Sequence[str], added: Sequence[str], prefix: str = "/") -> dict[str, str]:
    """URL moves inferred from one build: per section (first path segment), exactly one page removed
    and exactly one new page added means the page moved (an edited title gives a new slug)."""
    by_section: dict[str, tuple[list[str], list[str]]] = {}
    for index, paths in enumerate((removed, added)):
        for path in paths:
            if path.endswith("index.html") and "/" in path:
                by_section.setdefault(path.split("/", 1)[0], ([], []))[index].append(path)
    moves = {}
    for gone, new in by_section.values():
        if len(gone) == 1 and len(new) == 1:
            moves[_page_url(gone[0], prefix)] = _page_url(new[0], prefix)
    return moves


def _page_url(output_path: str, prefix: str) -> str:
    return prefix + output_path[: -len("index.html")]


@dataclass
class PageTracker:
    """The HTML pages in output/, kept up to date from build reports (one folder walk at start)."""

    output_dir: Path
    prefix: str = "/"
    pages: set[str] | None = None

    def moves(self, report: BuildReport) -> dict[str, str]:
        if self.pages is None:
            self.pages = {p for p in existing_files(self.output_dir) if p.endswith("index.html")}
            return {}
        added = [p for p in report.changed_paths if p.endswith("index.html") and p not in self.pages]
        self.pages.difference_update(report.removed_paths)
        self.pages.update(added)
        return pair_moves(report.removed_paths, added, self.prefix)


@dataclass
class Rebuilder:
    """Runs one build per call; serialised by the caller (the debouncer's single thread)."""

    load: ConfigLoader
    drafts: bool = False
    future: bool = False
    lock: ReadWriteLock | None = None
    hub: ReloadHub | None = None
    out: TextIO = field(default_factory=lambda: sys.stdout)
    history: list[RebuildOutcome] = field(default_factory=list)
    pages: PageTracker | None = None
    silent: bool = False  # -q: print failures only
    memory: BuildMemory = field(default_factory=BuildMemory)  # what the next build need not redo
    _done: threading.Condition = field(default_factory=threading.Condition)
    _one_at_a_time: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, changed: frozenset[Path] = frozenset()) -> RebuildOutcome:
        with self._one_at_a_time:
            outcome = self._build(changed)
        with self._done:
            self.history.append(outcome)
            self._done.notify_all()
        return outcome

    def _build(self, changed: frozenset[Path]) -> RebuildOutcome:
        started = time.perf_counter()
        site_dir = Path(".")
        try:
            config = self.load()
            site_dir = config.site_dir
            report = build_site(
                config,
                drafts=self.drafts,
                future=self.future,
                commit_guard=self.lock.write if self.lock is not None else None,
                memory=self.memory,
                changed=changed or None,  # None: unknown, read every file
            )
        except Exception as exc:  # noqa: BLE001 - any failure keeps the last good site served
            return self._failed(error_info(exc, site_dir), changed, site_dir, started)
        return self._succeeded(report, config, changed, started)

    def _failed(
        self, info: BuildErrorInfo, changed: frozenset[Path], site_dir: Path, started: float
    ) -> RebuildOutcome:
        outcome = RebuildOutcome(False, error=info, milliseconds=_ms(started))
        if self.hub is not None:
            self.hub.publish_failure(info)
        self._print(True, f"{stamp()} {describe_changes(changed, site_dir)}: build failed\n  {info.message}")
        return outcome

    def _succeeded(
        self, report: BuildReport, config: SiteConfig, changed: frozenset[Path], started: float
    ) -> RebuildOutcome:
        outcome = RebuildOutcome(True, report=report, milliseconds=_ms(started))
        if self.hub is not None:
            if self.pages is None:
                self.pages = PageTracker(config.output_dir, config.path_prefix)
            self.hub.publish_success(self.pages.moves(report))
        self._print(
            not self.silent,
            f"{stamp()} {describe_changes(changed, config.site_dir)}: {report.written} files re-rendered, "
            f"{report.removed} removed, {report.unchanged} unchanged in {outcome.milliseconds:.0f} ms",
        )
        return outcome

    def _print(self, wanted: bool, line: str) -> None:
        if wanted:
            print(line, file=self.out, flush=True)

    def wait_for_builds(self, count: int, timeout: float) -> bool:
        """Block until ``count`` builds happened in total (tests and the benchmark use it)."""
        with self._done:
            return self._done.wait_for(lambda: len(self.history) >= count, timeout)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def stamp() -> str:
    """The time of day that starts every line the preview prints."""
    return time.strftime("[%H:%M:%S]")
