"""Extracted articles kept on disk between extraction and writing.

Giving one person one name across an archive needs every article's people before any is written;
keeping the articles themselves in memory until then would make memory grow with the archive. The
spool is an anonymous temporary file (already unlinked, so nothing is left behind, even by a killed
import) that only this process writes and reads back, in order.
"""

from __future__ import annotations

import contextlib
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


class Spool:
    """Append objects, then read them back in the same order."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self.count = 0

    def append(self, value: Any) -> None:
        pickle.dump(value, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[Any]:
        self._file.flush()
        self._file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self._file)  # written by this process, in a file no other can open


@contextlib.contextmanager
def open_spool(folder: Path | None = None) -> Iterator[Spool]:
    """A spool in an unlinked temporary file in *folder* (the system's temporary folder if None)."""
    with tempfile.TemporaryFile(dir=folder) as file:
        yield Spool(file)
