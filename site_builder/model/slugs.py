"""Slugs: the one path segment a title, tag or person becomes in a URL.

A slug is never empty, never a dot segment and never contains a separator, whatever the input,
because it is joined into output paths.
"""

from __future__ import annotations

import hashlib
import re

from slugify import slugify as _library_slugify

_RESERVED = {"", ".", "..", "con", "prn", "aux", "nul"} | {
    f"{dev}{n}" for dev in ("com", "lpt") for n in range(1, 10)
}
_MAX_LENGTH = 80
_APOSTROPHES = re.compile(r"(?<=\w)['’](?=\w)")


def slugify(text: str) -> str:
    """Return a lower-case ASCII slug for *text* that is always safe as one path segment."""
    text = _APOSTROPHES.sub("", str(text))  # "Editor's" -> "editors", as readers would type it
    slug = _library_slugify(text, max_length=_MAX_LENGTH, word_boundary=True, save_order=True)
    slug = re.sub(r"[^a-z0-9-]+", "-", slug).strip("-")
    if slug in _RESERVED:
        digest = hashlib.sha1(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug and slug not in {".", ".."} else f"item-{digest}"
    return slug


def unique_slug(slug: str, taken: set[str]) -> str:
    """Return *slug*, or *slug*-2, -3... so that it is not in *taken* (deterministic)."""
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"
