"""``serve`` and ``watch``: build once, then rebuild on every burst of source changes; ``serve`` also
previews the site in a browser and reloads it after each build.

The glue between the watcher (:mod:`site_builder.preview.watcher`), one rebuild
(:mod:`site_builder.preview.rebuild`), the dev server (:mod:`site_builder.preview.server`) and the inbox
import (:mod:`site_builder.preview.inbox`). The watcher starts before the first build, so an edit made
during it becomes one more rebuild rather than a lost change.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.plugins.finding import SITE_FOLDER
from site_builder.preview.inbox import InboxImporter
from site_builder.preview.livereload import ReloadHub
from site_builder.preview.rebuild import ConfigLoader, Rebuilder
from site_builder.preview.server import DevServer, ReadWriteLock
from site_builder.preview.watcher import DEFAULT_QUIET_SECONDS, WATCHED_FILES, SiteWatcher
from site_builder.render.translations import SITE_LOCALES


@dataclass(frozen=True)
class PreviewOptions:
    """How a preview runs: ``serve=False`` is ``watch`` (rebuilds only, no server)."""

    serve: bool = True
    host: str = "127.0.0.1"
    port: int = 8000  # 0 picks a free port
    poll: bool = False  # poll the file system instead of native events (Docker, WSL, network drives)
    live_reload: bool = True
    drafts: bool = False
    future: bool = False
    import_from: Path | None = None  # an inbox folder whose dropped files are imported
    debounce: float = DEFAULT_QUIET_SECONDS  # quiet time that ends a burst of changes
    silent: bool = False  # print failures only


def site_watcher(
    config: SiteConfig,
    callback: Callable[[frozenset[Path]], None],
    poll: bool,
    debounce: float = DEFAULT_QUIET_SECONDS,
) -> SiteWatcher:
    """A watcher over the configured source folders and the site's plugins; output/ and the cache are
    never watched."""
    return SiteWatcher(
        config.site_dir,
        callback,
        dirs=[
            config.content_dir,
            config.templates_dir,
            config.static_dir,
            config.site_dir / SITE_LOCALES,
            config.site_dir / SITE_FOLDER,
        ],
        files=[config.site_dir / name for name in WATCHED_FILES],
        ignored=[config.output_dir, config.cache_dir],
        poll=poll,
        quiet=debounce,
    )


class PreviewSession:
    """Build once, then watch (and optionally serve) until ``stop()``; a context manager for tests."""

    def __init__(
        self, load: ConfigLoader, options: PreviewOptions = PreviewOptions(), out: TextIO | None = None
    ) -> None:
        self.options = options
        self.out = out or sys.stdout
        self.config = load()
        if not self.config.content_dir.is_dir():
            raise SiteError(
                f"no content folder at {self.config.content_dir}; is --site the site's folder?",
                self.config.site_dir / "site.toml",
            )
        self.lock = ReadWriteLock()
        self.hub = ReloadHub() if options.serve and options.live_reload else None
        self.rebuild = Rebuilder(
            load, options.drafts, options.future, self.lock, self.hub, self.out, silent=options.silent
        )
        self.server = self._server() if options.serve else None
        self.watcher: SiteWatcher | None = None
        self.inbox: InboxImporter | None = None
        if options.import_from is not None:
            self.inbox = InboxImporter(options.import_from, self.config, options.poll, self.out)

    def _server(self) -> DevServer:
        host, port = self.options.host, self.options.port
        try:
            return DevServer(
                self.config.output_dir,
                host,
                port,
                live_reload=self.options.live_reload,
                lock=self.lock,
                hub=self.hub,
                prefix=self.config.path_prefix,
            )
        except OSError as error:
            raise SiteError(
                f"cannot listen on {host}:{port}: {error.strerror or error}; "
                "is another server running? try another --port (0 picks a free one)"
            ) from None

    @property
    def url(self) -> str:
        if self.server is None:
            raise RuntimeError("not serving")
        return self.server.url.rstrip("/") + self.config.path_prefix

    def start(self) -> PreviewSession:
        self.watcher = site_watcher(self.config, self.rebuild, self.options.poll, self.options.debounce)
        self.watcher.start()
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
