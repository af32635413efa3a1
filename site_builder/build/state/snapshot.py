"""What a CLI build keeps in the cache so that the next one after a small edit costs little.

A long-running process keeps the last build's state in memory (:mod:`site_builder.session`); a CLI
build starts from the disk. Two things spare it most of the work of reading the whole archive again:

- **File signatures** (:class:`SourceStats`): for each content file, the ``(size, mtime_ns, ctime_ns,
  inode, device)`` of the bytes its content key was computed from. A file whose signature is equal in
  every field keeps its key without being read again (what git's index, make and Hugo rely on). The
  ctime cannot be set by tools that restore an mtime, and a signature is only recorded when the file's
  mtime and ctime are older than the build by RACY_NS (a file changed again within the same timestamp
  tick after it was read could otherwise keep an equal signature; 5 s is more than twice the coarsest
  granularity, FAT's 2 s): such files are simply read every time. Signatures are only trusted under
  the same settings digest (which covers the reader settings in the content keys). Nothing else is
  decided from them: which pages change is still decided from fingerprints of what each page reads.
- **The site model** (:class:`ModelSnapshot`): every parsed article, the published ones and the grouped
  site, as one pickle file (MODEL_FILE, streamed in and out: no copy of the whole pickle is held),
  together with the content key of every file it was made from. The next build
  compares those keys with the files' keys now: unchanged articles are taken from the snapshot, changed
  ones are swapped into its site model when their edits keep the structure (as the dev server does),
  and anything else groups the site afresh. So a snapshot from any earlier build is correct to use,
  never trusted beyond the keys it records; it is written again once it lags too far behind.

A blob that is missing, unreadable, from another version or other settings is ignored, and so is one
whose tag does not verify under this machine's key (:mod:`site_builder.integrity`): it is never
unpickled.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import pickle
import sys
import time
from dataclasses import dataclass

from site_builder.build.state.cache import BuildCache
from site_builder.integrity import TAG_BYTES, new_mac
from site_builder.model.article import Article
from site_builder.model.people import PeopleDirectory
from site_builder.model.site import Site
from site_builder.plan.incremental import structure_digest
from site_builder.render.fingerprint import KnownHashes
from site_builder.search.documents import remember_documents
from site_builder.sources.files import Source
from site_builder.version import __version__

FORMAT = f"site_builder-snapshot-3;{__version__};{sys.version}".encode()
STATS_KEY = "source-stats"
MODEL_FILE = "model.pickle"  # in the cache folder: streamed, so no copy of the whole pickle is held
MODEL_CONTEXT = b"model-snapshot"  # what its tag authenticates (see site_builder.integrity)
CHUNK_BYTES = 1 << 20
TEMPLATES_KEY = "template-hashes"
RACY_NS = 5_000_000_000  # a signature is recorded only for files last changed before this long ago
REWRITE_AFTER = 16  # content files whose key differs from the model's before it is written again

Signature = tuple[int, int, int, int, int]


def signature(info: os.stat_result) -> Signature:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def clock_ns() -> int:
    return time.time_ns()


class SourceStats:
    """The signatures known from the last build and those of this one (see the module docstring)."""

    def __init__(self, known: dict[str, tuple[Signature, str]] | None = None) -> None:
        self.known = known or {}
        self.current: dict[str, tuple[Signature, str]] = {}
        self.started = clock_ns()  # before any file is read
        self.reused = 0

    def key(self, source: str, info: os.stat_result) -> str | None:
        """The content key of *source* if its signature is exactly the one recorded, else None."""
        entry = self.known.get(source)
        if entry is None or entry[0] != signature(info):
            return None
        self.current[source] = entry
        self.reused += 1
        return entry[1]

    def record(self, source: str, info: os.stat_result, key: str) -> None:
        """*key* was computed from the bytes read after *info* was taken (fstat of the open file)."""
        if max(info.st_mtime_ns, info.st_ctime_ns) < self.started - RACY_NS:
            self.current[source] = (signature(info), key)

    @classmethod
    def load(cls, cache: BuildCache, settings: str) -> SourceStats:
        value = _load(cache, STATS_KEY)
        if not (isinstance(value, tuple) and len(value) == 2 and value[0] == settings):
            return cls()
        known = value[1]
        if not isinstance(known, dict) or not all(
            type(entry) is tuple and len(entry) == 2 and type(entry[1]) is str for entry in known.values()
        ):
            return cls()
        return cls(known)

    def save(self, cache: BuildCache, settings: str) -> None:
        """Store this build's signatures, if they differ from those loaded."""
        if self.current != self.known:
            _store(cache, STATS_KEY, (settings, self.current))


