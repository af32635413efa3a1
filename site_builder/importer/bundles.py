"""Page bundles for imported articles whose images become files beside them.

Two kinds of image reference become files: those of a page saved "complete" by a browser (relative
paths into the folder saved beside it, ``Title_files/photo.jpg``), which are always copied since the
publisher's URL is unknown, and, with ``import --download-images``, the remote URLs of the lead image
and the body's figures. Either way the article is written as a page bundle,
``content/<slug>/index.md``, with the images in the same folder under clean unique names, and its
references rewritten to those names (the people's mention offsets moved with the text).

A local reference that cannot be used (missing, outside the saved folder, not an image) is removed
with a note, since the build would refuse the article for it; a download that fails leaves the
remote reference, with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.importer.downloads import Fetched, fetch_image, verified
from site_builder.importer.extract import ExtractedArticle
from site_builder.importer.extract.figures import edit_body
from site_builder.importer.extract.images import is_saved_file

BODY_IMAGE = re.compile(r'!\[(?:[^\]\\]|\\.)*\]\((?P<src>[^\s)]+)(?: "[^"]*")?\)')


@dataclass
class Bundle:
    """The image files of one article (name -> bytes) and what could not be used."""

    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def gather_bundle(
    article: ExtractedArticle, source_dir: Path | None, *, download: bool, max_bytes: int
) -> Bundle:
    """Read or fetch *article*'s images and point its references at the bundle's files."""
    bundle = Bundle()
    names: dict[str, str | None] = {}  # reference -> file name, or None: remove it
    for src in image_references(article):
        if is_saved_file(src):
            found = _saved_file(source_dir, src, max_bytes)
        elif download and urlsplit(src).scheme in ("http", "https"):
            found = fetch_image(src, max_bytes)
        else:
            continue
        if isinstance(found, str):
            local = is_saved_file(src)
            bundle.notes.append(f"image {src}: {found}; {'removed' if local else 'kept as a link'}")
            if local:
                names[src] = None
            continue
        names[src] = _unique_name(src, found, bundle.files)
        bundle.files[names[src]] = found.data
    rewrite_references(article, names)
    return bundle


def image_references(article: ExtractedArticle) -> list[str]:
    """The lead image's source and the body's image sources, each once, in order."""
    lead = article.front_matter.get("image")
    sources = [lead.get("src") if isinstance(lead, dict) else lead]
    sources += [match.group("src") for match in BODY_IMAGE.finditer(article.body)]
    return list(dict.fromkeys(src for src in sources if isinstance(src, str) and src))


def _saved_file(source_dir: Path | None, src: str, max_bytes: int) -> Fetched | str:
    if source_dir is None:
        return "not copied (the article is not a page bundle)"
    relative = unquote(urlsplit(src).path).removeprefix("./")
    folder = (source_dir / relative.split("/", 1)[0]).resolve()  # the saved folder, Title_files/
    path = (source_dir / relative).resolve()
    if not path.is_relative_to(folder):
        return "outside the saved page's folder"
    if not path.is_file():
        return "not found beside the saved page"
    if path.stat().st_size > max_bytes:
        return f"larger than the limit of {max_bytes:,} bytes"
    return verified(path.read_bytes())


def _unique_name(src: str, image: Fetched, taken: dict[str, bytes]) -> str:
    """A clean file name for the image at *src*: its own name's stem, the suffix of its format."""
    stem = unquote(urlsplit(src).path).rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:60] or "image"
    if stem == "index":  # index.* is the article's own name in a bundle
        stem = "image"
    name, number = f"{stem}.{image.suffix}", 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}.{image.suffix}"
    return name


def rewrite_references(article: ExtractedArticle, names: dict[str, str | None]) -> None:
    """Point *article*'s image references at *names* (None: remove the image), mentions kept in place."""
    if not names:
        return
    lead = article.front_matter.get("image")
    lead_src = lead.get("src") if isinstance(lead, dict) else lead
    if isinstance(lead_src, str) and lead_src in names:
        if names[lead_src] is None:
            del article.front_matter["image"]
        elif isinstance(lead, dict):
            lead["src"] = names[lead_src]
        else:
            article.front_matter["image"] = names[lead_src]
    edits = []  # (start, end, replacement) in the body
    for match in BODY_IMAGE.finditer(article.body):
        src = match.group("src")
        if src not in names:
            continue
        if names[src] is None:
            edits.append(_removal(article.body, match.start(), match.end()))
        else:
            edits.append((match.start("src"), match.end("src"), names[src] or ""))
    edit_body(article, edits)


def _removal(body: str, start: int, end: int) -> tuple[int, int, str]:
    """The span removing an image: with the blank line before it when it is a paragraph of its own."""
    if body[:start].endswith("\n\n") and (end == len(body) or body[end:].startswith("\n\n")):
        return start - 2, end, ""
    if start == 0 and body[end:].startswith("\n\n"):
        return start, end + 2, ""
    return start, end, ""
