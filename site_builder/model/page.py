"""A planned output file: its path, kind, template and the data it shows (values only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, how it is rendered and the data it reads."""

    path: str  # relative to output/, POSIX, e.g. "articles/slug/index.html"
    kind: str  # "html" (a template), "feed", "sitemap", "text", "stored" or "bytes" (a plugin's file)
    context: dict[str, Any] = field(hash=False)
    template: str | None = None
    body_key: str | None = None  # rendered article body streamed from the cache at render time
    source: str | None = None  # the content file behind the page, for error messages

    @property
    def url(self) -> str:
        return self.path.removesuffix("index.html")
