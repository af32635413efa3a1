"""Committing into an output folder that cannot be swapped: a mount point (a Docker volume, a bind
mount) cannot be renamed, so the atomic exchange fails with EBUSY.

Such a folder is updated in place, under a journal: before the first file moves, the list of moves
(staged file -> output path) and of stale files is written to the cache folder and flushed to the
disk. Each file then replaces its target atomically (``os.replace``, through a temporary file beside it
when the staging folder is on another file system), and the journal is deleted last. A build killed
meanwhile leaves the journal and the staged files; the next build finishes the commit before doing
anything else, even if it then fails. So, as with the swap, output/ ends up holding the complete old
site or the complete new one; a reader may see a mix only while the commit runs.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from pathlib import Path

from site_builder.build.output.staging import Staging

JOURNAL = "commit-journal.json"


def needs_journal(output_dir: Path) -> bool:
    """Whether *output_dir* is a mount point (or otherwise on another device than its parent), which
    the atomic exchange cannot rename."""
    try:
        return os.path.ismount(output_dir) or (
            os.stat(output_dir).st_dev != os.stat(output_dir.parent).st_dev
        )
    except OSError:
        return False


def commit_journaled(staging: Staging, output_dir: Path, stale: list[str], cache_dir: Path) -> None:
    """Move the staged files into *output_dir* and delete *stale* ones, under a journal."""
    journal = cache_dir / JOURNAL
    entry = {
        "output": str(output_dir),
        "staging": str(staging.root),
        "moves": [[str(staging.path(relative)), relative] for relative in staging.files],
        "stale": list(stale),
    }
    temporary = journal.with_name(journal.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(entry, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, journal)
    _apply(entry)
    journal.unlink()
    staging.discard()


def finish_journal(cache_dir: Path) -> None:
    """Complete the commit of a build killed in the middle of one (called holding the build lock)."""
    journal = cache_dir / JOURNAL
    journal.with_name(journal.name + ".tmp").unlink(missing_ok=True)  # killed before it began
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except ValueError:  # never written whole, so the commit never began
        journal.unlink()
        return
    _apply(entry)
    journal.unlink()
    shutil.rmtree(entry["staging"], ignore_errors=True)


def _apply(entry: dict) -> None:
    """Do the journal's moves and removals; moves already done (their staged file gone) are skipped,
    so applying it again after an interruption finishes the job."""
    output = entry["output"]
    made: set[str] = set()
    for staged, relative in entry["moves"]:
        if not os.path.exists(staged):
            continue
        target = os.path.join(output, relative)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        _replace(staged, target)
    folders: set[str] = set()
    for relative in entry["stale"]:
        path = os.path.join(output, relative)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        folders.add(os.path.dirname(path))
    for folder in sorted(folders, key=len, reverse=True):
        while folder.startswith(output + os.sep):
            try:
                os.rmdir(folder)
            except OSError:  # not empty (or gone)
                break
            folder = os.path.dirname(folder)


def _replace(staged: str, target: str) -> None:
    """*target* becomes the staged file's bytes atomically; the staged file is gone afterwards."""
    try:
        os.replace(staged, target)
        return
    except OSError as error:
        if error.errno != errno.EXDEV:  # staging on another file system than output/
            raise
    temporary = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.site-builder-tmp")
    shutil.copyfile(staged, temporary)
    os.replace(temporary, target)
    os.unlink(staged)
