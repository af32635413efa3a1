"""RSS 2.0 and JSON Feed 1.1, beside the Atom feed of :mod:`site_builder.render.feeds`, and the whole
articles a feed carries when the site sets ``feed_content = "full"``.

Both are made from the same planned entries as the Atom feed and depend only on them: the channel's
date is the newest entry's, never the build time.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from site_builder.config import SiteConfig
from site_builder.render.feeds import _enclosure
from site_builder.render.images import rewrite_images

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def with_content(
    context: dict[str, Any], load_body: Callable[[str], Any], config: SiteConfig
) -> dict[str, Any]:
    """*context* whose entries carry their article's HTML (``content``) with absolute links and images,
    as a feed reader away from the site needs them."""
    entries = []
    for entry in context["entries"]:
        if "key" not in entry:
            entries.append(entry)
            continue
        html = load_body(entry["key"]).html
        if entry.get("figures"):
            html = rewrite_images(html, entry["figures"], config.absolute_url)
        entries.append({**entry, "content": absolute_links(html, config.absolute_url(entry["url"]))})
    return {**context, "entries": entries}


def absolute_links(html: str, base: str) -> str:
    """*html* with every link and image made absolute against *base* (the article's own URL)."""
    if not html.strip():
        return html
    import lxml.html  # (only sites with full-content feeds need it)

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False)
    parts = [root.text or ""] + [lxml.html.tostring(child, encoding="unicode") for child in root]
    return "".join(parts)


def _rfc822(iso_text: str | None) -> str | None:
    return email.utils.format_datetime(dt.datetime.fromisoformat(iso_text)) if iso_text else None


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def render_rss(context: dict[str, Any], config: SiteConfig) -> bytes:
    """An RSS 2.0 feed of *context*'s entries (dates in RFC 822, bylines as ``dc:creator``)."""
    ET.register_namespace("atom", ATOM)
    ET.register_namespace("dc", DC)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    entries = context["entries"]
    _sub(channel, "title", context["title"])
    _sub(channel, "link", config.absolute_url(context["url"]))
    _sub(channel, "description", config.description or context["title"])
    _sub(channel, "language", context.get("language") or config.language)
    dates = [e["updated"] for e in entries if e["updated"]]
    if dates:
        _sub(channel, "lastBuildDate", _rfc822(max(dates)))
    _sub(channel, "generator", "site_builder")
    self_url = config.absolute_url(context["url"] + "rss.xml")
    _sub(channel, f"{{{ATOM}}}link", href=self_url, rel="self", type="application/rss+xml")
    for entry in entries:
        item = _sub(channel, "item")
        link = config.absolute_url(entry["url"])
        _sub(item, "title", entry["title"])
        _sub(item, "link", link)
        _sub(item, "guid", link, isPermaLink="true")
        if entry["date"]:
            _sub(item, "pubDate", _rfc822(entry["date"]))
        for name in entry["authors"]:
            _sub(item, f"{{{DC}}}creator", name)
        for tag in entry["tags"]:
            _sub(item, "category", tag["name"])
        description = entry.get("content") or entry["summary"]
        if description:
            _sub(item, "description", description)
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"


def render_json_feed(context: dict[str, Any], config: SiteConfig) -> bytes:
    """A JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of *context*'s entries."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": context["title"],
        "home_page_url": config.absolute_url(context["url"]),
        "feed_url": config.absolute_url(context["url"] + "feed.json"),
        "language": context.get("language") or config.language,
    }
    if config.description:
        feed["description"] = config.description
    if config.author:
        feed["authors"] = [{"name": config.author}]
    feed["items"] = [_json_item(entry, config) for entry in context["entries"]]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(entry: dict[str, Any], config: SiteConfig) -> dict[str, Any]:
    url = config.absolute_url(entry["url"])
    item: dict[str, Any] = {"id": url, "url": url, "title": entry["title"]}
    if "content" in entry:
        item["content_html"] = entry["content"]
    else:
        item["content_text"] = entry["summary"]
    if entry["summary"]:
        item["summary"] = entry["summary"]
    if entry.get("image"):
        item["image"] = _enclosure(entry["image"], config)["href"]
    if entry["date"]:
        item["date_published"] = entry["date"]
    if entry["updated"] and entry["updated"] != entry["date"]:
        item["date_modified"] = entry["updated"]
    if entry["authors"]:
        item["authors"] = [{"name": name} for name in entry["authors"]]
    if entry["tags"]:
        item["tags"] = [tag["name"] for tag in entry["tags"]]
    if entry.get("language"):
        item["language"] = entry["language"]
    return item
