"""The derivatives' cache: ``.site-cache/images/<key>/`` holds every derivative of one image and a
``rendition.json`` naming them, written last, so a folder with it is complete.

The key is a hash of the source's bytes, its name and the processing settings: the same image under the
same settings is never processed twice, whatever its path or the article naming it. Builds hard-link
the cached files into ``output/`` (no copy of the bytes); they are never changed in place.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from site_builder.errors import SiteError
from site_builder.images.process import (
    ImageJob,
    file_stem,
    image_key,
    make_derivatives,
    read_source,
    vector_rendition,
)
from site_builder.model.image import Rendition

MANIFEST = "rendition.json"


def store_folder(cache_dir: Path) -> Path:
    return cache_dir / "images"


def process_image(job: ImageJob) -> Rendition | SiteError:
    """The rendition of one image, its derivatives made unless cached (run in a worker process)."""
    try:
        data = read_source(job)
        stem = file_stem(job.name)
        key = image_key(data, job.name, job.processing)
        if job.name.lower().endswith(".svg"):
            return vector_rendition(data, key, stem, job.shown)
        folder = Path(job.store) / key
        cached = read_manifest(folder)
        if cached is not None and (cached.social or not job.social) and _complete(folder, cached):
            return cached
        rendition, files = make_derivatives(job, data, key, stem)
        save(folder, rendition, files)
        return rendition
    except SiteError as error:
        return error
    except MemoryError:
        return SiteError("not enough memory to decode this image", job.shown)


def read_manifest(folder: Path) -> Rendition | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return Rendition(
            data["key"],
            data["stem"],
            data["width"],
            data["height"],
            data["fallback"],
            tuple(data["widths"]),
            tuple((name, w, h) for name, w, h in data["social"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _complete(folder: Path, rendition: Rendition) -> bool:
    return all((folder / name).is_file() for name, _ in rendition.files())


def save(folder: Path, rendition: Rendition, files: dict[str, bytes]) -> None:
    """Write a complete folder beside *folder*, then rename it into place (replacing an older one
    that lacked the social crops); a concurrent writer of the same key wrote the same bytes."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for name, data in files.items():
            (temporary / name).write_bytes(data)
        manifest = {
            "key": rendition.key,
            "stem": rendition.stem,
            "width": rendition.width,
            "height": rendition.height,
            "fallback": rendition.fallback,
            "widths": list(rendition.widths),
            "social": [list(crop) for crop in rendition.social],
        }
        (temporary / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
        if folder.exists():  # made without the social crops, or damaged: replaced whole
            shutil.rmtree(folder, ignore_errors=True)
        try:
            os.rename(temporary, folder)
        except OSError:  # another process put a complete folder there first
            if read_manifest(folder) is None:
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def prune(cache_dir: Path, keep: set[str]) -> int:
    """Remove the cached derivatives of images no longer used (and leftovers of killed builds)."""
    folder = store_folder(cache_dir)
    removed = 0
    with contextlib.suppress(FileNotFoundError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name not in keep:
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
    return removed
