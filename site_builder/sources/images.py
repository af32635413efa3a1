"""The images a content file names: its front matter ``image`` and the ``<img>`` of its rendered body.

Only paths are resolved here (a pure function of the text, so the result is cached with the article):
an image beside the article (a page bundle), a site-absolute path under ``static/``, or a remote
absolute URL kept as a reference and never fetched. Whether a local file exists and is an image is
checked by the build (see :mod:`site_builder.build.images`), every build, since the file may change
while the article does not.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

from site_builder.errors import SiteError
from site_builder.model.image import Picture

RASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
VECTOR_SUFFIXES = (".svg",)
IMAGE_SUFFIXES = RASTER_SUFFIXES + VECTOR_SUFFIXES
_TEXT_FIELDS = ("alt", "caption", "credit")
IMG_TAG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.I)


class ImagePathError(ValueError):
    """An image reference that cannot be used (the message says why)."""


def resolve_src(src: str, source: str) -> tuple[str, str]:
    """(root, path) of the image *src* named by the content file *source* (relative to content/):
    ``("", src)`` for a remote URL, ``("static", path)`` for a site-absolute path, ``("content",
    path)`` for a file beside the article. Raises ImagePathError for what may not be used."""
    src = src.strip()
    parts = urlsplit(src)
    if parts.scheme or src.startswith("//"):
        if parts.scheme.lower() in {"http", "https", ""} and parts.netloc:
            return "", src
        raise ImagePathError(f"expected an image file or an http(s) URL, got {src!r}")
    if parts.query or parts.fragment:
        raise ImagePathError(f"a local image path has no query or fragment: {src!r}")
    path = unquote(parts.path)
    segments = path.strip("/").split("/")
    if "\\" in path or "\x00" in path or any(s in {"", ".", ".."} for s in segments):
        raise ImagePathError(
            f"image paths may not contain '..', '.', empty segments or backslashes ({src!r}): "
            "put the image beside the article or under static/"
        )
    suffix = posixpath.splitext(path)[1].lower()
    if suffix not in IMAGE_SUFFIXES:
        raise ImagePathError(f"{src!r} is not an image this site can use ({', '.join(IMAGE_SUFFIXES)})")
    if path.startswith("/"):
        return "static", path.lstrip("/")
    if suffix in VECTOR_SUFFIXES:
        raise ImagePathError(f"SVG images are used only from static/ (never from content/): {src!r}")
    return "content", posixpath.join(posixpath.dirname(source), path)


def read_lead_image(
    value: Any, source: str, line: int | None, error: Callable[[str], SiteError]
) -> Picture | None:
    """The front matter ``image``: a source (text), or a mapping with ``src`` and optionally ``alt``,
    ``caption``, ``credit``, ``width`` and ``height`` (the last two for a remote image)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = {"src": value}
    if not isinstance(value, dict) or not isinstance(value.get("src"), str) or not value["src"].strip():
        raise error(f"expected an image path or URL, or a mapping with 'src', got {value!r}")
    unknown = sorted(set(value) - {"src", "width", "height", *_TEXT_FIELDS})
    if unknown:
        raise error(f"unknown key(s) {', '.join(map(repr, unknown))}; expected src, alt, caption, credit")
    texts = {}
    for name in _TEXT_FIELDS:
        text = value.get(name, "")
        if not isinstance(text, (str, int, float)) or isinstance(text, bool):
            raise error(f"'{name}' must be text, got {text!r}")
        texts[name] = " ".join(str(text).split())
    size = [_dimension(value, name, error) for name in ("width", "height")]
    try:
        root, path = resolve_src(value["src"], source)
    except ImagePathError as problem:
        raise error(str(problem)) from None
    return Picture(value["src"].strip(), root, path, line, width=size[0], height=size[1], **texts)


def _dimension(value: dict, name: str, error: Callable[[str], SiteError]) -> int | None:
    number = value.get(name)
    if number is None:
        return None
    if isinstance(number, bool) or not isinstance(number, int) or not 0 < number <= 100_000:
        raise error(f"'{name}' must be a whole number of pixels, got {number!r}")
    return number


def body_pictures(body_html: str, body_text: str, body_line: int, source: str, shown: str) -> tuple:
    """The local and remote images of a rendered body, each once, in order, with the line of the
    Markdown naming them; *shown* is the content file as named in errors."""
    if "<img" not in body_html and "<IMG" not in body_html:
        return ()
    found: dict[str, Picture] = {}
    for tag in IMG_TAG.finditer(body_html):
        attrs = tag_attributes(tag.group())
        src = attrs.get("src", "").strip()
        if not src or src in found or src.lower().startswith("data:"):
            continue
        line = _line_of(src, body_text, body_line)
        try:
            root, path = resolve_src(src, source)
        except ImagePathError as problem:
            raise SiteError(str(problem), shown, line) from None
        found[src] = Picture(src, root, path, line, alt=attrs.get("alt", ""), caption=attrs.get("title", ""))
    return tuple(found.values())


def _line_of(src: str, text: str, first_line: int) -> int:
    """The line of *text* (which starts at *first_line*) where *src* is written, else the first."""
    at = text.find(src)
    if at < 0:
        at = text.find(html.escape(src))
    return first_line + (text.count("\n", 0, at) if at >= 0 else 0)


class _TagReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def tag_attributes(tag: str) -> dict[str, str]:
    """The attributes of one start tag, entities decoded."""
    reader = _TagReader()
    reader.feed(tag)
    reader.close()
    return reader.attrs
