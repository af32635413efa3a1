"""The headline: chosen among the page's title statements, with the site's own name cut off."""

from __future__ import annotations

import re

from site_builder.importer.extract.html.bylines import BYLINE_PREFIX
from site_builder.importer.extract.html.meta import PageMeta, clean_text
from site_builder.importer.extract.html.site_names import is_site_name, name_key

TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-\u2013\u2014*\u2022\u00b7\u00bb/]|::)\s+")
"""Separators between a headline and the site name or section in ``<title>``-like strings."""


def strip_site_name(title: str, names: list[str]) -> str:
    """Cut site-name segments (and "by Author" tails) off either end of a title."""
    parts = TITLE_SEPARATOR.split(title)
    seps = TITLE_SEPARATOR.findall(title)
    changed = True
    while changed and len(parts) > 1:
        changed = False
        if _names_site(parts[-1], names) or BYLINE_PREFIX.match(parts[-1]):
            parts, seps, changed = parts[:-1], seps[:-1], True
        elif _names_site(parts[0], names):
            parts, seps, changed = parts[1:], seps[1:], True
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=True):
        out += sep + part
    return out.strip()


def _names_site(segment: str, names: list[str]) -> bool:
    """A title segment naming the site, also in a longer form ("Die Neue Südtiroler Tageszeitung")."""
    if is_site_name(segment, names):
        return True
    words = segment.split()
    keys = {name_key(n) for n in names if len(name_key(n)) >= 3}
    return 1 < len(words) <= 5 and bool({name_key(words[0]), name_key(words[-1])} & keys)


def choose_title(page: PageMeta, names: list[str], fallback: str | None) -> str:
    """The headline: JSON-LD first, then og/twitter/<title>/h1, each without the site name.

    JSON-LD ``headline`` is what most news CMSs fill with the real headline. Google limits it to 110
    characters, so some sites shorten it and put the full title in the article's ``name``; when that
    longer ``name`` is confirmed by og:title or the h1 it wins.
    """
    article = page.article or {}
    headline = clean_text(article.get("headline")) if isinstance(article.get("headline"), str) else ""
    others = [page.first("og:title"), page.first("twitter:title"), page.title_tag, *page.h1[:3], fallback]
    cleaned = [strip_site_name(t, names) for t in others if t]
    if headline:
        headline = strip_site_name(headline, names)
        name = clean_text(article.get("name")) if isinstance(article.get("name"), str) else ""
        name = strip_site_name(name, names) if name else ""
        if name and len(name) > len(headline) and fold_title(name) in {fold_title(t) for t in cleaned}:
            return name
        return _prefix_agreement(headline, cleaned)
    if not cleaned:
        return ""
    return _prefix_agreement(cleaned[0], cleaned[1:])


def _prefix_agreement(title: str, others: list[str]) -> str:
    """If another source equals ``title`` minus trailing separated segments ("- National"), use it.

    A section name left behind after the site name was cut ("... - National") cannot be told from a
    headline clause by itself; agreement with the h1 or another tag settles it.
    """
    folded = fold_title(title)
    for other in others:
        candidate = fold_title(other)
        if candidate and candidate != folded and folded.startswith(candidate):
            rest = folded[len(candidate) :]
            # a section is a word or two, never most of the title ("Trump - the comeback" stays)
            if TITLE_SEPARATOR.match(rest) and len(rest.split()) <= 4 and len(rest) < len(candidate):
                return other
    return title


def fold_title(text: str) -> str:
    """Compare titles ignoring quote style and whitespace."""
    text = re.sub("[\u2018\u2019\u201a\u2032]", "'", re.sub("[\u201c\u201d\u201e\u2033]", '"', text))
    return " ".join(text.split()).casefold()
