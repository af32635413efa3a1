"""Output path claims: two sources on one output file, or a file where a folder is needed, are refused."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from site_builder.errors import SiteError
from site_builder.model.page import Page


class OutputClaims:
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
