"""What the last build knew of each image it used: the file's signature and its rendition.

An image whose signature (size, modification and change times, inode, device) is the one recorded is
the same file: its rendition is known without reading it (what git's index does for the work tree).
A file changed within :data:`SETTLE_SECONDS` of being recorded gets no signature, so a second change
within one timestamp tick cannot go unseen. The index also gives the digest of the images a build
used, part of its inputs digest: a no-change build stats them and reads none.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from pathlib import Path

from site_builder.images.store import store_folder
from site_builder.model.image import Rendition

INDEX_FILE = "index.pickle"
SETTLE_SECONDS = 5.0
Signature = tuple[int, int, int, int, int]
_UNSETTLED = "unsettled"  # never equal to a file's signature


def signature(info: os.stat_result) -> Signature:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def settled(info: os.stat_result, now: float | None = None) -> bool:
    """Changed long enough ago that a change after this look would show in the signature."""
    now = time.time() if now is None else now
    return now - max(info.st_mtime, info.st_ctime) >= SETTLE_SECONDS


class ImageIndex:
    """location -> (file path, signature or None, rendition) of every image the last build used."""

    def __init__(self, path: Path, settings: str, entries: dict | None = None) -> None:
        self.path, self.settings = path, settings
        self.entries: dict[str, tuple[str, Signature | None, Rendition]] = entries or {}
        self.changed = False

    @classmethod
    def load(cls, cache_dir: Path, settings: str) -> ImageIndex:
        """The index kept in the cache folder for these processing settings (else an empty one)."""
        path = store_folder(cache_dir) / INDEX_FILE
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            stored_settings, entries = pickle.loads(path.read_bytes())
            if stored_settings == settings and isinstance(entries, dict):
                return cls(path, settings, entries)
        return cls(path, settings)

    def known(self, location: str, file: str, info: os.stat_result) -> Rendition | None:
        """The recorded rendition of *location* if it is still this file with this signature."""
        entry = self.entries.get(location)
        if entry is None or entry[0] != file or entry[1] is None or entry[1] != signature(info):
            return None
        return entry[2]

    def record(self, location: str, file: str, info: os.stat_result | None, rendition: Rendition) -> None:
        sign = signature(info) if info is not None and settled(info) else None
        if self.entries.get(location) != (file, sign, rendition):
            self.entries[location] = (file, sign, rendition)
            self.changed = True

    def keep_only(self, locations: set[str]) -> None:
        for location in self.entries.keys() - locations:
            del self.entries[location]
            self.changed = True

    def current_digest(self) -> str:
        """The digest of the recorded images as the files are now (one stat each, no read)."""
        digest = hashlib.sha256(self.settings.encode())
        for location in sorted(self.entries):
            file = self.entries[location][0]
            try:
                state = repr(signature(os.stat(file)))
            except OSError:
                state = "missing"
            digest.update(f"\0{location}\0{file}\0{state}".encode())
        return digest.hexdigest()

    def recorded_digest(self) -> str:
        """The digest :meth:`current_digest` gives while no recorded image changes."""
        digest = hashlib.sha256(self.settings.encode())
        for location in sorted(self.entries):
            file, sign, _ = self.entries[location]
            state = repr(sign) if sign is not None else _UNSETTLED
            digest.update(f"\0{location}\0{file}\0{state}".encode())
        return digest.hexdigest()

    def keys(self) -> set[str]:
        return {rendition.key for _, _, rendition in self.entries.values()}

    def save(self) -> None:
        """Write the index if it changed (atomically: a killed build leaves the old one or none)."""
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps((self.settings, self.entries), protocol=5))
        os.replace(temporary, self.path)
        self.changed = False
