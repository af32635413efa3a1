"""Fetching an imported article's images (``import --download-images``), within limits.

Only ``http`` and ``https`` URLs; a response must say it is a JPEG, PNG, GIF or WebP image, be no
larger than the limit (read in chunks, so a lying ``Content-Length`` or an endless body costs no more
than the limit) and be an image Pillow can read of that format, before it is kept. Each failure is a
reason, not an exception: the article keeps the reference to the publisher's copy instead.
"""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from site_builder.images.process import MAX_PIXELS
from site_builder.version import __version__

MAX_IMAGE_BYTES = 20 * 1024 * 1024  # a news photograph is well under this; a bigger file is not one
TIMEOUT_SECONDS = 20
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
PILLOW_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Fetched:
    """An image that was downloaded: its bytes and the file suffix of its format."""

    data: bytes
    suffix: str


def fetch_image(url: str, max_bytes: int = MAX_IMAGE_BYTES) -> Fetched | str:
    """The image at *url*, or the reason it was not taken."""
    if urlsplit(url).scheme not in ("http", "https"):
        return "not an http(s) URL"
    agent = f"site-builder/{__version__} (image import)"
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # scheme checked above
            kind = (response.headers.get_content_type() or "").lower()
            if kind not in IMAGE_TYPES:
                return f"not an image (Content-Type {kind or 'missing'})"
            data = _read_limited(response, max_bytes)
    except (urllib.error.URLError, OSError, ValueError) as error:
        return f"could not be downloaded ({getattr(error, 'reason', error)})"
    if data is None:
        return f"larger than the limit of {max_bytes:,} bytes"
    return verified(data)


def _read_limited(response, max_bytes: int) -> bytes | None:
    """The body, or None once it passes *max_bytes*."""
    buffer = io.BytesIO()
    while chunk := response.read(_CHUNK):
        buffer.write(chunk)
        if buffer.tell() > max_bytes:
            return None
    return buffer.getvalue()


def verified(data: bytes) -> Fetched | str:
    """*data* as a :class:`Fetched` image if Pillow reads it as one of the web's raster formats."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            suffix = PILLOW_FORMATS.get(image.format or "")
            pixels = image.width * image.height
            image.verify()
    except Exception as error:  # noqa: BLE001 - any decoder failure means: not an image we keep
        return f"not a readable image ({error.__class__.__name__})"
    if suffix is None:
        return "not a JPEG, PNG, GIF or WebP image"
    if pixels > MAX_PIXELS:  # the build refuses it (a decompression bomb or a poster scan)
        return f"{pixels:,} pixels, more than the build's limit of {MAX_PIXELS:,}"
    return Fetched(data, suffix)
