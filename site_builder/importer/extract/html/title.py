"""The headline: chosen among the page's title statements, with the site's own name cut off.

The site's names are learnt from the page itself (og:site_name, the JSON-LD publisher, the host name;
see :mod:`site_names`), never from a list of known sites. A statement that is nothing but the site's
name (a home-page ``<title>``, a logo in an ``<h1>``) is never the headline.
"""

from __future__ import annotations

import re

from site_builder.importer.extract.html.bylines import BYLINE_PREFIX
from site_builder.importer.extract.html.meta import PageMeta, clean_text
from site_builder.importer.extract.html.site_names import is_site_name, name_key

SEPARATOR_CHARACTERS = "|\\-\u2013\u2014*\u2022\u00b7\u00bb\u00ab\u203a\u2039~/\uff5c\u3163:\uff1a"
"""Characters between a headline and the site name or a section: bars, dashes, bullets, guillemets, the
full-width bar and the Hangul letter used as one in Korean titles, colons (only where no word follows)."""
TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-\u2013\u2014*\u2022\u00b7\u00bb\u00ab\u203a\u2039~/\uff5c]|::)\s+")
"""Separators between a headline and the site name or section in ``<title>``-like strings."""
GLUE_BEFORE_END = re.compile(f"\\s*[{SEPARATOR_CHARACTERS}]+\\s*$")
GLUE_AT_START = re.compile(f"\\s*[{SEPARATOR_CHARACTERS}]+\\s*")
MAX_SECTION_WORDS = 3


def strip_site_name(title: str, names: list[str]) -> str:
    """Cut site-name segments (and "by Author" tails) off either end of a title.

    A short segment left between the headline and a site name cut from the end ("Headline | Local |
    Site") is a section and goes too.
    """
    parts = TITLE_SEPARATOR.split(title)
    seps = TITLE_SEPARATOR.findall(title)
    cut_from_end = False
    changed = True
    while changed and len(parts) > 1:
        changed = False
        if _names_site(parts[-1], names) or BYLINE_PREFIX.match(parts[-1]):
            parts, seps, changed, cut_from_end = parts[:-1], seps[:-1], True, True
        elif _names_site(parts[0], names):
            parts, seps, changed = parts[1:], seps[1:], True
    if cut_from_end and len(parts) > 1 and _is_section(parts[-1], parts[0]):
        parts, seps = parts[:-1], seps[:-1]
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=True):
        out += sep + part
    return _cut_glued_site_name(out.strip(), names)


def _is_section(segment: str, headline: str) -> bool:
    return len(segment.split()) <= MAX_SECTION_WORDS and 2 * len(segment) < len(headline)


def _cut_glued_site_name(title: str, names: list[str]) -> str:
    """ "Headline｜Site", "Site: Headline": a site name joined by a separator without spaces around it."""
    folded = title.casefold()
    for name in names:
        key = name.casefold()
        if len(key) < 3 or len(key) >= len(folded) or "." in key:
            continue  # host names ("example.com") are matched as segments only
        if folded.endswith(key):
            glue = GLUE_BEFORE_END.search(title[: len(title) - len(key)])
            if glue and glue.start() > 0:
                return title[: glue.start()].strip()
        if folded.startswith(key):
            glue = GLUE_AT_START.match(title, len(key))
            if glue and glue.end() < len(title):
                return title[glue.end() :].strip()
    return title


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
    longer ``name`` is confirmed by og:title or the h1 it wins. The ``<title>`` is the browser tab's
    label and often only the site's: the visible ``<h1>`` is preferred to it.
    """
    article = page.article or {}
    headline = _headline(article.get("headline"), names)
    social = [page.first("og:title"), page.first("twitter:title")]
    others = (
        [*social, *page.h1[:3], page.title_tag]
        if not any(social)
        else [*social, page.title_tag, *page.h1[:3]]
    )
    cleaned = [t for t in (_headline(t, names) for t in [*others, fallback]) if t]
    if headline:
        name = _headline(article.get("name"), names)
        if name and len(name) > len(headline) and fold_title(name) in {fold_title(t) for t in cleaned}:
            return name
        return _prefix_agreement(headline, cleaned)
    if not cleaned:
        return ""
    return _prefix_agreement(cleaned[0], cleaned[1:])


def _headline(value: object, names: list[str]) -> str:
    """A title statement without the site's name; empty when it is only the site's name."""
    if not isinstance(value, str):
        return ""
    text = strip_site_name(clean_text(value), names)
    return "" if not text or _names_site(text, names) else text


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