@dataclass
class ModelSnapshot:
    """The site model of a build and what it was made from (see the module docstring)."""

    settings: str  # settings digest, with the drafts and future flags
    keys: dict[str, str]  # content file -> content key, of every file read
    articles: dict[str, Article]  # every parsed article by content key (drafts and future ones too)
    published: dict[str, Article]  # the raw published articles, by content file
    site: Site  # grouped from them
    directory: PeopleDirectory  # people.toml as it was (covered by the settings digest)
    structure: str  # the structure digest of the site (build.structure_digest)

    def differences(self, keys: dict[str, str]) -> int:
        """How many content files differ from the snapshot (changed, added or removed)."""
        known = self.keys
        changed = sum(1 for source, key in keys.items() if known.get(source) != key)
        return changed + len(known.keys() - keys.keys())

    @classmethod
    def load(cls, cache: BuildCache, settings: str) -> ModelSnapshot | None:
        """The snapshot in the cache folder, if its tag verifies (read once to check, once to load:
        it is never held twice in memory) and it was made under *settings*."""
        try:
            with open(cache.path.parent / MODEL_FILE, "rb") as handle:
                if handle.read(len(FORMAT) + 1) != FORMAT + b"\0":
                    return None
                expected = handle.read(TAG_BYTES)
                start = handle.tell()
                mac = new_mac(MODEL_CONTEXT)
                while chunk := handle.read(CHUNK_BYTES):
                    mac.update(chunk)
                if not hmac.compare_digest(mac.digest(), expected):
                    return None
                handle.seek(start)
                value = pickle.load(handle)
        except Exception:  # noqa: BLE001 - missing, corrupt or from other code: the build reads the disk
            return None
        if isinstance(value, cls) and value.settings == settings and isinstance(value.site, Site):
            return value
        return None

    def save(self, cache: BuildCache) -> None:
        """Write the snapshot in place of the last one, atomically (flushed to the disk before the
        rename, so a crash leaves one complete snapshot or the other)."""
        path = cache.path.parent / MODEL_FILE
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(temporary, "wb") as handle:
                handle.write(FORMAT + b"\0" + bytes(TAG_BYTES))  # the tag is written once known
                sealed = _Sealing(handle)
                pickle.dump(self, sealed, protocol=5)
                handle.seek(len(FORMAT) + 1)
                handle.write(sealed.mac.digest())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except OSError:  # not kept: the next build groups the site again
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


class _Sealing:
    """A file being written through, its bytes fed to the snapshot's HMAC on the way."""

    def __init__(self, handle) -> None:
        self.handle, self.mac = handle, new_mac(MODEL_CONTEXT)

    def write(self, data) -> int:
        self.mac.update(data)
        return self.handle.write(data)


def load_template_hashes(cache: BuildCache, settings: str) -> KnownHashes:
    """The template closures and hashes of the last build under the same settings (see TemplateHasher)."""
    value = _load(cache, TEMPLATES_KEY)
    if not (isinstance(value, tuple) and len(value) == 2 and value[0] == settings):
        return {}
    known = value[1]
    valid = isinstance(known, dict) and all(
        type(entry) is tuple and len(entry) == 2 and type(entry[0]) is list and type(entry[1]) is str
        for entry in known.values()
    )
    return known if valid else {}


def save_template_hashes(cache: BuildCache, settings: str, known: KnownHashes, loaded: KnownHashes) -> None:
    if known != loaded:
        _store(cache, TEMPLATES_KEY, (settings, known))


def _load(cache: BuildCache, key: str) -> object:
    blob = cache.state_blob(key)  # None unless its tag verifies
    if blob is None or blob[: len(FORMAT) + 1] != FORMAT + b"\0":
        return None
    try:
        return pickle.loads(blob[len(FORMAT) + 1 :])
    except Exception:  # noqa: BLE001 - corrupt or from other code: ignored, the build reads the disk
        return None


def _store(cache: BuildCache, key: str, value: object) -> None:
    cache.set_state_blob(key, FORMAT + b"\0" + pickle.dumps(value, protocol=5))


def save_model_snapshot(
    cache: BuildCache,
    settings: str,
    sources: list[Source],
    articles: list[Article],
    published: list[Article],
    site: Site,
    directory: PeopleDirectory,
    structure: str | None,
    previous: ModelSnapshot | None,
) -> str | None:
    """Write the site model to the cache for the next CLI build, unless the snapshot it came from
    (*previous*) is still close enough to the files; the site's structure digest, made if needed."""
    keys = {item.source: item.key for item in sources}
    if previous is not None and site is previous.site and previous.differences(keys) <= REWRITE_AFTER:
        return structure
    structure = structure or structure_digest(site)
    remember_documents(site.articles)  # kept with the articles: the search index update needs them
    ModelSnapshot(
        settings,
        keys,
        {a.key: a for a in articles},
        {a.source: a for a in published},
        site,
        directory,
        structure,
    ).save(cache)
    return structure
