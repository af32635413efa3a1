"""The spare tree: the previous output/, kept after a swap and brought up to date by the next commit
instead of linking a whole new tree (a one-edit commit touches only the changed files).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from site_builder.build.output.scratch import Scratch, dispose
from site_builder.build.output.staging import Staging


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


def identity(folder: Path) -> list[int]:
    info = os.stat(folder)
    return [info.st_dev, info.st_ino]


SpareIndex = tuple[list[int], dict[str, int]]  # the spare's identity and its tree_index


def spare_index(scratch: Scratch) -> SpareIndex | None:
    """The :func:`tree_index` of the spare tree and its identity (None: no spare), taken ahead of the
    commit by the build holding the lock (in a worker process, while the parent loads and plans)."""
    if not scratch.keeps_spare:
        return None
    try:
        return identity(scratch.spare_tree), tree_index(str(scratch.spare_tree))
    except OSError:
        return None


def update_spare(
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
            and spare.identity == identity(output_dir)
            and os.stat(spare_tree).st_dev == spare.identity[0]
        ):
            live = live if live is not None else tree_index(str(output_dir))
            if scanned is None or scanned[0] != identity(spare_tree):
                scanned = identity(spare_tree), tree_index(str(spare_tree))
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
