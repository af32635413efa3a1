"""The images of an article body as published: each local ``<img>`` becomes a ``<picture>`` of its
derivatives (WebP first, the original format as fallback) with ``srcset``, ``sizes``, ``width`` and
``height`` (so the page does not shift as images arrive) and lazy loading; an image alone in its
paragraph becomes a ``<figure>``, its Markdown title the caption.

Done at render time, like the people links: the body is cached by its text, the derivatives' names
by the image files' bytes; the page's data carries the figures, so its fingerprint follows both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

from site_builder.sources.images import IMG_TAG, tag_attributes

# The theme's article column: 42rem wide from 45rem screens, else the screen less its 1rem margins.
BODY_SIZES = "(min-width: 45rem) 42rem, calc(100vw - 2rem)"
# an image alone in its paragraph, or any other image (one pass: the markup made is not looked at again)
_IMAGES = re.compile(rf"<p>\s*(?P<alone>{IMG_TAG.pattern})\s*</p>|(?P<inline>{IMG_TAG.pattern})", re.I)
_KEPT = ("id", "class", "title")

Url = Callable[[str], str]


def srcset(view: dict[str, Any], ext: str, url: Url) -> str:
    return ", ".join(f"{url(view['dir'] + str(w) + '.' + ext)} {w}w" for w in view["widths"])


def picture_html(view: dict[str, Any], url: Url, sizes: str, attrs: str = "", lazy: bool = True) -> str:
    """``<picture>`` (or a plain ``<img>`` for a remote or vector image) for a :func:`picture_view`."""
    loading = ' loading="lazy" decoding="async"' if lazy else ""
    alt = f' alt="{escape(view["alt"])}"'
    if "widths" not in view:
        src = view["src"] if view.get("remote") else url(view["src"])
        size = (
            f' width="{view["width"]}" height="{view["height"]}"'
            if view.get("width") and view.get("height")
            else ""
        )
        return f'<img src="{escape(src)}"{alt}{size}{attrs}{loading}>'
    return (
        f'<picture><source type="image/webp" srcset="{escape(srcset(view, "webp", url))}" sizes="{sizes}">'
        f'<img src="{escape(url(view["src"]))}" srcset="{escape(srcset(view, view["ext"], url))}" '
        f'sizes="{sizes}" width="{view["width"]}" height="{view["height"]}"{alt}{attrs}{loading}></picture>'
    )


def rewrite_images(html: str, figures: dict[str, dict[str, Any]], url: Url) -> str:
    """*html* (a rendered body) with its images as published (see the module docstring)."""
    if not figures:
        return html

    def replace(match: re.Match) -> str:
        if match.group("alone"):
            return _figure(match.group("alone"), figures, url)
        return _image(match.group("inline"), figures, url)

    return _IMAGES.sub(replace, html)


def _figure(tag: str, figures: dict[str, dict[str, Any]], url: Url) -> str:
    attrs = tag_attributes(tag)
    view = figures.get(attrs.get("src", "").strip())
    if view is None:
        return f"<p>{tag}</p>"
    caption = attrs.pop("title", "")
    picture = picture_html(_as_written(view, attrs), url, BODY_SIZES, _attributes(attrs, view))
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="figure">{picture}{figcaption}</figure>'


def _image(tag: str, figures: dict[str, dict[str, Any]], url: Url) -> str:
    attrs = tag_attributes(tag)
    view = figures.get(attrs.get("src", "").strip())
    if view is None:
        return tag
    return picture_html(_as_written(view, attrs), url, BODY_SIZES, _attributes(attrs, view))


def _as_written(view: dict[str, Any], attrs: dict[str, str]) -> dict[str, Any]:
    """The image's view with this tag's own alt text (one image may be shown twice, described apart)."""
    return view if "alt" not in attrs else {**view, "alt": attrs["alt"]}


def _attributes(attrs: dict[str, str], view: dict[str, Any]) -> str:
    """The tag's attributes kept on the published image: an image the build made no derivatives of
    (remote, vector) also keeps the ``srcset`` and ``sizes`` its author wrote."""
    kept = _KEPT if "widths" in view else (*_KEPT, "srcset", "sizes")
    return "".join(f' {name}="{escape(attrs[name])}"' for name in kept if attrs.get(name))
