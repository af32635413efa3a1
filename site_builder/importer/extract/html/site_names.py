"""The names a site goes by, learnt from the page itself (og:site_name, publisher, host name)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from site_builder.importer.extract.html.meta import PageMeta, clean_text, ld_types

MAX_NAME_WORDS = 6
"""A longer "site name" is a page's markup error (a WebSite object named after the headline)."""
GENERIC_SITE_WORDS = {"news", "online", "com", "the", "newspaper", "magazine", "daily"}


def site_names(page: PageMeta, url: str | None, fallback: str | None) -> list[str]:
    """Names the site goes by: og:site_name, application-name, JSON-LD publisher/WebSite, host name."""
    names = [page.first("og:site_name"), page.first("application-name"), page.first("twitter:site")]
    article = page.article or {}
    publisher = page.resolve(article.get("publisher"))
    if isinstance(publisher, dict):
        names.append(clean_text(publisher.get("name")) or None)
    names += [clean_text(o.get("name")) for o in page.ld_objects if "WebSite" in ld_types(o)]
    names.append(fallback)
    host = urlsplit(url).hostname if url else None
    if host:
        host = host.removeprefix("www.")
        names += [host, host.split(".")[0]]
    return [n.lstrip("@") for n in dict.fromkeys(n for n in names if n and len(n.split()) <= MAX_NAME_WORDS)]


def name_key(text: str) -> str:
    """Compare site names loosely: "The Washington Times" == "washingtontimes"."""
    key = re.sub(r"[\W_]+", "", text.casefold())
    return key.removeprefix("the") if len(key) > 6 else key


def is_site_name(text: str, names: Iterable[str]) -> bool:
    """True when ``text`` is one of the site's names, give or take "News"/"Online"/".com"."""
    key = name_key(text)
    if not key:
        return False
    for name in names:
        other = name_key(name)
        if not other:
            continue
        if key == other:
            return True
        longer, shorter = (key, other) if len(key) > len(other) else (other, key)
        rest = longer.replace(shorter, "", 1)
        if longer.startswith(shorter) or longer.endswith(shorter):
            words = [w for w in re.split(r"\W+", text.casefold()) if w]
            if rest in GENERIC_SITE_WORDS or (rest and all(w in GENERIC_SITE_WORDS for w in words[-1:])):
                return len(shorter) >= 3
    return False
