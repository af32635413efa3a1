"""The choices of one import, as typed values (what ``site-builder import``'s flags become)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from site_builder.importer.downloads import MAX_IMAGE_BYTES
from site_builder.importer.reading import MAX_SOURCE_BYTES


@dataclass(frozen=True)
class ImportOptions:
    """Where and how to import.

    ``into`` is the content folder written; ``site_dir`` holds people.toml, boilerplate.txt and the
    manifest, and source paths are remembered relative to it. ``tags`` are added to every article,
    ``tag_from_folder`` adds each file's folder name, ``date`` is used where none is found. ``dry_run``
    writes nothing, ``force`` overwrites files edited by hand, ``strict`` makes any skipped source an
    error (:class:`~site_builder.importer.writing.ImportIncomplete`). ``max_bytes`` bounds one source
    file, or one record of an archive. ``pages`` also imports a WordPress export's pages.
    ``download_images`` fetches the lead image and figures into the article's page bundle (each at
    most ``max_image_bytes``); a page saved "complete" always has its own image files copied.
    """

    into: Path
    site_dir: Path
    tags: tuple[str, ...] = ()
    tag_from_folder: bool = False
    date: dt.date | None = None
    dry_run: bool = False
    force: bool = False
    strict: bool = False
    max_bytes: int = MAX_SOURCE_BYTES
    pages: bool = False
    download_images: bool = False
    max_image_bytes: int = MAX_IMAGE_BYTES
