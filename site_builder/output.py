"""Writing the site: phase 2 of a build.

Phase 1 renders every changed file into a staging folder and touches nothing in ``output/``; only if
it succeeds does :func:`commit` move the staged files into place (each with an atomic ``os.replace``)
and remove files that are no longer part of the site. Unchanged files are never rewritten, so their
mtimes stay put and rsync or git see only real changes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

PROTECTED = {".git"}  # never deleted from output/ (e.g. a publishing checkout)


class Staging:
    """A scratch folder beside the cache holding the bytes of changed files until commit."""

    def __init__(self, cache_dir: Path) -> None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix="staging-", dir=cache_dir))
        self.files: list[str] = []

    def add(self, relative: str, data: bytes) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.files.append(relative)

    def add_copy(self, relative: str, source: Path) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.files.append(relative)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def existing_files(output_dir: Path) -> set[str]:
    """Every file currently in *output_dir*, relative, POSIX separators, skipping protected folders."""
    found: set[str] = set()
    if not output_dir.is_dir():
        return found
    for root, dirs, files in os.walk(output_dir):
        dirs[:] = [d for d in dirs if d not in PROTECTED]
        base = Path(root).relative_to(output_dir)
        for name in files:
            found.add((base / name).as_posix())
    return found


def commit(staging: Staging, output_dir: Path, stale: Iterable[str]) -> None:
    """Move staged files into *output_dir* and delete *stale* ones; then drop empty folders."""
    output_dir.mkdir(parents=True, exist_ok=True)
    for relative in staging.files:
        target = output_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(staging.root / relative, target)
        except OSError:  # staging on another file system: copy beside the target, then rename
            temporary = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(staging.root / relative, temporary)
            os.replace(temporary, target)
    folders: set[Path] = set()
    for relative in stale:
        path = output_dir / relative
        path.unlink(missing_ok=True)
        folders.update(path.parents)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder != output_dir and folder.is_relative_to(output_dir):
            with contextlib.suppress(OSError):  # not empty
                folder.rmdir()
    staging.discard()
