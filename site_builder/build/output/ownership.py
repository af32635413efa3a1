"""Whose folder output/ is: a build replaces everything in it, so it only writes into a folder it made.

A folder site_builder commits into carries a marker file (MARKER). A build refuses an output folder
that holds anything but the marker and a ``.git`` publishing checkout unless the marker is there, the
last build's record lists every file in it (a site built before markers existed), or the user says so
(``--force-output``, ``output_force = true``): ``output_dir = "docs"`` over hand-written docs must
not be emptied by the second build.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from site_builder.build.output.staging import MARKER, existing_files
from site_builder.errors import SiteError

MARKER_TEXT = (
    b"This folder is written by site-builder: every build replaces what is in it.\n"
    b"Keep your own files elsewhere (content/, static/, templates/).\n"
)
ALLOWED = {".git", MARKER}  # a publishing checkout may live in output/
SHOWN = 3  # foreign names quoted in the refusal


def claim_output(output_dir: Path, force: bool, recorded: Callable[[], set[str]]) -> None:
    """Refuse an *output_dir* that site_builder did not create (see the module docstring); mark an
    existing one it may take. *recorded*: the files the last build recorded in output/ (asked only
    for an unmarked folder)."""
    if not os.path.lexists(output_dir):
        return
    if not output_dir.is_dir():
        raise SiteError(
            "the output folder is a file (or a link to one); choose another output folder", output_dir
        )
    if (output_dir / MARKER).is_file():
        return
    foreign = [] if force else _foreign_files(output_dir, recorded)
    if foreign:
        shown = ", ".join(repr(name) for name in foreign[:SHOWN]) + (", ..." if len(foreign) > SHOWN else "")
        raise SiteError(
            f"the output folder holds files site-builder did not write ({shown}) and a build replaces "
            "everything in it; choose another output folder, empty this one, or let site-builder take "
            "it over with --force-output (output_force = true in site.toml)",
            output_dir,
        )
    mark(output_dir)


def _foreign_files(output_dir: Path, recorded: Callable[[], set[str]]) -> list[str]:
    """What *output_dir* holds that the last build did not record writing (sorted): its top-level
    names when there is no record (a ``.git`` checkout excepted)."""
    try:
        names = sorted(set(os.listdir(output_dir)) - ALLOWED)
    except OSError as error:
        raise SiteError(f"the output folder cannot be read: {error.strerror}", output_dir) from None
    if not names:
        return []
    known = recorded()  # a site built before markers existed: the record covers every file
    return sorted(existing_files(output_dir) - known) if known else names


def mark(folder: Path) -> None:
    """Put the marker into an existing output *folder* that lacks it (a new one gets it with the
    commit: see build.rendering)."""
    marker = folder / MARKER
    if marker.is_file():
        return
    temporary = folder / f"{MARKER}.{os.getpid()}.tmp"
    try:
        temporary.write_bytes(MARKER_TEXT)
        os.replace(temporary, marker)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
