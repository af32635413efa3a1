"""The Markdown body: trafilatura's text without boilerplate paragraphs or repeated headlines."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from site_builder.importer.extract.html.title import fold_title


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    """Paragraph patterns from ``html_boilerplate.txt`` (one regex a line, ``#`` comments)."""
    data = resources.files("site_builder.importer.extract").joinpath("html_boilerplate.txt")
    text = data.read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(re.compile(line, re.IGNORECASE) for line in lines if line and not line.startswith("#"))


INLINE_TAG = re.compile(r"</?(?:u|ins|del|s|sup|sub|span|small|mark|font|abbr|cite)>", re.IGNORECASE)
"""Presentational tags trafilatura leaves in its Markdown; their text is kept, the tags are not."""


def clean_body(markdown: str, titles: Iterable[str]) -> str:
    """Normalise headings to ``##``, drop boilerplate paragraphs and repeated titles.

    ``titles`` are the page's headline variants (chosen title, og:title, h1s): a paragraph or heading
    repeating one of them, with or without a trailing ellipsis, is furniture.
    """
    repeated = {fold_title(t).rstrip(".… ") for t in titles if t}
    paragraphs = []
    for block in re.split(r"\n\s*\n", markdown):
        block = block.strip()
        if not block:
            continue
        block = re.sub(r"^#{1,6}\s+", "## ", block)
        block = INLINE_TAG.sub("", block)
        plain = " ".join(re.sub(r"[*_#>`\[\]]", "", block).split())
        if fold_title(plain).rstrip(".… ") in repeated or any(
            p.fullmatch(plain) for p in boilerplate_patterns()
        ):
            continue
        paragraphs.append(block)
    return "\n\n".join(paragraphs)
