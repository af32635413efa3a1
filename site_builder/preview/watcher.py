"""Watch a site's sources and call back once per burst of changes.

Why this shape: editors save in bursts (vim: ``4913`` probe, rename to ``foo.md~``, create ``foo.md``,
delete the backup; emacs: ``.#foo.md`` locks) and a build writes hundreds of files. So events are
filtered (swap/backup files, output/, caches, VCS folders never count), collected into a set, and handed
over only after ~50 ms of quiet — one rebuild per burst, however many files changed. Callbacks run one
at a time on the debouncer's thread; changes that arrive during a rebuild become the next burst.

output/ and the cache are never *scheduled* for watching (not merely filtered), so a build cannot feed
events back into the watcher and polling stays cheap on large sites.
"""

from __future__ import annotations

import fnmatch
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

DEFAULT_QUIET_SECONDS = 0.05  # editors finish a save (write, rename, delete backup) well within this
DEFAULT_MAX_WAIT_SECONDS = 2.0
WATCHED_DIRS = ("content", "templates", "static")
WATCHED_FILES = ("site.toml", "people.toml", "authors.toml")

# Editor droppings: vim swap/probe/backup, emacs locks and autosaves, JetBrains safe-write, OS litter.
IGNORED_NAME_PATTERNS: tuple[str, ...] = (
    "*.swp",
    "*.swx",
    "*.swo",
    "*.swn",
    "*~",
    ".#*",
    "#*#",
    "4913",
    "sed??????",
    "*___jb_tmp___",
    "*___jb_old___",
    "*.crswap",
    ".DS_Store",
    "Thumbs.db",
)
IGNORED_DIR_NAMES = frozenset({".git", ".hg", ".svn", "__pycache__", ".site-cache", "output", "node_modules"})
RELEVANT_EVENTS = frozenset(
    {EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED}
)

ChangeCallback = Callable[[frozenset[Path]], None]


