"""What the last build knew of each image it used: the file's signature and its rendition.

An image whose signature (size, modification and change times, inode, device) is the one recorded is
the same file: its rendition is known without reading it (what git's index does for the work tree).
A file changed within :data:`SETTLE_SECONDS` of being recorded gets no signature, so a second change
within one timestamp tick cannot go unseen. The index also gives the digest of the images a build
used, part of its inputs digest: a no-change build stats them, reads none and does not even unpickle
their renditions (kept apart in the file for that).
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
FORMAT = "site_builder-image-index-1"
SETTLE_SECONDS = 5.0
Signature = tuple[int, int, int, int, int]
Entry = tuple[str, "Signature | None", Rendition]  # (file, signature or None, rendition)


def signature(info: os.stat_result) -> Signature:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def settled(info: os.stat_result, now: float | None = None) -> bool:
    """Changed long enough ago that a change after this look would show in the signature."""
    now = time.time() if now is None else now
    return now - max(info.st_mtime, info.st_ctime) >= SETTLE_SECONDS


class ImageIndex:
    """location -> (file path, signature or None, rendition) of every image the last build used."""

    def __init__(self, path: Path, settings: str) -> None:
        self.path, self.settings = path, settings
        self.changed = False
        self._entries: dict[str, Entry] | None = {}
        # as loaded, until the entries are needed: (locations, files, signatures), renditions' pickle
        self._stored: tuple[list[str], list[str], list[Signature | None]] = ([], [], [])
        self._renditions = b""
        self._digest: str | None = None

    @classmethod
    def load(cls, cache_dir: Path, settings: str) -> ImageIndex:
        """The index kept in the cache folder for these processing settings (else an empty one)."""
        index = cls(store_folder(cache_dir) / INDEX_FILE, settings)
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            form, stored_settings, digest, stored, renditions = pickle.loads(index.path.read_bytes())
            if form == FORMAT and stored_settings == settings:
                index._stored, index._renditions, index._digest = stored, renditions, digest
                index._entries = None  # made from those when first needed
        return index

    @property
    def entries(self) -> dict[str, Entry]:
        if self._entries is None:
            locations, files, signs = self._stored
            renditions = pickle.loads(self._renditions) if locations else []
            self._entries = {
                location: (file, sign, rendition)
                for location, file, sign, rendition in zip(locations, files, signs, renditions, strict=True)
            }
        return self._entries

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
            self._changed()

    def keep_only(self, locations: set[str]) -> None:
        for location in self.entries.keys() - locations:
            del self.entries[location]
            self._changed()

    def _changed(self) -> None:
        self.changed, self._digest = True, None

    def _flat(self) -> tuple[list[str], list[str], list[Signature | None]]:
        if self._entries is None:
            return self._stored
        locations = sorted(self._entries)
        entries = [self._entries[location] for location in locations]
        return locations, [e[0] for e in entries], [e[1] for e in entries]

    def current_digest(self) -> str:
        """The digest of the recorded images as the files are now (one stat each, no read): the
        recorded one while every file has its recorded signature."""
        locations, files, signs = self._flat()
        states: list[Signature | None] = []
        for file in files:
            try:
                states.append(signature(os.stat(file)))
            except OSError:
                states.append(None)
        if states == signs and None not in signs:
            return self.recorded_digest()
        return _digest(self.settings, locations, files, states, "now")

    def recorded_digest(self) -> str:
        """The digest :meth:`current_digest` gives while no recorded image changes (a file recorded
        without a signature never gives it: it is looked at again)."""
        if self._digest is None:
            self._digest = _digest(self.settings, *self._flat(), "recorded")
        return self._digest

    def keys(self) -> set[str]:
        return {rendition.key for _, _, rendition in self.entries.values()}

    def save(self) -> None:
        """Write the index if it changed (atomically: a killed build leaves the old one or none)."""
        if not self.changed:
            return
        locations, files, signs = self._flat()
        renditions = pickle.dumps([self.entries[location][2] for location in locations], protocol=5)
        data = (FORMAT, self.settings, self.recorded_digest(), (locations, files, signs), renditions)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(data, protocol=5))
        os.replace(temporary, self.path)
        self.changed = False


def _digest(settings: str, locations: list, files: list, signs: list, kind: str) -> str:
    data = (settings, locations, files, [s if s is not None else kind for s in signs])
    return hashlib.sha256(pickle.dumps(data, protocol=5)).hexdigest()
