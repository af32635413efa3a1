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
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PROTECTED = {".git"}  # never deleted from output/ (e.g. a publishing checkout)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class StagingArea:
    """Where staged files go (picklable: the render workers write there themselves).

    Flat (the default): each file is named after a hash of its output path (see :func:`staged`), so
    staging makes no folders and removing the emptied staging folder is one ``rmdir`` (on ext4 mounted
    with ``discard`` each ``rmdir`` costs milliseconds: an edit used to pay for thirty of them).
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


def discard_orphans(cache_dir: Path) -> None:
    """Staging folders of builds that were killed (only called while holding the build lock); a
    staged tree may hold a whole site, so it is deleted in the background."""
    orphans = [orphan for orphan in cache_dir.glob("staging-*") if not _being_deleted(orphan)]
    if orphans:
        _delete_in_background(orphans)


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
                if not protected:
                    try:
                        sizes[prefix + entry.name] = entry.stat(follow_symlinks=False).st_size
                    except OSError:
                        continue
    return sizes, index


def _share(name: str, parts: int) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogateescape")) % parts if parts > 1 else 0


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
    used_spare = _update_spare(staging, output_dir, stale, scratch, live, spare)
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
    _exchange(upcoming, output_dir)
    if scratch.keeps_spare:  # the old site, now at the upcoming path, differs in these paths only
        os.replace(upcoming, scratch.spare_tree)
        dirty = sorted({*staging.files, *stale, *pruned})
        Spare(str(output_dir.resolve()), _identity(output_dir), dirty).save(scratch.spare_manifest)
    else:
        dispose(upcoming, scratch)
    staging.discard()


@dataclass(frozen=True)
class Spare:
    """What is known of the spare tree: it was output/ before the last commit.

    Every file outside *dirty* is a hard link to the same inode as in output/ (the commit linked it
    from there); *dirty* lists the paths the last commit wrote or removed. *output* and *identity*
    (device and inode of the output/ folder) tie it to the tree it was swapped with.
    """

    output: str
    identity: list[int]
    dirty: list[str]

    def save(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps({"version": 1, **self.__dict__}), encoding="utf-8")
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> Spare | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            spare = cls(
                str(data["output"]), [int(n) for n in data["identity"]], [str(p) for p in data["dirty"]]
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return spare if data.get("version") == 1 else None


@dataclass(frozen=True)
class SparePlan:
    """How to turn the spare into the next tree: remove, then prune, then link."""

    remove: list[str]  # files to delete from the spare first
    prune: list[str]  # folders to delete if left empty, deepest first
    from_staging: list[str]  # files to link from the staging folder (new content)
    from_output: list[str]  # files to link from output/ (changed by the last commit, not by this one)


def plan_spare(
    spare: dict[str, int],
    live: dict[str, int],
    dirty: Iterable[str],
    staged: Iterable[str],
    stale: Iterable[str],
) -> SparePlan | None:
    """The update of the spare into the next tree, or None when the spare cannot be trusted.

    *spare* and *live* are :func:`tree_index` maps of the spare and of output/. Outside the paths to
    update (and the folders holding them) both trees must hold exactly the same entries, every file the
    same inode: so anything changed by hand, by an in-place commit or by a lost update is caught.
    """
    staged_set, stale_set = set(staged), set(stale)
    touched = set(dirty) | staged_set | stale_set
    folders: set[str] = set()
    for path in touched:
        folders.add(path + "/")
        cut = path.rfind("/")
        while cut > 0 and path[: cut + 1] not in folders:
            folders.add(path[: cut + 1])
            cut = path.rfind("/", 0, cut)
    for key, inode in spare.items():
        if key not in touched and key not in folders and live.get(key) != inode:
            return None
    if any(key not in spare for key in live if key not in touched and key not in folders):
        return None
    remove = sorted(path for path in touched if path in spare)
    prune = sorted((key for key in folders if key in spare), key=lambda k: (-k.count("/"), k))
    from_output = sorted(touched - staged_set - stale_set)
    return SparePlan(remove, prune, sorted(staged_set), [path for path in from_output if path in live])


def tree_index(root: str) -> dict[str, int]:
    """Relative path -> inode of every file (symlinks too) and ``folder/`` -> 0 of every folder.

    Nothing is skipped (a ``.git`` checkout in output/ must be current in the next tree too) and no
    file is stat'ed: inodes come from the directory entries.
    """
    found: dict[str, int] = {}
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    found[prefix + entry.name + "/"] = 0
                    pending.append((entry.path, prefix + entry.name + "/"))
                else:
                    found[prefix + entry.name] = entry.inode()
    return found


def _identity(folder: Path) -> list[int]:
    info = os.stat(folder)
    return [info.st_dev, info.st_ino]


SpareIndex = tuple[list[int], dict[str, int]]  # the spare's identity and its tree_index


def spare_index(scratch: Scratch) -> SpareIndex | None:
    """The :func:`tree_index` of the spare tree and its identity (None: no spare), taken ahead of the
    commit by the build holding the lock (in a worker process, while the parent loads and plans)."""
    if not scratch.keeps_spare:
        return None
    try:
        return _identity(scratch.spare_tree), tree_index(str(scratch.spare_tree))
    except OSError:
        return None


def _update_spare(
    staging: Staging,
    output_dir: Path,
    stale: list[str],
    scratch: Scratch,
    live: dict[str, int] | None,
    scanned: SpareIndex | None = None,
) -> bool:
    """Turn a trustworthy spare into the next tree at ``scratch.next_tree``; False if there is none.

    *live*: the :func:`tree_index` of output/ if the caller already has it (it scanned output/ since
    the build took its lock), else output/ is scanned here; *scanned*: the same for the spare, used
    if it is still the same folder.

    Any spare that is not used is deleted, so the caller can assemble the next tree from scratch.
    Staged files are linked, not moved, so that they are still there for that if this fails halfway.
    """
    spare_tree, manifest = scratch.spare_tree, scratch.spare_manifest
    if not spare_tree.is_dir():
        return False
    try:
        spare = Spare.load(manifest)
        plan = None
        if (
            scratch.keeps_spare
            and spare is not None
            and output_dir.is_dir()
            and spare.output == str(output_dir.resolve())
            and spare.identity == _identity(output_dir)
            and os.stat(spare_tree).st_dev == spare.identity[0]
        ):
            live = live if live is not None else tree_index(str(output_dir))
            if scanned is None or scanned[0] != _identity(spare_tree):
                scanned = _identity(spare_tree), tree_index(str(spare_tree))
            plan = plan_spare(scanned[1], live, spare.dirty, staging.files, stale)
        manifest.unlink(missing_ok=True)  # from here on the spare is being changed
        if plan is None:
            dispose(spare_tree, scratch)
            return False
        upcoming = scratch.next_tree
        os.replace(spare_tree, upcoming)
        _apply_plan(plan, upcoming, staging, output_dir)
    except OSError:
        for tree in (scratch.spare_tree, scratch.next_tree):
            if tree.exists():
                dispose(tree, scratch)
        return False
    return True


def _apply_plan(plan: SparePlan, tree: Path, staging: Staging, output_dir: Path) -> None:
    root = str(tree)
    for relative in plan.remove:
        os.unlink(os.path.join(root, relative))
    for folder in plan.prune:
        with contextlib.suppress(OSError):  # not empty
            os.rmdir(os.path.join(root, folder))
    made: set[str] = set()  # folders known to exist (a spare emptied by a first build has none)
    for relative in plan.from_staging:
        target = os.path.join(root, relative)
        _make_folder(os.path.dirname(target), made)
        os.link(staging.path(relative), target, follow_symlinks=False)
    for relative in plan.from_output:
        target = os.path.join(root, relative)
        _make_folder(os.path.dirname(target), made)
        os.link(os.path.join(output_dir, relative), target, follow_symlinks=False)


def _make_folder(folder: str, made: set[str]) -> None:
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)


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
    """Swap two folders atomically where the system can (Linux renameat2), else with two renames."""
    if not output_dir.exists():
        os.replace(upcoming, output_dir)
        upcoming.mkdir()  # so the caller's cleanup has something to remove
        return
    if _renameat2(upcoming, output_dir):
        return
    old = output_dir.with_name(f".{output_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(output_dir, old)
    os.replace(upcoming, output_dir)
    os.replace(old, upcoming)


def _renameat2(first: Path, second: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0
