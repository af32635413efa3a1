"""Atom feeds and the XML sitemap, built with ElementTree so escaping is never hand-written.

Bytes depend only on the data: the feed's ``updated`` is its newest entry's date, never the build time,
so an unchanged archive produces unchanged feeds.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from site_builder.config import SiteConfig

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
EPOCH = "1970-01-01T00:00:00+00:00"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def render_atom(context: dict[str, Any], config: SiteConfig) -> bytes:
    """An Atom 1.0 feed of *context*'s entries with absolute URLs and stable ids."""
    ET.register_namespace("", ATOM)
    language = context.get("language") or config.language  # a language tree's feed has its own
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": language})
    q = f"{{{ATOM}}}"
    entries = context["entries"]
    self_url = config.absolute_url(context["url"] + "feed.xml")
    _sub(feed, q + "id", config.absolute_url(context["url"]))
    _sub(feed, q + "title", context["title"])
    dates = [e["updated"] for e in entries if e["updated"]]
    _sub(feed, q + "updated", max(dates) if dates else EPOCH)
    _sub(feed, q + "link", href=config.absolute_url(context["url"]), rel="alternate", type="text/html")
    _sub(feed, q + "link", href=self_url, rel="self", type="application/atom+xml")
    author = _sub(feed, q + "author")
    _sub(author, q + "name", config.author or config.title)
    _sub(feed, q + "generator", "site_builder")
    for entry in entries:
        own = entry.get("language")  # an article in another language than its feed's
        item = _sub(feed, q + "entry", **({"xml:lang": own} if own and own != language else {}))
        _sub(item, q + "id", config.absolute_url(entry["url"]))
        _sub(item, q + "title", entry["title"])
        _sub(item, q + "link", href=config.absolute_url(entry["url"]), rel="alternate", type="text/html")
        if entry.get("image"):
            _sub(item, q + "link", **_enclosure(entry["image"], config))
        if entry["date"]:
            _sub(item, q + "published", entry["date"])
        _sub(item, q + "updated", entry["updated"] or EPOCH)
        for name in entry["authors"]:
            _sub(_sub(item, q + "author"), q + "name", name)
        for tag in entry["tags"]:
            _sub(item, q + "category", term=tag["name"])
        if entry["summary"]:
            _sub(item, q + "summary", entry["summary"])
        if entry.get("content"):  # the whole article (feed_content = "full")
            _sub(item, q + "content", entry["content"], type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _enclosure(image: dict[str, Any], config: SiteConfig) -> dict[str, str]:
    """The lead image as an entry's enclosure: its largest derivative in the original format (or the
    remote image as referenced)."""
    if image.get("remote"):
        href = image["src"]
    elif "widths" in image:
        href = config.absolute_url(f"{image['dir']}{image['widths'][-1]}.{image['ext']}")
    else:
        href = config.absolute_url(image["src"])
    link = {"rel": "enclosure", "href": href}
    if image.get("type"):
        link["type"] = image["type"]
    return link


def render_sitemap(context: dict[str, Any], config: SiteConfig) -> bytes:
    """The sitemap of *context*'s pages: their output paths and last changes (ISO text or None).

    Written as text, not built with ElementTree: a 100,000-article site lists some 150,000 pages, and
    their tree took a couple of hundred megabytes. The bytes are those ElementTree gives (indented,
    ``&``, ``<`` and ``>`` escaped; see tests/unit/test_feeds.py).
    """
    head = f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP}\""
    if not context["paths"]:
        return f"{head} />\n".encode()
    out = bytearray(f"{head}>".encode())
    for path, lastmod in zip(context["paths"], context["lastmod"], strict=True):
        entry = "\n  <url>\n    " + _text_element("loc", config.absolute_url(path.removesuffix("index.html")))
        if lastmod:
            entry += "\n    " + _text_element("lastmod", lastmod)
        out += (entry + "\n  </url>").encode("utf-8", "xmlcharrefreplace")
    out += b"\n</urlset>\n"
    return bytes(out)


def _text_element(tag: str, text: str) -> str:
    """``<tag>text</tag>`` as ElementTree writes it (an empty one is ``<tag />``)."""
    if not text:
        return f"<{tag} />"
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<{tag}>{text}</{tag}>"
