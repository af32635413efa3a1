"""WordPress exports (WXR: ``Tools > Export`` in WordPress, an RSS file with ``wp:`` elements).

Every published post becomes an item (pages too with ``ImportOptions.pages``): its body HTML as an
HTML fragment, and as facts its title, GMT date, authors' display names, categories and tags, excerpt,
old permalink (an alias, so old URLs redirect) and its attachments (URL, caption, alt; the featured
image marked). Drafts, pending and private posts, password-protected posts, revisions, trash and
other post types are excluded and counted. The file is read twice with lxml's pull parser, each
element cleared once read: first for the attachments (small records that may come after the posts
they belong to) and the authors, then for the posts. A several-GB export needs the memory of one post.
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from site_builder.importer.fragments import plain_text
from site_builder.importer.items import Excluded, ItemFacts, Skipped, SourceItem
from site_builder.importer.options import ImportOptions
from site_builder.importer.reading import declares_entities, open_source, read_head, source_key
from site_builder.sources.reader import site_path

WP_PREFIX = "http://wordpress.org/export/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
EXCLUDED_STATUS = {
    "draft": "draft",
    "auto-draft": "draft",
    "pending": "draft",
    "private": "private",
    "trash": "trash",
    "inherit": "revision",
}
IMPORTED_STATUS = {"publish", "future"}  # future: scheduled; the build leaves it out until its date
NO_DATE = "0000-00-00 00:00:00"
READ_CHUNK = 256 * 1024


@dataclass
class _Archive:
    """What the first pass learns: authors' display names, and attachments by parent and by id."""

    authors: dict[str, str] = field(default_factory=dict)
    by_parent: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    by_id: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class _Post:
    """The fields of one ``<item>``: single ones by name (``wp:status``, ``content``, ``excerpt``,
    ``creator``, ``title``...), categories as ``(domain, nicename, name)``, post meta by key."""

    fields: dict[str, str]
    categories: list[tuple[str, str, str]]
    meta: dict[str, str]

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def read_wxr(path: Path, options: ImportOptions) -> Iterator[SourceItem | Excluded | Skipped]:
    """The posts of a WordPress export, one item at a time (see the module docstring)."""
    if declares_entities(read_head(path)):
        yield Skipped(str(path), "the XML declares entities (an entity bomb?); a WordPress export has none")
        return
    archive = _first_pass(path)
    archive_key = source_key(path, options.site_dir)
    index = 0
    try:
        for element in _elements(path, ("item",)):
            index += 1
            origin = f"{path}: item {index}"
            yield _item(_read_post(element), origin, archive_key, archive, options)
            _release(element)
    except etree.XMLSyntaxError as error:
        yield Skipped(
            f"{path}: line {error.lineno}", f"malformed XML ({error.msg}); the items after it are lost"
        )
    except (OSError, EOFError, zlib.error) as error:
        reason = f"unreadable after item {index} ({error}); the items after it are lost"
        yield Skipped(f"{path}: item {index + 1}", reason)


def _elements(path: Path, tags: tuple[str, ...]) -> Iterator[Any]:
    """The elements named *tags*, as each ends; entities are never expanded, nothing is fetched.

    A pull parser fed in chunks: at a syntax error, the elements completed before it are still given
    (``iterparse`` drops those of the chunk that holds the error), then the error is raised.
    """
    parser = etree.XMLPullParser(
        events=("end",), tag=tags, resolve_entities=False, no_network=True, load_dtd=False
    )
    with open_source(path) as stream:
        while chunk := stream.read1(READ_CHUNK):
            try:
                parser.feed(chunk)
            except etree.XMLSyntaxError:
                yield from (element for _, element in parser.read_events())
                raise
            yield from (element for _, element in parser.read_events())
        parser.close()
        yield from (element for _, element in parser.read_events())


