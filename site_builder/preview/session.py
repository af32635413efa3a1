"""``serve`` and ``watch``: rebuild on every burst of source changes; ``serve`` also previews in a browser.

The glue between the build core, the watcher and the dev server. Why the pieces are arranged this way:

- The build's commit phase runs under the server's write lock (``build_site(commit_guard=...)``), so a
  request never sees a half-replaced site; the reload event is published only after the commit, so a
  browser never reloads onto a page that is not written yet.
- A failed build raises before touching ``output/``: the last good site keeps being served, the error
  (file and line) goes to the terminal and to an overlay in the page, and the next good build clears it.
- The configuration is re-read for every rebuild, so a ``site.toml`` change takes effect (its fingerprint
  makes the core re-render every page).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import shutil
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from site_builder.build.output.commit import existing_files
from site_builder.build.pipeline import BuildReport, build_site
from site_builder.build.state.memory import BuildMemory
from site_builder.config import SiteConfig, load_config
from site_builder.errors import SiteError
from site_builder.preview.server import BuildErrorInfo, DevServer, ReadWriteLock, ReloadHub
from site_builder.preview.watcher import DEFAULT_QUIET_SECONDS, WATCHED_FILES, SiteWatcher, is_ignored_name
from site_builder.render.translations import SITE_LOCALES

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
        path = _display_path(Path(first.path), site_dir)
        line = first.line
    if isinstance(error, SiteError):
        message = str(error)
    else:  # a bug, not a user error: show enough to report it
        message = "".join(traceback.format_exception_only(type(error), error)).strip()
    return BuildErrorInfo(path, line, message)


def _display_path(path: Path, site_dir: Path) -> str:
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            return path.relative_to(site_dir).as_posix()
    return path.as_posix()


def describe_changes(paths: frozenset[Path] | set[Path], site_dir: Path, limit: int = 3) -> str:
    """``content/a.md, templates/base.html and 4 more`` — what the rebuild line says changed."""
    names = sorted(_display_path(p, site_dir) for p in paths)
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
    known: set[str] | None = None

    def moves(self, report: BuildReport) -> dict[str, str]:
        if self.known is None:
            self.known = {p for p in existing_files(self.output_dir) if p.endswith("index.html")}
            return {}
        added = [p for p in report.changed_paths if p.endswith("index.html") and p not in self.known]
        self.known.difference_update(report.removed_paths)
        self.known.update(added)
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
            guard = self.lock.write if self.lock is not None else None
            report = build_site(
                config,
                drafts=self.drafts,
                future=self.future,
                commit_guard=guard,
                memory=self.memory,
                changed=changed or None,  # None: unknown, read every file
            )
        except Exception as exc:  # noqa: BLE001 - any failure keeps the last good site served
            info = error_info(exc, site_dir)
            outcome = RebuildOutcome(False, error=info, milliseconds=_ms(started))
            if self.hub is not None:
                self.hub.publish_failure(info)
            self._print(
                True, f"{_stamp()} {describe_changes(changed, site_dir)}: build failed\n  {info.message}"
            )
        else:
            outcome = RebuildOutcome(True, report=report, milliseconds=_ms(started))
            if self.hub is not None:
                if self.pages is None:
                    self.pages = PageTracker(config.output_dir, config.path_prefix)
                self.hub.publish_success(self.pages.moves(report))
            self._print(
                not self.silent,
                f"{_stamp()} {describe_changes(changed, site_dir)}: {report.written} files re-rendered, "
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


def _stamp() -> str:
    return time.strftime("[%H:%M:%S]")


def site_watcher(
    config: SiteConfig,
    callback: Callable[[frozenset[Path]], None],
    poll: bool,
    debounce: float = DEFAULT_QUIET_SECONDS,
) -> SiteWatcher:
    """A watcher over the configured source folders; output/ and the cache are never watched."""
    return SiteWatcher(
        config.site_dir,
        callback,
        dirs=[config.content_dir, config.templates_dir, config.static_dir, config.site_dir / SITE_LOCALES],
        files=[config.site_dir / name for name in WATCHED_FILES],
        ignored=[config.output_dir, config.cache_dir],
        poll=poll,
        quiet=debounce,
    )


class PreviewSession:
    """Build once, then watch (and optionally serve) until ``stop()``; a context manager for tests."""

    def __init__(
        self,
        load: ConfigLoader,
        *,
        serve: bool = True,
        host: str = "127.0.0.1",
        port: int = 8000,
        poll: bool = False,
        live_reload: bool = True,
        drafts: bool = False,
        future: bool = False,
        import_from: Path | None = None,
        out: TextIO | None = None,
        debounce: float = DEFAULT_QUIET_SECONDS,
        silent: bool = False,
    ) -> None:
        self.out = out or sys.stdout
        self.config = load()
        if not self.config.content_dir.is_dir():
            raise SiteError(
                f"no content folder at {self.config.content_dir}; is --site the site's folder?",
                self.config.site_dir / "site.toml",
            )
        self.lock = ReadWriteLock()
        self.hub = ReloadHub() if serve and live_reload else None
        self.rebuild = Rebuilder(load, drafts, future, self.lock, self.hub, self.out, silent=silent)
        self.server: DevServer | None = None
        if serve:
            try:
                self.server = DevServer(
                    self.config.output_dir,
                    host,
                    port,
                    live_reload=live_reload,
                    lock=self.lock,
                    hub=self.hub,
                    prefix=self.config.path_prefix,
                )
            except OSError as error:
                raise SiteError(
                    f"cannot listen on {host}:{port}: {error.strerror or error}; "
                    "is another server running? try another --port (0 picks a free one)"
                ) from None
        self.poll = poll
        self.debounce = debounce
        self.watcher: SiteWatcher | None = None
        self.inbox: InboxImporter | None = None
        if import_from is not None:
            self.inbox = InboxImporter(import_from, self.config, poll, self.out)

    @property
    def url(self) -> str:
        if self.server is None:
            raise RuntimeError("not serving")
        return self.server.url.rstrip("/") + self.config.path_prefix

    def start(self) -> PreviewSession:
        # Watch first: an edit made during the initial build becomes one more rebuild, not a lost change.
        self.watcher = site_watcher(self.config, self.rebuild, self.poll, self.debounce).start()
        self.rebuild()
        if self.inbox is not None:
            self.inbox.start()
        if self.server is not None:
            self.server.start()
        return self

    def stop(self) -> None:
        if self.inbox is not None:
            self.inbox.stop()
        if self.watcher is not None:
            self.watcher.stop()
        if self.server is not None:
            self.server.stop()

    def __enter__(self) -> PreviewSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class InboxImporter:
    """``serve --import-from inbox/``: import files dropped into a folder, through the importer.

    The importer (``site_builder.importer``) is optional here: looked up lazily, skipped with a message
    when absent. An imported file moves to ``inbox/imported/``; a file that fails stays in place and is
    retried only once its bytes change. The import writes into content/, which the site watcher sees.
    """

    def __init__(self, inbox: Path, config: SiteConfig, poll: bool, out: TextIO) -> None:
        self.inbox = inbox.resolve()
        self.config = config
        self.out = out
        self.failed: dict[Path, str] = {}
        self.available = importlib.util.find_spec("site_builder.importer.run") is not None
        self._watcher = SiteWatcher(
            self.inbox,
            self._on_change,
            dirs=[self.inbox],
            files=[],
            poll=poll,
            ignored=[self.inbox / "imported"],
        )

    def start(self) -> None:
        if not self.available:
            print(
                "--import-from: site_builder.importer is not installed in this version; "
                "dropped files will not be imported",
                file=self.out,
                flush=True,
            )
            return
        self.inbox.mkdir(parents=True, exist_ok=True)
        print(f"importing articles dropped into {self.inbox}", file=self.out, flush=True)
        self._on_change(frozenset(self.inbox.iterdir()))
        self._watcher.start()

    def stop(self) -> None:
        self._watcher.stop()

    def _on_change(self, paths: frozenset[Path]) -> None:
        for path in sorted(paths):
            if path.parent == self.inbox and path.is_file() and not is_ignored_name(path.name):
                self.import_one(path)

    def import_one(self, path: Path) -> bool:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if self.failed.get(path) == digest:
            return False
        code, message = run_import_command(path, self.config.content_dir)
        if code == 0:
            self.failed.pop(path, None)
            done = self.inbox / "imported"
            done.mkdir(exist_ok=True)
            shutil.move(str(path), done / path.name)
            print(f"{_stamp()} imported {path.name}", file=self.out, flush=True)
            return True
        self.failed[path] = digest
        print(f"{_stamp()} import of {path.name} failed, left in place: {message}", file=self.out, flush=True)
        return False


def run_import_command(path: Path, content_dir: Path) -> tuple[int, str]:
    """Import one file through the ``import`` command's documented interface (issue 3:
    ``site-builder import SRC --into content/``); returns the exit code and any error text."""
    from site_builder.importer.run import add_import_command

    parser = argparse.ArgumentParser(prog="site-builder", exit_on_error=False)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true")
    common.add_argument("-q", "--quiet", action="store_true")
    commands = parser.add_subparsers(dest="command")
    _call_adder(add_import_command, commands, common)
    try:
        args = parser.parse_args(["import", str(path), "--into", str(content_dir), "--quiet"])
        return int(args.handler(args) or 0), ""
    except SiteError as error:
        return 1, str(error)
    except (argparse.ArgumentError, SystemExit) as error:
        return 2, f"the import command refused its arguments ({error})"
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the server
        return 1, f"{type(error).__name__}: {error}"


def _call_adder(adder: Callable[..., object], commands: object, common: argparse.ArgumentParser) -> None:
    """The lead's cli passes ``(subparsers, common)``; accept adders written for ``(subparsers)`` too."""
    try:
        adder(commands, common)
    except TypeError:
        adder(commands)


