"""A check of JSON Feed 1.1 documents against the spec's required fields and types
(https://jsonfeed.org/version/1.1): what feed readers rely on."""

from __future__ import annotations

import datetime as dt
from typing import Any

VERSION = "https://jsonfeed.org/version/1.1"
_FEED_STRINGS = ("title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon",
                 "favicon", "language")  # fmt: skip
_ITEM_STRINGS = ("url", "external_url", "title", "content_html", "content_text", "summary", "image",
                 "banner_image", "language")  # fmt: skip


def jsonfeed_problems(feed: Any) -> list[str]:
    """Every way *feed* (parsed JSON) breaks JSON Feed 1.1; empty when it is valid."""
    if not isinstance(feed, dict):
        return ["the feed is not an object"]
    problems = []
    if feed.get("version") != VERSION:
        problems.append(f"version is {feed.get('version')!r}, not {VERSION}")
    if not isinstance(feed.get("title"), str):
        problems.append("title is required and must be a string")
    problems += [
        f"{key} must be a string" for key in _FEED_STRINGS if key in feed and not isinstance(feed[key], str)
    ]
    problems += _authors(feed, "feed")
    items = feed.get("items")
    if not isinstance(items, list):
        return [*problems, "items is required and must be an array"]
    ids = set()
    for number, item in enumerate(items):
        problems += [f"item {number}: {problem}" for problem in _item_problems(item)]
        if isinstance(item, dict):
            if item.get("id") in ids:
                problems.append(f"item {number}: id {item.get('id')!r} is not unique")
            ids.add(item.get("id"))
    return problems


def _item_problems(item: Any) -> list[str]:
    if not isinstance(item, dict):
        return ["not an object"]
    problems = []
    if not isinstance(item.get("id"), str) or not item["id"]:
        problems.append("id is required and must be a non-empty string")
    if "content_html" not in item and "content_text" not in item:
        problems.append("content_html or content_text is required")
    problems += [
        f"{key} must be a string" for key in _ITEM_STRINGS if key in item and not isinstance(item[key], str)
    ]
    for key in ("date_published", "date_modified"):
        if key in item and not _rfc3339(item[key]):
            problems.append(f"{key} {item[key]!r} is not an RFC 3339 date-time")
    if "tags" in item and not (
        isinstance(item["tags"], list) and all(isinstance(t, str) for t in item["tags"])
    ):
        problems.append("tags must be an array of strings")
    return problems + _authors(item, "item")


def _authors(holder: dict, where: str) -> list[str]:
    if "authors" not in holder:
        return []
    authors = holder["authors"]
    if not isinstance(authors, list) or not all(isinstance(a, dict) and a for a in authors):
        return [f"{where} authors must be an array of objects"]
    keys = {"name", "url", "avatar"}
    return [f"{where} author {a!r}: needs a name, url or avatar (strings)" for a in authors
            if not keys & a.keys() or not all(isinstance(v, str) for v in a.values())]  # fmt: skip


def _rfc3339(value: Any) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False
