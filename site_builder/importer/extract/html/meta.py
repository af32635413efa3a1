"""What a page states about itself: meta tags, JSON-LD objects (the article's own found among them),
h1 headings, <title>, canonical URL and language.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

ARTICLE_TYPE = re.compile(r"(article|posting|report)$", re.IGNORECASE)
"""schema.org types that describe the article itself (NewsArticle, BlogPosting, Report, ...)."""


@dataclass(frozen=True)
class PageMeta:
    """The page's own statements about itself: meta tags, JSON-LD objects, headings."""

    meta: dict[str, list[str]]
    ld_objects: list[dict[str, Any]]
    ld_by_id: dict[str, dict[str, Any]]
    h1: list[str]
    title_tag: str | None
    html_lang: str | None
    canonical: str | None
    article: dict[str, Any] | None
    """The JSON-LD object describing this page's article (see :func:`main_article`)."""

    def first(self, *keys: str) -> str | None:
        """First non-empty meta value among ``keys`` (names and properties, case-insensitive)."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return clean_text(value)
        return None

    def resolve(self, obj: Any) -> Any:
        """Follow a JSON-LD ``{"@id": ...}`` reference to the full object in the page's graph."""
        if isinstance(obj, dict) and set(obj) <= {"@id", "@type"} and obj.get("@id") in self.ld_by_id:
            return self.ld_by_id[obj["@id"]]
        return obj


def read_page_meta(tree: Any) -> PageMeta:
    """Collect meta tags, JSON-LD objects, h1 texts, <title> and the declared language from the tree."""
    meta: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        # microdata itemprops are scoped to their item (an image's "author" is its photographer),
        # so only those of the page's own item (no enclosing itemscope but the article) count
        key = node.get("property") or node.get("name") or node.get("http-equiv") or _own_itemprop(node)
        content = node.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), []).append(content)
    found = list(_json_ld_objects(tree))
    objects = [obj for obj, _ in found]
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and len(o) > 1}
    h1 = [t for t in (clean_text(h.text_content()) for h in tree.iter("h1") if not in_navigation(h)) if t]
    titles = [clean_text(t.text_content()) for t in tree.xpath("//head/title") or tree.xpath("//title")]
    canonical = _canonical_url(tree, meta)
    return PageMeta(
        meta=meta,
        ld_objects=objects,
        ld_by_id=by_id,
        h1=h1,
        title_tag=titles[0] if titles else None,
        html_lang=tree.getroottree().getroot().get("lang"),
        canonical=canonical,
        article=main_article(found, canonical),
    )


NESTED_KEYS = {
    "itemlistelement",
    "relatedlink",
    "ispartof",
    "haspart",
    "liveblogupdate",
    "mentions",
    "citation",
    "subjectof",
    "about",
    "review",
    "comment",
}
"""JSON-LD properties whose objects are other works (related stories, live-blog entries), not the page."""


NAVIGATION = re.compile(
    r"(?<![a-z])(?:breadcrumbs?|nav|navigation|menu|masthead|logo)(?![a-z])", re.IGNORECASE
)
"""Class or id words of page furniture whose headings are not the article's."""


def in_navigation(node: Any) -> bool:
    """Inside navigation, breadcrumbs, a menu, an aside or the footer, and not inside the article."""
    for ancestor in node.iterancestors():
        if ancestor.tag in ("article", "main", "body"):
            return False
        if ancestor.tag in ("nav", "aside", "footer") or ancestor.get("role") == "navigation":
            return True
        if NAVIGATION.search(f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"):
            return True
    return False


def main_article(found: list[tuple[dict[str, Any], bool]], canonical: str | None) -> dict[str, Any] | None:
    """The JSON-LD object for this page's article.

    Candidates have an article type (NewsArticle, BlogPosting, Report, ...) and are not nested in a
    list of other works; one whose URL is the page's canonical URL wins, else the first with a
    headline, else the first.
    """
    typed = [o for o, nested in found if not nested and any(ARTICLE_TYPE.search(t) for t in ld_types(o))]
    with_headline = [o for o in typed if isinstance(o.get("headline"), str) and o["headline"].strip()]
    if canonical:
        for obj in with_headline:
            if _same_url(canonical, _ld_url(obj)):
                return obj
    return (with_headline or typed or [None])[0]


def _ld_url(obj: dict[str, Any]) -> str | None:
    for key in ("url", "mainEntityOfPage", "@id"):
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.startswith("http"):
            return value
    return None


def _same_url(a: str, b: str | None) -> bool:
    """Same page: scheme, query, fragment, "www." and a trailing slash do not matter."""
    if not b:
        return False
    parts = [urlsplit(u) for u in (a, b)]
    keys = [((p.hostname or "").removeprefix("www."), p.path.rstrip("/")) for p in parts]
    return keys[0] == keys[1]


def _canonical_url(tree: Any, meta: dict[str, list[str]]) -> str | None:
    """<link rel=canonical>, else og:url; only absolute http(s) URLs."""
    for link in tree.iter("link"):
        href = (link.get("href") or "").strip()
        if "canonical" in (link.get("rel") or "").lower().split() and href.startswith("http"):
            return href
    url = next((u.strip() for u in meta.get("og:url", []) if u.strip().startswith("http")), None)
    return url


def _own_itemprop(node: Any) -> str | None:
    """The itemprop of a <meta> unless it sits inside an image/video/person item."""
    scope = next(node.iterancestors(), None)
    for ancestor in node.iterancestors():
        if ancestor.get("itemscope") is not None:
            scope = ancestor
            break
    kind = (scope.get("itemtype") or "").lower() if scope is not None else ""
    if any(word in kind for word in ("image", "video", "person", "organization", "comment")):
        return None
    return node.get("itemprop")


def _json_ld_objects(tree: Any) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every dict in every ``application/ld+json`` script, in document order (``@graph`` flattened),
    with whether it sits under a property that holds other works (:data:`NESTED_KEYS`)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        text = script.text.strip().removeprefix("<!--").removesuffix("-->").strip()
        text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        yield from _walk_dicts(data)


def _walk_dicts(data: Any, nested: bool = False) -> Iterator[tuple[dict[str, Any], bool]]:
    if isinstance(data, dict):
        yield data, nested
        for key, value in data.items():
            yield from _walk_dicts(value, nested or str(key).lower() in NESTED_KEYS)
    elif isinstance(data, list):
        for value in data:
            yield from _walk_dicts(value, nested)


def ld_types(obj: dict[str, Any]) -> list[str]:
    """An object's ``@type`` as a list of bare names ("NewsArticle", not "schema:NewsArticle")."""
    raw = obj.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return [str(n).rsplit(":", 1)[-1].rsplit("/", 1)[-1] for n in names if n]


def clean_text(value: Any) -> str:
    """Unescape HTML entities (JSON-LD often carries them) and fold whitespace."""
    text = htmlmod.unescape(str(value)) if value is not None else ""
    return " ".join(text.split())
