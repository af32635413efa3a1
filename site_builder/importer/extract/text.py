"""Plain-text articles: title, paragraphs and body, from raw scraped text.

Scraped text comes as "title line, paragraphs", often with the site's headline twice (the first one
truncated with "..." and completed in the next line) and with one paragraph a line or blank-line
separated paragraphs, sometimes hard-wrapped. We keep the author's paragraphs and nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*$")
_SENTENCE_END = re.compile(r"[.!?:;\"”’')\]]\s*$")
_WRAP_WIDTH = 60  # a line at least this long that stops mid-sentence was hard-wrapped


@dataclass
class PlainText:
    """A plain-text article split into its title and paragraphs (no boilerplate removal yet)."""

    title: str
    paragraphs: list[str]


def normalise(text: str) -> str:
    """Unify newlines, drop a BOM and control characters, and use NFC so offsets are stable."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def parse_plain_text(text: str) -> PlainText:
    """Split raw text into title and paragraphs, dropping a truncated or repeated headline."""
    paragraphs = _paragraphs(normalise(text))
    if not paragraphs:
        return PlainText("", [])
    title, rest = paragraphs[0], paragraphs[1:]
    if rest and _is_headline_repeat(title, rest[0]):
        title, rest = rest[0], rest[1:]
    return PlainText(title, rest)


def _is_headline_repeat(first: str, second: str) -> bool:
    """ "No shift yet, says Kremlin, as Trump tweets..." then the full headline: keep the full one."""
    if _fold(first) == _fold(second):
        return True
    if not _ELLIPSIS.search(first):
        return False
    stem = _fold(_ELLIPSIS.sub("", first))
    return bool(stem) and _fold(second).startswith(stem) and len(second) <= 300


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split()).casefold()


def _paragraphs(text: str) -> list[str]:
    """Blank-line blocks; inside a block a line break ends a paragraph unless the line was wrapped."""
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        current = ""
        for line in lines:
            if current and _is_wrapped(current, line):
                current = f"{current} {line}"
            else:
                if current:
                    paragraphs.append(current)
                current = line
        if current:
            paragraphs.append(current)
    return [" ".join(p.split()) for p in paragraphs]


def _is_wrapped(previous: str, line: str) -> bool:
    """Whether *line* continues *previous* (hard wrap) rather than starting a new paragraph."""
    last_line = previous[-200:]
    return len(last_line) >= _WRAP_WIDTH and not _SENTENCE_END.search(last_line) and line[:1].islower()


def to_markdown(paragraphs: list[str]) -> str:
    """Paragraphs as a Markdown body; a leading "#" or ">" is escaped so text stays text."""
    escaped = [("\\" + p) if p[:1] in "#>" else p for p in paragraphs]
    return "\n\n".join(escaped)
