"""Where a page names its authors: JSON-LD, author meta tags, a visible byline after the headline."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from site_builder.importer.extract.html.bylines import (
    ACCOUNT_NAMES,
    BYLINE_PREFIX,
    PARTICLES,
    clean_authors,
    is_person_name,
    looks_like_name,
    split_byline,
)
from site_builder.importer.extract.html.meta import PageMeta, clean_text, in_navigation

AUTHOR_META_KEYS = (
    "author",
    "article:author_name",
    "article:author",
    "og:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "cxenseparse:author",
    "byl",
)


def choose_authors(
    page: PageMeta,
    tree: Any,
    names: list[str],
    fallback: str | None,
    *,
    body: str = "",
    language: str | None = None,
) -> list[str]:
    """Authors from the first source that yields real names: JSON-LD, meta tags, visible byline.

    JSON-LD organisations stay beside the people (bylines credit agencies: "Jane Doe and AP"). When
    that source names no person (only an agency, a newsroom or the site's own account), a person
    named by a later source, or in a byline line at the top of the body, is preferred.
    """
    sources: list[list[str]] = [_ld_authors(page)]
    sources += [page.meta.get(key, []) for key in AUTHOR_META_KEYS]
    sources.append(_visible_byline(tree))
    found = [clean_authors(raw, names, language) for raw in sources]
    first = next((authors for authors in found if authors), [])
    if any(is_person_name(name, names) for name in first):
        return first
    later = [authors for authors in found if any(is_person_name(n, names) for n in authors)]
    persons = later[0] if later else body_byline(body, names, language)
    if persons:
        return persons
    if not first and fallback and _shown_outside_navigation(tree, fallback):
        first = clean_authors([fallback], names, language)  # trafilatura's guess, the last resort
    # the article's structured data credits only the publisher itself (agency copy, staff
    # stories): that is the byline, not a CMS default
    return first or clean_authors(sources[0], [], language)


def _shown_outside_navigation(tree: Any, name: str) -> bool:
    """Whether trafilatura's author guess is written somewhere but in a menu (or not written at all)."""
    nodes = [t.getparent() for t in tree.xpath("//body//text()[contains(., $name)]", name=name.strip())]
    return not nodes or any(not in_navigation(node) and node.tag != "nav" for node in nodes)


BODY_BYLINE_PARAGRAPHS = 3
MAX_BODY_BYLINE = 80


def body_byline(body: str, names: list[str], language: str | None = None) -> list[str]:
    """Names standing alone among the short paragraphs at the top of the body ("**Jane Doe**", "By
    Jane Doe and John Smith"), as printed bylines are; only when every name in it is a person's."""
    for paragraph in body.split("\n\n")[:BODY_BYLINE_PARAGRAPHS]:
        text = paragraph.strip().strip("*_").strip()
        if len(text) > MAX_BODY_BYLINE:
            return []  # the article text has begun
        if not text or re.search(r"\d|[.!?:;]$|[*_#\[\]]", text):
            continue
        found = clean_authors([text], names, language)
        words = BYLINE_PREFIX.sub("", text).replace("/", " ").replace(",", " ").split()
        lower = [w for w in words if w[:1].islower() and w not in PARTICLES]
        if found and all(is_person_name(n, names) for n in found) and len(lower) <= len(found) - 1:
            return found
    return []


def _ld_authors(page: PageMeta) -> list[str]:
    """Names of the JSON-LD article's authors; CMS accounts (``/author/admin/``) are not bylines."""
    article = page.article
    if not article:
        return []
    raw = article.get("author") or article.get("creator") or []
    names: list[str] = []
    for item in raw if isinstance(raw, list) else [raw]:
        item = page.resolve(item)
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and not _is_account(item):
            names.extend(_person_names(item))
    return names


def _person_names(item: dict[str, Any]) -> list[str]:
    name = item.get("name")
    if not name:
        parts = (item.get(k) for k in ("givenName", "familyName"))
        name = " ".join(p for p in parts if isinstance(p, str))
    if isinstance(name, list):
        return [n for n in name if isinstance(n, str)]
    return [name] if isinstance(name, str) and name else []


def _is_account(person: dict[str, Any]) -> bool:
    """A CMS login ("admin") published as author: its profile URL or name says so."""
    for key in ("@id", "url"):
        value = person.get(key)
        if isinstance(value, str):
            segments = [s for s in urlsplit(value).path.lower().split("/") if s]
            if segments and segments[-1] in ACCOUNT_NAMES:
                return True
    return str(person.get("name", "")).strip().lower() in ACCOUNT_NAMES


BYLINE_XPATHS = (
    "//*[@rel='author' or @itemprop='author']",
    "//*[contains(translate(@class,'BYLINE','byline'),'byline')]",
    "//*[contains(concat(' ',translate(normalize-space(@class),'AUTHOR','author'),' '),' author ')"
    " or contains(translate(@class,'AUTHOR','author'),'author-name')]",
    "//a[contains(@href,'/author/') or contains(@href,'/authors/') or contains(@href,'/autor')]",
)
"""Where pages put a visible byline, most specific first."""


def _visible_byline(tree: Any) -> list[str]:
    """A "By X" line among the first text after the h1, else a byline element, when metadata has none."""
    texts = _texts_after_h1(tree)
    for i, text in enumerate(texts):
        if len(text) < 120 and BYLINE_PREFIX.match(text + " "):
            if BYLINE_PREFIX.fullmatch(text + " ") and i + 1 < len(texts):
                text = f"{text} {texts[i + 1]}"  # "von" and the linked name are separate nodes
            return [text]
    for xpath in BYLINE_XPATHS:
        for node in [n for n in tree.xpath(xpath) if not in_navigation(n)][:3]:
            text = clean_text(node.get("content") or node.text_content())
            if text and len(text) < 120 and any(looks_like_name(n) for n in split_byline(text)):
                return [text]
    return []


def _texts_after_h1(tree: Any) -> list[str]:
    """The first visible text pieces that follow the page's first h1 (where bylines sit)."""
    h1 = next(tree.iter("h1"), None)
    texts: list[str] = []
    if h1 is None:
        return texts
    for node in h1.itersiblings():
        texts += _texts(node)
        if len(texts) > 40:
            break
    parent = h1.getparent()
    if not texts and parent is not None:
        texts = _texts(parent)[:40]
    return texts


def _texts(node: Any) -> list[str]:
    """Visible text pieces under an element (not scripts, styles or comments)."""
    if not isinstance(node.tag, str):
        return []
    pieces = node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
    return [p.strip() for p in pieces if p.strip()]
