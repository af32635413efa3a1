"""Translations of one article: the published articles sharing its ``translation_key``.

Each article page links the others of its group (``hreflang`` alternates and the theme's language
switcher), both ways. The groups hold URLs and languages only, which belong to the site's structure: an
edit that keeps the structure keeps them, so they are worked out once per site model.
"""

from __future__ import annotations

import weakref
from typing import Any

from site_builder.model.article import Article
from site_builder.model.site import Site

Groups = dict[str, list[dict[str, Any]]]  # translation key -> [{"language", "url"}], in the site's order

_last: tuple[weakref.ref[Site], Groups] | None = None  # the groups of the last site model asked about


def translation_groups(site: Site) -> Groups:
    """The site's articles that share a translation key, grouped by it (groups of one left out)."""
    global _last
    if _last is not None and _last[0]() is site:
        return _last[1]
    groups: Groups = {}
    for article in site.articles:
        if article.translation_key:
            groups.setdefault(article.translation_key, []).append(
                {"language": article.language, "url": article.url}
            )
    groups = {key: members for key, members in groups.items() if len(members) > 1}
    _last = (weakref.ref(site), groups)
    return groups


def alternates(site: Site, article: Article) -> list[dict[str, Any]]:
    """The article and its translations as {language (None: the site's), url}, or [] when it has none."""
    if not article.translation_key:
        return []
    return translation_groups(site).get(article.translation_key, [])