def _release(element: Any) -> None:
    """Free a parsed element and the siblings before it: the parser keeps them otherwise."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _first_pass(path: Path) -> _Archive:
    archive = _Archive()
    try:
        for element in _elements(path, ("item", "{*}author")):
            if element.tag == "item":
                post = _read_post(element)
                if post.get("wp:post_type") == "attachment":
                    _add_attachment(archive, post)
            elif element.tag.startswith("{" + WP_PREFIX):
                author = _read_post(element)
                login = author.get("wp:author_login")
                archive.authors[login] = author.get("wp:author_display_name") or login
            else:
                continue  # an <author> of another namespace, maybe inside an item: left for the item
            _release(element)
    except (etree.XMLSyntaxError, OSError, EOFError, zlib.error):
        pass  # the second pass reports it, at the same place, after the items before it
    return archive


def _read_post(element: Any) -> _Post:
    post = _Post({}, [], {})
    for child in element:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction
        namespace, _, name = child.tag[1:].partition("}") if child.tag[0] == "{" else ("", "", child.tag)
        if name == "category" and not namespace:
            post.categories.append((child.get("domain", ""), child.get("nicename", ""), child.text or ""))
        elif name == "postmeta" and namespace.startswith(WP_PREFIX):
            key = child.findtext("{*}meta_key") or ""
            post.meta.setdefault(key, child.findtext("{*}meta_value") or "")
        elif namespace.startswith(WP_PREFIX):
            post.fields.setdefault(
                "excerpt" if namespace.endswith("/excerpt/") else f"wp:{name}", child.text or ""
            )
        elif namespace == CONTENT_NS:
            post.fields.setdefault("content", child.text or "")
        else:
            post.fields.setdefault(name, child.text or "")
    return post


def _add_attachment(archive: _Archive, post: _Post) -> None:
    url = post.get("wp:attachment_url") or post.get("guid")
    if not url:
        return
    reference = {"url": url}
    if caption := plain_text(post.get("excerpt")):
        reference["caption"] = caption
    if alt := post.meta.get("_wp_attachment_image_alt", "").strip():
        reference["alt"] = alt
    archive.by_id[post.get("wp:post_id")] = reference
    archive.by_parent.setdefault(post.get("wp:post_parent"), []).append(reference)


def _item(
    post: _Post, origin: str, archive_key: str, archive: _Archive, options: ImportOptions
) -> SourceItem | Excluded | Skipped:
    excluded = _exclusion(post, options)
    if excluded is not None:
        return Excluded(excluded)
    title = html.unescape(post.get("title"))
    if not title:
        return Skipped(origin, "a post without a title")
    raw = post.fields.get("content", "").encode("utf-8")
    if len(raw) > options.max_bytes:
        return Skipped(origin, f"larger than {options.max_bytes:,} bytes ({len(raw):,})")
    link = post.get("link")
    key = post.get("guid") or link or f"{archive_key}#post-{post.get('wp:post_id')}"
    facts = ItemFacts(
        title=title,
        date=_date(post),
        authors=_authors(post, archive),
        tags=_tags(post),
        summary=plain_text(post.get("excerpt")) or None,
        source_url=link if _is_web_url(link) else None,
        base_url=link or None,
        aliases=_aliases(link),
        attachments=tuple(_attachments(post, archive)),
    )
    return SourceItem(origin=origin, key=key, kind="fragment", raw=raw, archive=archive_key, facts=facts)


def _exclusion(post: _Post, options: ImportOptions) -> str | None:
    """Why a post is not imported (counted by this reason), or None to import it."""
    post_type = post.get("wp:post_type") or "post"
    if post_type == "attachment":
        return "attachment (kept as a reference in its post)"
    if post_type == "revision":
        return "revision"
    if post_type == "page" and not options.pages:
        return "page (import them with --pages)"
    if post_type not in ("post", "page"):
        return f"post type {post_type!r}"
    status = post.get("wp:status") or "publish"
    if status not in IMPORTED_STATUS:
        return EXCLUDED_STATUS.get(status, f"status {status!r}")
    if post.get("wp:post_password"):
        return "password-protected"
    return None


def _date(post: _Post) -> str | None:
    """The post's GMT date as ISO 8601 with its zone; its local date (zone unknown) when GMT is unset."""
    gmt, local = post.get("wp:post_date_gmt"), post.get("wp:post_date")
    if gmt and gmt != NO_DATE:
        return gmt.replace(" ", "T") + "+00:00"
    if local and local != NO_DATE:
        return local.replace(" ", "T")
    return None


def _authors(post: _Post, archive: _Archive) -> tuple[str, ...]:
    login = post.get("creator")
    return (archive.authors.get(login, login),) if login else ()


def _tags(post: _Post) -> tuple[str, ...]:
    """Categories and tags; WordPress's default category ("Uncategorized") is not a topic."""
    names = [
        html.unescape(name).strip()
        for domain, nicename, name in post.categories
        if domain in ("category", "post_tag") and nicename != "uncategorized"
    ]
    return tuple(dict.fromkeys(name for name in names if name))


def _aliases(link: str) -> tuple[str, ...]:
    """The old permalink's path, so the old URL redirects (``?p=123`` links cannot be static pages)."""
    parts = urlsplit(link)
    if not _is_web_url(link) or parts.query or parts.path in ("", "/"):
        return ()
    path = site_path(parts.path, f"{parts.scheme}://{parts.netloc}/")
    return (path,) if path else ()


def _attachments(post: _Post, archive: _Archive) -> list[dict[str, Any]]:
    references: list[dict[str, Any]] = [
        dict(reference) for reference in archive.by_parent.get(post.get("wp:post_id"), [])
    ]
    featured = archive.by_id.get(post.meta.get("_thumbnail_id", "").strip())
    if featured is not None:
        for reference in references:
            if reference["url"] == featured["url"]:
                reference["featured"] = True
                break
        else:
            references.insert(0, {**featured, "featured": True})
    return references


def _is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
