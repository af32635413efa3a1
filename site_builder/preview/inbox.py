"""``serve --import-from inbox/``: import raw articles dropped into a folder while the preview runs.

An imported file moves to ``inbox/imported/``; a file the importer refuses or skips stays in place and
is retried only once its bytes change. The import writes into content/, which the site's own watcher
sees, so an imported article appears in the browser through the ordinary rebuild.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import TextIO

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.importer import ImportOptions, import_sources
from site_builder.preview.rebuild import stamp
from site_builder.preview.watcher import SiteWatcher, is_ignored_name

IMPORTED_FOLDER = "imported"


class InboxImporter:
    """Watches one folder and imports each new or changed file in it through the importer's API."""

    def __init__(self, inbox: Path, config: SiteConfig, poll: bool, out: TextIO) -> None:
        self.inbox = inbox.resolve()
        self.config = config
        self.out = out
        self.failed: dict[Path, str] = {}  # path -> SHA-256 of the bytes that failed
        self._watcher = SiteWatcher(
            self.inbox,
            self._on_change,
            dirs=[self.inbox],
            files=[],
            poll=poll,
            ignored=[self.inbox / IMPORTED_FOLDER],
        )

    def start(self) -> None:
        self.inbox.mkdir(parents=True, exist_ok=True)
        self._say(f"importing articles dropped into {self.inbox}")
        self._on_change(frozenset(self.inbox.iterdir()))
        self._watcher.start()

    def stop(self) -> None:
        self._watcher.stop()

    def _on_change(self, paths: frozenset[Path]) -> None:
        for path in sorted(paths):
            if path.parent == self.inbox and path.is_file() and not is_ignored_name(path.name):
                self.import_one(path)

    def import_one(self, path: Path) -> bool:
        """Import *path*; True when it was imported and moved to ``imported/``."""
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if self.failed.get(path) == digest:
            return False
        problem = self._import(path)
        if problem is None:
            self.failed.pop(path, None)
            done = self.inbox / IMPORTED_FOLDER
            done.mkdir(exist_ok=True)
            shutil.move(str(path), done / path.name)
            self._say(f"{stamp()} imported {path.name}")
            return True
        self.failed[path] = digest
        self._say(f"{stamp()} import of {path.name} failed, left in place: {problem}")
        return False

    def _import(self, path: Path) -> str | None:
        """None when *path* was imported; else why not."""
        options = ImportOptions(into=self.config.content_dir, site_dir=self.config.site_dir)
        try:
            report = import_sources([path], options)
        except SiteError as error:
            return str(error)
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the server
            return f"{type(error).__name__}: {error}"
        if report.skipped:
            return "; ".join(reason for _, reason in report.skipped)
        return None

    def _say(self, line: str) -> None:
        print(line, file=self.out, flush=True)
