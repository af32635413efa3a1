"""What pages show of an image: plain values from which templates (and the body rewriting at render
time) write ``<picture>`` markup, og:image and JSON-LD ``image``.

A processed image is described by its derivatives' folder, stem, format and widths; the templates put
``url()`` around each candidate (a site under a subpath has to), so no URL list is held per listing.
"""

from __future__ import annotations

from typing import Any

from site_builder.model.image import DERIVATIVES_DIR, Picture

DEFAULT_WIDTH = 960  # the plain src of a processed image: for browsers that ignore srcset
_TYPES = {"jpg": "image/jpeg", "png": "image/png", "svg": "image/svg+xml", "webp": "image/webp"}


def picture_view(picture: Picture, social: bool = False) -> dict[str, Any]:
    """A picture as the pages show it: alt, caption and credit, and either a remote ``src`` (with the
    size given in front matter, if any), a static SVG, or the processed derivatives (*social*: with
    the crops for og:image and JSON-LD)."""
    view: dict[str, Any] = {"alt": picture.alt, "caption": picture.caption, "credit": picture.credit}
    rendition = picture.rendition
    if rendition is None:
        view.update(src=picture.src, width=picture.width, height=picture.height, remote=True)
        view["type"] = _TYPES.get(picture.src.rsplit(".", 1)[-1].lower().split("?")[0], "")
        return view
    if rendition.vector:
        view.update(src=picture.path, width=rendition.width, height=rendition.height, type=_TYPES["svg"])
        return view
    widths = list(rendition.widths)
    folder = f"{DERIVATIVES_DIR}/{rendition.key}/{rendition.stem}-"
    default = max([w for w in widths if w <= DEFAULT_WIDTH] or widths[:1])
    view.update(
        dir=folder,
        ext=rendition.fallback,
        widths=widths,
        src=f"{folder}{default}.{rendition.fallback}",
        width=widths[-1],
        height=rendition.height_at(widths[-1]),
        type=_TYPES[rendition.fallback],
    )
    if social and rendition.social:
        view["social"] = [
            {"src": f"{folder}{name}.jpg", "width": w, "height": h} for name, w, h in rendition.social
        ]
    return view


def figures_view(figures: tuple[Picture, ...]) -> dict[str, dict[str, Any]]:
    """The body's images by their source as written (what the body's ``<img src>`` says)."""
    return {picture.src: picture_view(picture) for picture in figures}
