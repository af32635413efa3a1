"""The images of a build: every local image the published articles show is checked, processed (by the
worker processes when there are many) or known from the index, and its rendition set on the articles;
the derivatives are then staged and recorded like every other output file.

An article is a new object only when a rendition it shows changed, so the site model, the pages'
fingerprints and the incremental plan (through :attr:`Article.token`) see an edited image as an edit
of the articles showing it. A build with nothing changed does no image work at all: the index's
digest (one stat per image) is part of its inputs digest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from site_builder.build.loading import BuildErrors
from site_builder.build.output.staging import Staging
from site_builder.build.report import BuildReport
from site_builder.build.workers import Workers
from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.images.index import ImageIndex
from site_builder.images.process import ImageJob, Processing
from site_builder.images.store import process_image, prune, store_folder
from site_builder.model.article import Article
from site_builder.model.image import Picture, Rendition

IMAGE_PRINT = b"image:"  # the fingerprint of a derivative: this, its key and its name
PARALLEL_IMAGES = 4  # fewer images are processed in this process
DerivedFiles = dict[str, tuple[bytes, str]]  # output path -> (fingerprint, cached file)
Use = tuple[Article, Picture]


def load_image_index(config: SiteConfig) -> ImageIndex:
    return ImageIndex.load(config.cache_dir, Processing.from_config(config).digest)


def attach_images(
    config: SiteConfig,
    articles: list[Article],
    published: Iterable[Article],
    index: ImageIndex,
    workers: Workers | None,
    complete: bool = True,
) -> list[Article]:
    """*articles* with the renditions of the images shown by the *published* ones set; those images
    checked and processed unless the index knows them. *complete*: these are all the site's articles,
    so images no one uses any more leave the index."""
    uses: dict[str, list[Use]] = {}
    for article in published:
        for picture in article.pictures:
            if not picture.remote:
                uses.setdefault(picture.location, []).append((article, picture))
    renditions = _renditions(config, uses, index, workers)
    if complete:
        index.keep_only(set(uses))
    return [_with_renditions(article, renditions) for article in articles]


def _renditions(
    config: SiteConfig, uses: dict[str, list[Use]], index: ImageIndex, workers: Workers | None
) -> dict[str, Rendition]:
    processing = Processing.from_config(config)
    store = store_folder(config.cache_dir)
    cached = set(os.listdir(store)) if uses and store.is_dir() else set()  # one listing, not a stat each
    found: dict[str, Rendition] = {}
    jobs: list[tuple[str, str, os.stat_result, ImageJob]] = []
    errors: list[SiteError] = []
    for location, users in uses.items():
        article, picture = users[0]
        social = any(p is a.image for a, p in users)
        try:
            file, info = locate(config, picture, known=index.entries.get(location, ("",))[0])
        except SiteError as error:
            errors.append(_located(config, error, article, picture))
            continue
        known = index.known(location, file, info)
        if known is not None and (known.social or not social) and (known.vector or known.key in cached):
            found[location] = known
            continue
        shown = f"{_root(config, picture.root).name}/{picture.path}"
        job = ImageJob(file, shown, os.path.basename(picture.path), social, processing, str(store))
        jobs.append((location, file, info, job))
    for (location, file, info, _), result in zip(jobs, _run([j[3] for j in jobs], workers), strict=True):
        if isinstance(result, SiteError):
            article, picture = uses[location][0]
            errors.append(_located(config, result, article, picture))
        else:
            found[location] = result
            index.record(location, file, info, result)
    if errors:
        raise BuildErrors(errors)
    return found


def _run(jobs: list[ImageJob], workers: Workers | None) -> list[Rendition | SiteError]:
    """Process *jobs*: in the worker processes when there are several and the build has workers."""
    if len(jobs) >= PARALLEL_IMAGES and workers is not None and workers.jobs > 1:
        pool = workers.start()
        if pool is not None:
            return list(pool.map(process_image, jobs))
    return [process_image(job) for job in jobs]


def _root(config: SiteConfig, root: str) -> Path:
    return config.content_dir if root == "content" else config.static_dir


def locate(config: SiteConfig, picture: Picture, known: str = "") -> tuple[str, os.stat_result]:
    """The file of a local picture and its status; refused when missing, not a regular file, or
    (looked at unless it is the file the index recorded) a symlink leading out of the site."""
    root = _root(config, picture.root)
    file = os.path.join(root, *picture.path.split("/"))
    shown = f"{root.name}/{picture.path}"
    try:
        info = os.stat(file)
    except FileNotFoundError:
        raise SiteError(f"image not found: {shown}") from None
    except OSError as error:
        raise SiteError(f"image cannot be read: {shown} ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise SiteError(f"image is not a regular file: {shown}")
    if file != known:  # an index hit is the same inode as the file checked then
        real = os.path.realpath(file)
        inside = [os.path.realpath(config.site_dir), os.path.realpath(root)]
        if not any(os.path.commonpath([real, folder]) == folder for folder in inside):
            raise SiteError(f"image is a symlink to a file outside the site: {shown}")
    return file, info


def _located(config: SiteConfig, error: SiteError, article: Article, picture: Picture) -> SiteError:
    """*error* about an image, located at the content file and line naming it."""
    shown = f"{config.content_dir.name}/{article.source}"
    field = "image" if picture is article.image else None
    message = error.message if error.path is None else f"{error.path}: {error.message}"
    return SiteError(message, shown, picture.line, field)


def _with_renditions(article: Article, renditions: dict[str, Rendition]) -> Article:
    """*article*, or a copy showing the current renditions if any differs from the ones it has."""
    if not article.pictures:
        return article
    image = _with_rendition(article.image, renditions)
    figures = tuple(_with_rendition(p, renditions) for p in article.figures)
    if image is article.image and all(a is b for a, b in zip(figures, article.figures, strict=True)):
        return article
    return dataclasses.replace(article, image=image, figures=figures)


def _with_rendition(picture: Picture | None, renditions: dict[str, Rendition]) -> Picture | None:
    if picture is None or picture.remote:
        return picture
    rendition = renditions.get(picture.location)
    if rendition is None or rendition == picture.rendition:  # unpublished: as read
        return picture
    return dataclasses.replace(picture, rendition=rendition)


def derived_files(articles: Iterable[Article], cache_dir: Path) -> DerivedFiles:
    """Every derivative the *articles* show: output path -> (fingerprint, cached file)."""
    best: dict[str, Rendition] = {}
    for article in articles:
        for picture in article.pictures:
            rendition = picture.rendition
            if rendition is None or rendition.vector:
                continue
            other = best.get(rendition.key)
            if other is None or len(rendition.social) > len(other.social):
                best[rendition.key] = rendition
    store = str(store_folder(cache_dir))
    files: DerivedFiles = {}
    for key in sorted(best):  # plain strings: a build of 10,000 images records 90,000 derivatives
        for name, path in best[key].files():
            files[path] = (IMAGE_PRINT + f"{key}/{name}".encode(), f"{store}/{key}/{name}")
    return files


def stage_derived(
    derived: DerivedFiles,
    output_dir: Path,
    existing: dict[str, int] | None,
    previous: dict[str, tuple[bytes, int]],
    staging: Staging,
    report: BuildReport,
    recorded: dict[str, tuple[bytes, int]],
) -> list[str]:
    """Record every derivative; hard-link those output/ lacks into the staging area (no copy of the
    bytes). Returns the paths whose record changed."""
    changed = []
    folders: set[str] = set()
    for path, (print_, file) in derived.items():
        old = previous.get(path)
        if old is not None and old[0] == print_ and (existing is None or existing.get(path) == old[1]):
            recorded[path] = old
            report.unchanged += 1
            continue
        changed.append(path)
        size = _cached_size(file, path)
        there = existing.get(path) if existing is not None else _size(output_dir / path)
        recorded[path] = (print_, size)
        if there == size:  # named by its content's key: the same file (output/ kept, the cache lost)
            report.unchanged += 1
            continue
        _link(file, staging, path, folders)
        staging.files.append(path)
        report.written += 1
        report.changed_paths.append(path)
    return changed


def _cached_size(file: str, path: str) -> int:
    try:
        return os.stat(file).st_size
    except OSError:
        raise SiteError(
            f"the processed image for output/{path} is missing from the cache; "
            "delete .site-cache/images and build again"
        ) from None


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _link(file: str, staging: Staging, relative: str, folders: set[str]) -> None:
    target = staging.path(relative)
    if staging.area.tree and str(target.parent) not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(str(target.parent))
    try:
        os.link(file, target)
    except OSError:  # another file system, or links not allowed: a copy
        shutil.copyfile(file, target)


def stale_derived(carried: dict[str, tuple[bytes, int]], derived: DerivedFiles) -> list[str]:
    """Derivatives recorded by the last build that this one no longer shows."""
    return [p for p, (print_, _) in carried.items() if print_.startswith(IMAGE_PRINT) and p not in derived]


def with_images(digest: str, images: str) -> str:
    """A build's inputs digest (see build.digests) with the digest of the images it uses."""
    return hashlib.sha256(f"{digest}\0images\0{images}".encode()).hexdigest()


def finish_images(config: SiteConfig, index: ImageIndex, complete: bool) -> None:
    """After a committed build: keep the index, and (with every article looked at) drop the cached
    derivatives of images no longer shown."""
    changed = index.changed
    index.save()
    if complete and changed:
        prune(config.cache_dir, index.keys())
