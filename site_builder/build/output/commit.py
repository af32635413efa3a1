"""Writing the site: phase 2 of a build.

Phase 1 renders every changed file into a staging folder and touches nothing in ``output/``. Phase 2
has two ways to put the new files in place:

- :func:`commit_swap` (the CLI build): a complete next tree is assembled beside ``output/`` from hard
  links to the unchanged files plus the staged ones, then exchanged with ``output/`` in one atomic
  ``renameat2(RENAME_EXCHANGE)``. A build killed at any instant leaves the complete old site or the
  complete new one, never a mix; leftovers are cleaned by the next build. The replaced tree is kept as
  a *spare* (double buffering): the next commit brings it up to date for the few paths that differ
  instead of linking the whole site again, so a commit costs O(changed files) plus one directory scan.
- :func:`commit_in_place` (the dev server, which blocks requests meanwhile): each staged file is moved
  over its target with an atomic ``os.replace`` and stale files are removed: cheaper for small edits.

Either way unchanged files are never rewritten, so their mtimes stay put and rsync or git see only real
changes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from site_builder.build.output.scratch import Scratch, dispose, recover
from site_builder.build.output.spare import Spare, SpareIndex, identity, update_spare
from site_builder.build.output.staging import Staging

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _move(source: Path, target: Path, folders: set[Path] | None = None) -> None:
    """Move *source* to *target*, making its folder unless it is in *folders* (those made already)."""
    if folders is None or target.parent not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        if folders is not None:
            folders.add(target.parent)
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        temporary = target.with_name(f".{target.name}.tmp")  # staging on another file system
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)


def commit_in_place(staging: Staging, output_dir: Path, stale: Iterable[str]) -> None:
    """Move staged files over their targets and delete *stale* ones; then drop empty folders."""
    output_dir.mkdir(parents=True, exist_ok=True)
    folders: set[Path] = set()
    for relative in staging.files:
        _move(staging.path(relative), output_dir / relative, folders)
    _remove(output_dir, stale)
    staging.discard()


def _remove(output_dir: Path, stale: Iterable[str]) -> None:
    folders: set[Path] = set()
    for relative in stale:
        path = output_dir / relative
        path.unlink(missing_ok=True)
        folders.update(path.parents)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder != output_dir and folder.is_relative_to(output_dir):
            with contextlib.suppress(OSError):  # not empty
                folder.rmdir()


def commit_swap(
    staging: Staging,
    output_dir: Path,
    stale: Iterable[str],
    scratch: Scratch,
    live: dict[str, int] | None = None,
    spare: SpareIndex | None = None,
) -> None:
    """Assemble the complete new site beside output/ and exchange the two atomically.

    The next tree is the spare (the tree replaced by the last commit) brought up to date where it is
    known to be complete and to differ from output/ only in the paths it recorded; otherwise it is
    assembled from scratch with hard links to every unchanged file. *spare*: its :func:`spare_index`,
    if this build (holding the build lock) scanned it already.
    """
    recover(output_dir, scratch)
    stale = list(stale)
    if not staging.files and not stale:
        staging.discard()
        return
    upcoming = scratch.next_tree
    pruned: list[str] = []  # folders left empty: the old tree still has them
    used_spare = update_spare(staging, output_dir, stale, scratch, live, spare)
    if not used_spare and staging.area.tree and not output_dir.exists() and not stale:
        os.replace(staging.root, upcoming)  # the staged tree is the whole site
    elif not used_spare:
        skip = set(stale) | set(staging.files)
        if output_dir.is_dir():
            _link_tree(output_dir, upcoming, skip)
        else:
            upcoming.mkdir(parents=True)
        pruned = _prune_empty(upcoming)  # first: a folder emptied by *skip* may be a staged file's name
        folders: set[Path] = set()
        for relative in staging.files:
            _move(staging.path(relative), upcoming / relative, folders)
    os.chmod(upcoming, folder_mode())  # a staged tree was made private (mkdtemp); a spare: the old root
    _exchange(upcoming, output_dir)
    if scratch.keeps_spare:  # the old site, now at the upcoming path, differs in these paths only
        os.replace(upcoming, scratch.spare_tree)
        dirty = sorted({*staging.files, *stale, *pruned})
        Spare(str(output_dir.resolve()), identity(output_dir), dirty).save(scratch.spare_manifest)
    else:
        dispose(upcoming, scratch)
    staging.discard()


def folder_mode() -> int:
    """The mode a folder made now gets (0o777 less the umask), read without changing the umask: the
    web server reading output/ may run as another user, and it must find the same mode every build."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o777 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restored at once
    os.umask(mask)
    return 0o777 & ~mask


def _link_tree(source: Path, target: Path, skip: set[str]) -> None:
    """Recreate *source* at *target* with hard links (copies where links are impossible)."""
    root = str(source)
    for folder, _dirs, files in os.walk(root):
        relative_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative_folder == "." else relative_folder + "/"
        os.makedirs(os.path.join(target, relative_folder), exist_ok=True)
        for name in files:
            relative = prefix + name
            if relative in skip:
                continue
            origin, destination = os.path.join(folder, name), os.path.join(target, relative)
            try:
                os.link(origin, destination, follow_symlinks=False)
            except OSError:
                shutil.copy2(origin, destination, follow_symlinks=False)


def _prune_empty(root: Path) -> list[str]:
    """Delete every empty folder under *root*; the relative paths of those deleted."""
    pruned = []
    for folder, _dirs, files in os.walk(root, topdown=False):
        if folder != str(root) and not files:
            with contextlib.suppress(OSError):  # still holds a folder
                os.rmdir(folder)
                pruned.append(os.path.relpath(folder, root).replace(os.sep, "/"))
    return pruned


def _exchange(upcoming: Path, output_dir: Path) -> None:
    """Swap two folders atomically where the system can (Linux renameat2), else with two renames.

    Only a system or file system without the exchange takes the two renames; any other failure (a
    read-only output/, a mount point) is raised with both folders as they were.
    """
    if not output_dir.exists():
        os.replace(upcoming, output_dir)
        upcoming.mkdir()  # so the caller's cleanup has something to remove
        return
    if _renameat2(upcoming, output_dir):
        return
    old = output_dir.with_name(f".{output_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(output_dir, old)
    try:
        os.replace(upcoming, output_dir)
    except OSError:
        os.replace(old, output_dir)
        raise
    os.replace(old, upcoming)


_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _renameat2(first: Path, second: Path) -> bool:
    """Exchange *first* and *second*; False if this system or file system cannot (an OSError if it
    refuses for another reason)."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))
