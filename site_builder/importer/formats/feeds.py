"""RSS 2.0, RSS 1.0 and Atom feeds, read with feedparser.

Each entry with content becomes an item (its HTML as a fragment, relative links resolved against the
entry's link); an entry with only a summary is imported from the summary with its ``source_url`` and
counted as partial (``partial: true`` in its front matter). The entry's id (else its link) is how a
re-import finds the same article. A feed is parsed whole, so it is bounded by ``max_bytes`` like any
source file; entity declarations are refused before parsing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import xml.sax
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser

from site_builder.importer.items import ItemFacts, Skipped, SourceItem
from site_builder.importer.options import ImportOptions
from site_builder.importer.reading import SkipSource, declares_entities, read_source, source_key

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_feed(path: Path, options: ImportOptions) -> Iterator[SourceItem | Skipped]:
    """The entries of one feed file, in feed order."""
    try:
        raw = read_source(path, options.max_bytes)
    except SkipSource as reason:
        yield Skipped(str(path), str(reason))
        return
    if declares_entities(raw[:65536]):
        yield Skipped(str(path), "the XML declares entities (an entity bomb?); a feed has none")
        return
    parsed = feedparser.parse(raw, sanitize_html=True, resolve_relative_uris=True)
    problem = parsed.get("bozo_exception")
    archive_key = source_key(path, options.site_dir)
    for index, entry in enumerate(parsed.entries, start=1):
        yield _item(entry, f"{path}: entry {index}", archive_key)
    if isinstance(problem, xml.sax.SAXParseException):
        reason = f"malformed XML ({problem.getMessage()}); entries after it may be missing"
        yield Skipped(f"{path}: line {problem.getLineNumber()}", reason)


def _item(entry: Any, origin: str, archive_key: str) -> SourceItem | Skipped:
    title = " ".join(html.unescape(entry.get("title") or "").split())
    if not title:
        return Skipped(origin, "an entry without a title")
    body, partial = _body(entry)
    if not body.strip():
        return Skipped(origin, "an entry without content or summary")
    link = entry.get("link") or ""
    web_link = link if urlsplit(link).scheme in ("http", "https") else None
    facts = ItemFacts(
        title=title,
        date=_date(entry),
        authors=tuple(_authors(entry)),
        tags=tuple(_tags(entry)),
        source_url=web_link,
        base_url=web_link,
        partial=partial,
    )
    key = entry.get("id") or link or origin
    raw = body.encode("utf-8")
    return SourceItem(origin=origin, key=key, kind="fragment", raw=raw, archive=archive_key, facts=facts)


def _body(entry: Any) -> tuple[str, bool]:
    """The entry's content as HTML, else its summary (then partial)."""
    for content in entry.get("content", []):
        value = content.get("value") or ""
        if value.strip():
            return (value if content.get("type") in HTML_TYPES else _paragraphs(value)), False
    summary = entry.get("summary") or ""
    kind = (entry.get("summary_detail") or {}).get("type")
    return (summary if kind in HTML_TYPES else _paragraphs(summary)), True


def _paragraphs(text: str) -> str:
    blocks = (block.strip() for block in text.split("\n\n"))
    return "\n\n".join(f"<p>{html.escape(block)}</p>" for block in blocks if block)


def _date(entry: Any) -> str | None:
    """Published, else updated, as ISO 8601 in UTC (feedparser normalises every date format to UTC)."""
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if moment is None:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(moment), dt.UTC).isoformat()


def _tags(entry: Any) -> list[str]:
    names = ((tag.get("term") or tag.get("label") or "").strip() for tag in entry.get("tags", []))
    return list(dict.fromkeys(name for name in names if name))


def _authors(entry: Any) -> list[str]:
    names = [author.get("name", "").strip() for author in entry.get("authors", []) if author]
    names = [name for name in names if name]
    if not names and entry.get("author"):
        names = [entry["author"].strip()]
    return list(dict.fromkeys(names))