# ---------------------------------------------------------------- command line


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), help="site folder holding site.toml")
    parser.add_argument("--output", type=Path, help="output folder (default: output/ in the site)")
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    parser.add_argument("--future", action="store_true", help="include articles dated in the future")
    parser.add_argument("--base-url", help="override base_url from site.toml")
    parser.add_argument(
        "--max-seconds", type=float, help="stop by itself after this many seconds (scripts, CI)"
    )
    parser.add_argument(
        "--poll",
        action="store_true",
        help="poll for changes (Docker, WSL, network drives) instead of native events",
    )


def add_serve_command(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser | None = None):
    """Register ``serve``: build, serve on loopback, rebuild and reload the browser on every change."""
    parser = subparsers.add_parser(
        "serve",
        parents=[common] if common else [],
        help="build, serve and rebuild on changes",
        description="Build the site, serve it locally, rebuild on every change and reload the browser.",
    )
    _options(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    parser.add_argument("--no-reload", action="store_true", help="do not inject the live-reload script")
    parser.add_argument("--open", action="store_true", help="open the site in the default browser")
    parser.add_argument(
        "--import-from",
        type=Path,
        metavar="DIR",
        help="import raw articles dropped into DIR (needs the importer)",
    )
    parser.set_defaults(handler=cmd_serve)
    return parser


def add_watch_command(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser | None = None):
    """Register ``watch``: the same rebuilds into output/ without a server."""
    parser = subparsers.add_parser(
        "watch",
        parents=[common] if common else [],
        help="rebuild into output/ on every change",
        description="Build the site, then rebuild into output/ on every change (use with another server).",
    )
    _options(parser)
    parser.set_defaults(handler=cmd_watch)
    return parser


def config_loader(args: argparse.Namespace) -> ConfigLoader:
    overrides: dict[str, object] = {"base_url": args.base_url}
    if args.output is not None:
        overrides["output_dir"] = str(args.output.resolve())
    site = args.site
    return lambda: load_config(site, overrides)


def cmd_serve(args: argparse.Namespace) -> int:
    session = PreviewSession(
        config_loader(args),
        host=args.host,
        port=args.port,
        poll=args.poll,
        live_reload=not args.no_reload,
        drafts=args.drafts,
        future=args.future,
        import_from=args.import_from,
        silent=getattr(args, "quiet", False),
    )
    with session:
        print(f"serving {session.config.output_dir} at {session.url} (Ctrl+C to stop)", flush=True)
        if args.open:
            webbrowser.open(session.url)
        _wait_until_stopped(args.max_seconds)
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    silent = getattr(args, "quiet", False)
    with PreviewSession(
        config_loader(args),
        serve=False,
        poll=args.poll,
        drafts=args.drafts,
        future=args.future,
        silent=silent,
    ) as session:
        if not silent:
            print(f"watching {session.config.site_dir} (Ctrl+C to stop)", flush=True)
        _wait_until_stopped(args.max_seconds)
    return 0


def _wait_until_stopped(max_seconds: float | None) -> None:
    """Until Ctrl+C, or ``--max-seconds`` for scripts and tests (a server that stops by itself)."""
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    with contextlib.suppress(KeyboardInterrupt):
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.25)
