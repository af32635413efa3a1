"""The staging folder a build renders into, and scans of what output/ holds.

Workers write only files whose bytes differ from output/'s; the commit then moves those into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from site_builder.build.output.scratch import Scratch, dispose

PROTECTED = {".git"}  # never deleted from output/ (e.g. a publishing checkout)
MARKER = ".site-builder"  # in output/: site_builder made this folder (see build.output.ownership)


@dataclass(frozen=True)
class StagingArea:
    """Where staged files go (picklable: the render workers write there themselves).

    Flat (the default): each file is named after a hash of its output path (see :func:`staged`), so
    staging makes no folders and removing the emptied staging folder is one ``rmdir`` (on ext4 mounted
    with ``discard`` each ``rmdir`` costs milliseconds, and an edit staged in folders would make dozens).
    *tree*: each file at its output path, for a build with no output/ yet: the staged tree becomes the
    site with one rename, instead of a folder made and a file moved per page by the committing process
    (16,000 folders and 32,000 moves at 10,000 articles; the workers make the folders as they render).
    """

    root: Path
    tree: bool = False

    def path(self, relative: str) -> Path:
        return self.root / relative if self.tree else staged(self.root, relative)

    def write(self, relative: str, data: bytes) -> None:
        path = self.path(relative)
        try:
            path.write_bytes(data)
        except FileNotFoundError:
            if not self.tree:
                raise
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


class Staging:
    """A scratch folder beside the cache holding the bytes of changed files until commit."""

    def __init__(self, cache_dir: Path, tree_for: Scratch | None = None) -> None:
        """*tree_for*: stage a tree (see :class:`StagingArea`) that will be committed with this scratch,
        which must be in *cache_dir* (a rename moves the staged tree into place)."""
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix="staging-", dir=cache_dir))
        self.area = StagingArea(self.root, tree_for is not None)
        self.scratch = tree_for
        self.files: list[str] = []

    def add(self, relative: str, data: bytes) -> None:
        self.area.write(relative, data)
        self.files.append(relative)

    def path(self, relative: str) -> Path:
        return self.area.path(relative)

    def discard(self) -> None:
        if self.scratch is not None and self.root.is_dir():  # maybe thousands of folders: trashed
            dispose(self.root, self.scratch)
        else:
            shutil.rmtree(self.root, ignore_errors=True)


def staged(staging_root: Path, relative: str) -> Path:
    """Where the staged bytes of output file *relative* are kept in a flat staging folder."""
    return staging_root / hashlib.sha1(relative.encode("utf-8"), usedforsecurity=False).hexdigest()


def stage_if_changed(output_dir: Path, staging: StagingArea, relative: str, data: bytes) -> bool:
    """Write *data* into the staging area unless output/ already holds these bytes; True if staged.

    Used by the render workers (which cannot share a :class:`Staging` object) and for static files.
    """
    target = output_dir / relative
    with contextlib.suppress(OSError):
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    staging.write(relative, data)
    return True


def existing_files(output_dir: Path) -> set[str]:
    """Every file currently in *output_dir*, relative, POSIX separators, skipping protected folders."""
    return set(file_sizes(output_dir))


def file_sizes(output_dir: Path) -> dict[str, int]:
    """Relative path -> size of every file under *output_dir* (protected folders skipped)."""
    return scan_tree(output_dir)[0]


def scan_tree(root: Path, share: tuple[int, int] = (0, 1)) -> tuple[dict[str, int], dict[str, int]]:
    """One walk of *root*: relative path -> size of every file outside protected folders, and the
    :func:`tree_index` of everything (inodes come free with the directory entries).

    os.scandir with string paths: on a 10,000-article site this walks 16,000 folders several times
    faster than os.walk with relpath, and it runs on every build; the commit reuses the index.

    *share* ``(n, parts)``: only the n-th of *parts* disjoint shares of the tree, so that processes can
    scan it together (the union of every share's maps is the whole scan): each folder inside a
    top-level folder belongs, with everything in it, to the share its name hashes to; all else to 0.
    """
    number, parts = share
    sizes: dict[str, int] = {}
    index: dict[str, int] = {}
    pending: list[tuple[str, str, bool, int | None]] = [(str(root), "", False, None)]  # None: no share yet
    while pending:
        folder, prefix, protected, owner = pending.pop()
        try:
            entries = os.scandir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    below = owner if owner is not None or not prefix else _share(entry.name, parts)
                    if (below or 0) == number:
                        index[prefix + entry.name + "/"] = 0
                    if below is None or below == number:
                        inside = protected or entry.name in PROTECTED
                        pending.append((entry.path, prefix + entry.name + "/", inside, below))
                    continue
                if (owner or 0) != number:
                    continue
                index[prefix + entry.name] = entry.inode()
                if not protected and (prefix or entry.name != MARKER):
                    try:
                        sizes[prefix + entry.name] = entry.stat(follow_symlinks=False).st_size
                    except OSError:
                        continue
    return sizes, index


def _share(name: str, parts: int) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogateescape")) % parts if parts > 1 else 0
