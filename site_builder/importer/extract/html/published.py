"""The publication time: JSON-LD and meta tags keep the page's time and zone; htmldate is the fallback."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from site_builder.importer.extract.html.meta import PageMeta

DATE_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "pubdate",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
)


def choose_date(page: PageMeta, tree: Any, url: str | None) -> datetime | None:
    """Publication time from JSON-LD / meta tags (keeping their zone), else htmldate's day."""
    article = page.article or {}
    candidates = [article.get("datePublished"), article.get("dateCreated")]
    candidates += [page.first(key) for key in DATE_META_KEYS]
    for node in tree.xpath("//time[@itemprop='datePublished' or @pubdate][@datetime]")[:1]:
        candidates.append(node.get("datetime"))
    for value in candidates:
        parsed = parse_datetime(value)
        if parsed:
            return parsed
    return _htmldate(tree, url)


def parse_datetime(value: Any) -> datetime | None:
    """Parse an ISO 8601-like timestamp ("2024-05-02T20:53:56.000Z", "...+0200"); None if not one."""
    if not isinstance(value, str) or not re.match(r"\s*\d{4}-\d\d-\d\d", value):
        return None
    text = value.strip().replace(" ", "T", 1)
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text.replace("Z", "+00:00"))
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            return None


def _htmldate(tree: Any, url: str | None) -> datetime | None:
    """htmldate's day, called directly: trafilatura returns no metadata when it finds no main text."""
    from htmldate import find_date

    found = find_date(tree, extensive_search=False, original_date=True, url=url, outputformat="%Y-%m-%d")
    return datetime.fromisoformat(found) if found else None
