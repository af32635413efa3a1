"""Scratch folders beside output/ (or in the cache): trees being swapped, set aside or deleted, and the
recovery of a build killed in the middle of its commit.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path


def discard_orphans(cache_dir: Path) -> None:
    """Staging folders of builds that were killed (only called while holding the build lock); a
    staged tree may hold a whole site, so it is deleted in the background."""
    orphans = [orphan for orphan in cache_dir.glob("staging-*") if not _being_deleted(orphan)]
    if orphans:
        _delete_in_background(orphans)


@dataclass(frozen=True)
class Scratch:
    """Where the next tree is assembled and replaced trees wait for deletion.

    The cache folder when it is on the same file system as output/ (so nothing appears beside the
    user's files, e.g. in their git checkout), else a hidden folder beside output/.
    """

    folder: Path
    prefix: str
    keeps_spare: bool = False  # only in the cache folder: never a lasting copy of the site beside output/

    @classmethod
    def for_output(cls, output_dir: Path, cache_dir: Path) -> Scratch:
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        cache_dir.mkdir(parents=True, exist_ok=True)
        if os.stat(cache_dir).st_dev == os.stat(output_dir.parent).st_dev:
            return cls(cache_dir, "output", keeps_spare=True)
        return cls(output_dir.parent, f".{output_dir.name}")

    @property
    def next_tree(self) -> Path:
        return self.folder / f"{self.prefix}.next"

    @property
    def spare_tree(self) -> Path:
        """The tree replaced by the last commit, kept to become the next one (see :class:`Spare`)."""
        return self.folder / f"{self.prefix}.spare"

    @property
    def spare_manifest(self) -> Path:
        """Present only while the spare is complete: what it differs from output/ in."""
        return self.folder / f"{self.prefix}.spare.json"

    def trash(self) -> Path:
        return self.folder / f"{self.prefix}.trash-{os.getpid()}-{time.monotonic_ns()}"

    def old_trash(self) -> list[Path]:
        return sorted(self.folder.glob(f"{self.prefix}.trash-*"))


def recover(output_dir: Path, scratch: Scratch) -> None:
    """Clear what an interrupted commit left behind (a half-built or an already replaced tree)."""
    leftover = scratch.next_tree
    if leftover.exists() or leftover.is_symlink():
        if not output_dir.exists():  # killed between the two renames of the fallback exchange
            os.replace(leftover, output_dir)
        else:
            dispose(leftover, scratch)
    spare, manifest = scratch.spare_tree, scratch.spare_manifest
    if (spare.exists() or spare.is_symlink()) and not (manifest.exists() and spare.is_dir()):
        dispose(spare, scratch)  # killed while the spare was being updated or set aside
    if manifest.exists() and not spare.is_dir():
        manifest.unlink()
    manifest.with_name(manifest.name + ".tmp").unlink(missing_ok=True)
    stale = [trash for trash in scratch.old_trash() if not _being_deleted(trash)]
    if stale:
        _delete_in_background(stale)


def dispose(tree: Path, scratch: Scratch) -> None:
    """Move a replaced tree aside and delete it in the background.

    Deleting tens of thousands of folders can take many seconds (ext4 with online discard), and no
    reader needs to wait for it; the next build finishes the job if this process dies first.
    """
    trash = scratch.trash()
    os.replace(tree, trash)
    _delete_in_background([trash])


# The deleter holds a lock on each tree it deletes (released when it exits, however it ends), so that
# the builds that start meanwhile (the dev server's, one per save) do not start deleters of their own.
_DELETER = """import fcntl, os, shutil, sys
os.nice(10)
for path in sys.argv[1:]:
    try:
        handle = os.open(path, os.O_RDONLY)
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        continue
    shutil.rmtree(path, ignore_errors=True)
"""


def _being_deleted(tree: Path) -> bool:
    """Whether a deleter started earlier is at work on *tree*."""
    try:
        handle = os.open(tree, os.O_RDONLY)
    except OSError:
        return True  # gone meanwhile
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(handle)  # releases the lock if this took it
    return False


def _delete_in_background(paths: list[Path]) -> None:
    """Start a detached, low-priority process that deletes *paths* (no Popen object left to warn)."""
    script = _DELETER
    arguments = [sys.executable, "-c", script, *map(str, paths)]
    try:
        os.posix_spawn(sys.executable, arguments, os.environ, setsid=True)
    except (AttributeError, OSError):  # no posix_spawn: delete now
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
