"""Root-relative links in article bodies, moved under the site's path prefix.

An author writes ``[the budget](/articles/budget/)`` or ``![chart](/images/chart.png)`` meaning the site's
root. Served from ``https://example.org/news/``, the site's root is ``/news/``, so such a URL in a body
is rewritten to ``/news/images/chart.png`` as the body is placed in its page (the theme's own links go
through ``url()``). URLs already under the prefix, protocol-relative ones (``//cdn.example.org/x``), and
everything but ``href``, ``src``, ``srcset`` and ``poster`` values inside tags are left as they are.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<[A-Za-z][^>]*>")
_ATTRIBUTE = re.compile(r"""(\s(?:href|src|poster)\s*=\s*)(["']?)(/(?!/)[^"'\s>]*)""", re.I)
_SRCSET = re.compile(r"""(\ssrcset\s*=\s*)(["'])(.*?)\2""", re.I | re.S)


def under_prefix(html: str, prefix: str) -> str:
    """*html* with its root-relative URLs moved under *prefix* (``/news/``); unchanged for ``/``."""
    if prefix == "/" or "=" not in html:
        return html
    return _TAG.sub(lambda tag: _rewrite_tag(tag.group(0), prefix), html)


def _rewrite_tag(tag: str, prefix: str) -> str:
    tag = _ATTRIBUTE.sub(lambda m: m.group(1) + m.group(2) + _prefixed(m.group(3), prefix), tag)
    return _SRCSET.sub(lambda m: m.group(1) + m.group(2) + _srcset(m.group(3), prefix) + m.group(2), tag)


def _prefixed(url: str, prefix: str) -> str:
    if url.startswith(prefix) or url + "/" == prefix:
        return url
    return prefix + url[1:]


_CANDIDATE = re.compile(r"(\s*)(/(?!/)[^\s,]*)")


def _srcset(value: str, prefix: str) -> str:
    """Each candidate of a ``srcset`` (``URL [descriptor]``, comma-separated)."""
    return ",".join(
        _CANDIDATE.sub(lambda m: m.group(1) + _prefixed(m.group(2), prefix), candidate, count=1)
        if candidate.strip().startswith("/")
        else candidate
        for candidate in value.split(",")
    )