def is_ignored_name(name: str) -> bool:
    """True for editor swap, backup, lock and probe files (vim ``4913``, ``.foo.swp``, ``foo~``...)."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in IGNORED_NAME_PATTERNS)


def is_ignored_path(path: Path, ignored_dirs: Iterable[Path] = (), root: Path | None = None) -> bool:
    """True when a path is an editor dropping, inside a VCS/cache/output folder, or under ``ignored_dirs``.

    Folder names are only checked below ``root``: a site living in ``~/output/news`` is still watched.
    """
    if is_ignored_name(path.name):
        return True
    inside = path
    if root is not None and path.is_relative_to(root):
        inside = path.relative_to(root)
    if any(part in IGNORED_DIR_NAMES for part in inside.parts[:-1]):
        return True
    return any(path == d or d in path.parents for d in ignored_dirs)


@dataclass
class Burst:
    """Pure debounce bookkeeping (no threads, no clock of its own) so the timing rules are unit-testable.

    A burst is due when ``quiet`` seconds passed since its last event, or ``max_wait`` since its first
    (a file rewritten continuously must still get rebuilt eventually).
    """

    quiet: float = DEFAULT_QUIET_SECONDS
    max_wait: float = DEFAULT_MAX_WAIT_SECONDS
    paths: set[Path] = field(default_factory=set)
    first: float | None = None
    last: float | None = None

    def add(self, path: Path, now: float) -> None:
        self.paths.add(path)
        if self.first is None:
            self.first = now
        self.last = now

    def seconds_until_due(self, now: float) -> float | None:
        """None when there is nothing pending, 0 when due, else how long to wait."""
        if self.first is None or self.last is None:
            return None
        deadline = min(self.last + self.quiet, self.first + self.max_wait)
        return max(0.0, deadline - now)

    def take(self) -> frozenset[Path]:
        taken = frozenset(self.paths)
        self.paths.clear()
        self.first = self.last = None
        return taken


class Debouncer:
    """Collects changed paths from any thread; calls ``callback`` on its own thread once per burst."""

    def __init__(
        self,
        callback: ChangeCallback,
        quiet: float = DEFAULT_QUIET_SECONDS,
        max_wait: float = DEFAULT_MAX_WAIT_SECONDS,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._callback = callback
        self._on_error = on_error
        self._burst = Burst(quiet, max_wait)
        self._cond = threading.Condition()
        self._closed = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="rebuild-debouncer", daemon=True)
        self._thread.start()

    def add(self, path: Path) -> None:
        with self._cond:
            self._burst.add(path, time.monotonic())
            self._cond.notify_all()

    def idle(self) -> bool:
        """True when nothing is pending and no callback is running (tests and benchmarks wait on it)."""
        with self._cond:
            return not self._busy and self._burst.first is None

    def close(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def _next_batch(self) -> frozenset[Path] | None:
        with self._cond:
            while not self._closed:
                wait = self._burst.seconds_until_due(time.monotonic())
                if wait == 0:
                    self._busy = True
                    return self._burst.take()
                self._cond.wait(wait)
            return None

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self._callback(batch)
            except Exception as exc:  # a failing rebuild must not kill the watcher
                if self._on_error is not None:
                    self._on_error(exc)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()


class _Handler(FileSystemEventHandler):
    """Turns watchdog events into relevant paths for the debouncer."""

    def __init__(self, accept: Callable[[Path], bool], sink: Callable[[Path], None]) -> None:
        self._accept = accept
        self._sink = sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in RELEVANT_EVENTS:
            return
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return  # a folder's mtime changes with every child event: pure noise
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        for raw in paths:
            if not raw:
                continue
            path = Path(_text(raw))
            if self._accept(path):
                self._sink(path)


def _text(raw: str | bytes) -> str:
    return raw.decode(errors="surrogateescape") if isinstance(raw, bytes) else raw


class SiteWatcher:
    """Watches a site's source folders and files; ``callback`` gets one set of paths per burst.

    ``dirs`` are watched recursively, ``files`` via a non-recursive watch of their folder (which also
    notices a watched folder being created later). ``ignored`` folders are never reported.
    """

    def __init__(
        self,
        site_dir: Path,
        callback: ChangeCallback,
        *,
        dirs: Iterable[Path] | None = None,
        files: Iterable[Path] | None = None,
        ignored: Iterable[Path] = (),
        poll: bool = False,
        poll_interval: float = 0.5,
        quiet: float = DEFAULT_QUIET_SECONDS,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.site_dir = Path(site_dir).resolve()
        self.dirs = [self._absolute(d) for d in (dirs if dirs is not None else WATCHED_DIRS)]
        self.files = {self._absolute(f) for f in (files if files is not None else WATCHED_FILES)}
        self.ignored = [self._absolute(d) for d in ignored]
        self._observer: BaseObserver = PollingObserver(timeout=poll_interval) if poll else Observer()
        self._callback = callback
        self._quiet = quiet
        self._on_error = on_error
        self._debouncer: Debouncer | None = None
        self._scheduled: set[Path] = set()
        self._lock = threading.Lock()

    def _absolute(self, path: Path | str) -> Path:
        path = Path(path)
        return (path if path.is_absolute() else self.site_dir / path).resolve()

    def accepts(self, path: Path) -> bool:
        """Is a change at ``path`` a reason to rebuild?"""
        if is_ignored_path(path, self.ignored, self.site_dir):
            return False
        if path in self.files:
            return True
        return any(path == d or d in path.parents for d in self.dirs)

    def start(self) -> SiteWatcher:
        """Watch from now on: watchdog's Observer.start() sets up the inotify watches and takes the
        polling snapshot before it returns, so a change made after this call is seen."""
        self._debouncer = Debouncer(self._callback, quiet=self._quiet, on_error=self._on_error)
        parents = {f.parent for f in self.files} | {d.parent for d in self.dirs}
        for parent in sorted(parents):
            if parent.is_dir():
                self._observer.schedule(_Handler(self.accepts, self._top_level_event), str(parent))
        for directory in self.dirs:
            self._schedule_dir(directory)
        self._observer.start()
        return self

    def _schedule_dir(self, directory: Path) -> None:
        with self._lock:
            if directory in self._scheduled or not directory.is_dir():
                return
            self._scheduled.add(directory)
        handler = _Handler(self.accepts, self._add)
        self._observer.schedule(handler, str(directory), recursive=True)

    def _top_level_event(self, path: Path) -> None:
        """Events from the parent folders: watched files, and watched folders appearing later."""
        if path in self.dirs:
            self._schedule_dir(path)
        if path in self.files or path in self.dirs:
            self._add(path)

    def _add(self, path: Path) -> None:
        if self._debouncer is not None:
            self._debouncer.add(path)

    def idle(self) -> bool:
        return self._debouncer is None or self._debouncer.idle()

    def stop(self) -> None:
        """Stop watching; safe to call whether or not ``start()`` ran."""
        if self._debouncer is None:
            return
        self._observer.stop()
        self._observer.join(timeout=5)
        self._debouncer.close()
        self._debouncer = None

    def __enter__(self) -> SiteWatcher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
