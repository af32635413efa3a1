"""The output sink: where cluster workers put rendered files when they do not share the driver's disk.

With ``[build] sink = "URL"`` (any fsspec URL both the workers and the driver reach: a shared file
system, an object store), a worker on a Dask cluster writes each page it renders into this build's
folder of the sink and sends the driver only its path, size and SHA-256. The driver stages a page only
if output/ does not already hold those bytes (so an unchanged file is still never rewritten), reading it
from the sink as it takes the outcome, and the commit into output/ is the usual atomic one. The build's
folder of the sink is removed when the build ends, whether it succeeded or not.

Without a sink, cluster workers write into the staging folder in ``.site-cache/`` as the local pool's
do, which needs the driver's disk (a LocalCluster, or workers on a shared file system).
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder.build.output.staging import StagingArea
from site_builder.errors import SiteError

_systems: dict[str, tuple[Any, str]] = {}  # URL -> (file system, path): fsspec's parse, once a process


def _system(url: str) -> tuple[Any, str]:
    if url not in _systems:
        import fsspec  # (an extra's dependency: only a cluster build gets here)

        _systems[url] = fsspec.core.url_to_fs(url)
    return _systems[url]


@dataclass(frozen=True)
class SunkFile:
    """A rendered file put into the sink: its output path, size and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class OutputSink:
    """One build's folder in the sink (picklable: sent to the workers)."""

    url: str

    @classmethod
    def for_build(cls, base: str) -> OutputSink:
        return cls(f"{base.rstrip('/')}/build-{uuid.uuid4().hex}")

    def _place(self, relative: str) -> str:
        fs, root = _system(self.url)
        return f"{root}/{hashlib.sha1(relative.encode(), usedforsecurity=False).hexdigest()}"

    def put(self, relative: str, data: bytes) -> SunkFile:
        """Write one rendered file (a worker's side)."""
        fs, root = _system(self.url)
        fs.makedirs(root, exist_ok=True)
        fs.pipe_file(self._place(relative), data)
        return SunkFile(relative, len(data), hashlib.sha256(data).hexdigest())

    def stage(self, sunk: SunkFile, output_dir: Path, staging: StagingArea) -> bool:
        """Copy *sunk* into the staging area unless output/ holds these bytes; True if staged."""
        target = output_dir / sunk.path
        with contextlib.suppress(OSError):
            if (
                target.stat().st_size == sunk.size
                and hashlib.sha256(target.read_bytes()).hexdigest() == sunk.sha256
            ):
                return False
        fs, _ = _system(self.url)
        try:
            data = fs.cat_file(self._place(sunk.path))
        except (FileNotFoundError, OSError) as error:
            raise SiteError(
                f"output/{sunk.path} cannot be read from the output sink: {error}", self.url
            ) from None
        if hashlib.sha256(data).hexdigest() != sunk.sha256:
            raise SiteError(f"output/{sunk.path} changed in the output sink while the build ran", self.url)
        staging.write(sunk.path, data)
        return True

    def discard(self) -> None:
        fs, root = _system(self.url)
        with contextlib.suppress(FileNotFoundError, OSError):
            fs.rm(root, recursive=True)
