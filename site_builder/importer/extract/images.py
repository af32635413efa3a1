"""The lead image of a saved web page, kept as a reference: its absolute URL, alt text, caption and
credit, never downloaded.

Where pages state it, in order: the article's JSON-LD ``image`` (a URL, an ``ImageObject`` with caption
and credit, or a list of them), ``og:image`` (with ``og:image:alt``, width and height) and
``twitter:image``, then the first ``<figure>`` of the article's body. A figure showing the chosen image
gives its alt text, caption and credit (an element of the caption whose class says credit, copyright or
source). Logos, favicons, sprites, SVGs and ``data:`` URLs are not lead images.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

ARTICLE_TYPE = re.compile(r"Article|BlogPosting|Report", re.I)
NOT_A_PHOTO = re.compile(r"logo|favicon|sprite|placeholder|blank\.|spacer|\.svg(\?|$)", re.I)
CREDIT_CLASS = re.compile(r"credit|copyright|source|byline|author", re.I)
SAVED_FILES = re.compile(r"^(?:\./)?[^/?#:]+_files/")  # what browsers save beside a page: Title_files/
MAX_TEXT = 500  # a caption longer than this is body text caught in a figure


def lead_image(raw: bytes, page_url: str | None) -> dict[str, Any] | None:
    """The lead image of the page in *raw* as front matter ``image`` (None if it states none usable)."""
    tree = parse_page(raw)
    return None if tree is None else lead_image_of(tree, page_url)


def parse_page(raw: bytes) -> Any | None:
    """The lxml tree of the page in *raw*, or None when it cannot be parsed."""
    try:
        import lxml.html

        from site_builder.importer.extract.html import decode_html

        return lxml.html.document_fromstring(decode_html(raw).text)
    except Exception:  # noqa: BLE001 - the page's text was extracted already; no image is no failure
        return None


def lead_image_of(tree: Any, page_url: str | None) -> dict[str, Any] | None:
    """:func:`lead_image` of a parsed page."""
    figures = list(_figures(tree, page_url))
    for candidate in [*_json_ld_images(tree, page_url), *_meta_images(tree, page_url), *figures[:1]]:
        if candidate.get("src"):
            return _with_figure(candidate, figures)
    return None


def is_saved_file(src: str) -> bool:
    """Is *src* a path into the folder a browser saved beside a page ("Web page, complete")?"""
    return bool(SAVED_FILES.match(src))


def _absolute(src: Any, page_url: str | None) -> str | None:
    """*src* as an absolute URL of a photo, or as it is when it names a saved page's own file (the
    import copies that); None for what is no usable image."""
    if not isinstance(src, str) or not src.strip() or src.strip().startswith("data:"):
        return None
    if is_saved_file(src.strip()):
        local = src.strip().removeprefix("./")
        return None if NOT_A_PHOTO.search(urlsplit(local).path) else local
    url = urljoin(page_url or "", src.strip())
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or NOT_A_PHOTO.search(parts.path):
        return None
    return url


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("text") or ""
    if isinstance(value, list):
        value = ", ".join(_text(v) for v in value if _text(v))
    text = " ".join(html.unescape(str(value or "")).split())  # JSON-LD often carries entities
    return text if len(text) <= MAX_TEXT else ""


def _size(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("value")
    try:
        number = int(str(value).strip().removesuffix("px"))
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= 100_000 else None


def _json_ld_images(tree: Any, page_url: str | None) -> Iterator[dict[str, Any]]:
    """The ``image`` of the page's JSON-LD articles, as stated."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        for item in _articles(data):
            yield from _image_objects(item.get("image") or item.get("thumbnailUrl"), page_url)


def _articles(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _articles(item)
    elif isinstance(data, dict):
        kinds = data.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(kind, str) and ARTICLE_TYPE.search(kind) for kind in kinds):
            yield data
        yield from _articles(data.get("@graph"))


def _image_objects(value: Any, page_url: str | None) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _image_objects(item, page_url)
    elif isinstance(value, str):
        yield {"src": _absolute(value, page_url)}
    elif isinstance(value, dict):
        credit = value.get("creditText") or value.get("copyrightHolder") or value.get("author")
        yield {
            "src": _absolute(value.get("url") or value.get("contentUrl"), page_url),
            "caption": _text(value.get("caption") or value.get("description")),
            "credit": _text(credit),
            "width": _size(value.get("width")),
            "height": _size(value.get("height")),
        }


def _meta_images(tree: Any, page_url: str | None) -> Iterator[dict[str, Any]]:
    meta: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or "").strip().lower()
        if key and key not in meta and node.get("content"):
            meta[key] = node.get("content")
    for key in ("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src"):
        if key in meta:
            yield {
                "src": _absolute(meta[key], page_url),
                "alt": _text(meta.get("og:image:alt") or meta.get("twitter:image:alt")),
                "width": _size(meta.get("og:image:width")),
                "height": _size(meta.get("og:image:height")),
            }


def article_scope(tree: Any) -> Any:
    """The element holding the article: its ``<article>``, else ``<main>``, else the whole page."""
    scope = next(iter(tree.iter("article")), None)
    if scope is None:
        scope = next(iter(tree.iter("main")), tree)
    return scope


def _figures(tree: Any, page_url: str | None) -> Iterator[dict[str, Any]]:
    """The article's figures with an image: its source, alt text, caption and credit."""
    for figure in article_scope(tree).iter("figure"):
        image = figure_image(figure, page_url)
        if image is not None:
            yield image


def figure_image(figure: Any, page_url: str | None) -> dict[str, Any] | None:
    """The image of one ``<figure>`` element (None without an ``<img>``); ``src`` is None when the
    image is not a usable photo (see :func:`_absolute`)."""
    image = next(iter(figure.iter("img")), None)
    if image is None:
        return None
    src = image.get("src") or image.get("data-src") or _first_candidate(image.get("srcset"))
    caption = next(iter(figure.iter("figcaption")), None)
    credit = ""
    text = ""
    if caption is not None:
        credits = [n for n in caption.iter() if CREDIT_CLASS.search(n.get("class") or "")]
        credit = _text(" ".join(n.text_content() for n in credits[:1]))
        text = _text(caption.text_content())
        if credit and text.endswith(credit):
            text = text[: -len(credit)].strip()
    return {
        "src": _absolute(src, page_url),
        "alt": _text(image.get("alt")),
        "caption": text,
        "credit": credit,
        "width": _size(image.get("width")),
        "height": _size(image.get("height")),
    }


def _first_candidate(srcset: str | None) -> str | None:
    first = re.split(r",\s+", (srcset or "").strip())[0].split()  # a URL may hold commas; candidates ", "
    return first[0] if first else None


def _with_figure(candidate: dict[str, Any], figures: list[dict[str, Any]]) -> dict[str, Any]:
    """*candidate* completed by the figure showing the same image (same file name), as front matter."""
    name = file_name(candidate["src"])
    for figure in figures:
        if figure["src"] and file_name(figure["src"]) == name:
            candidate = {**figure, **{k: v for k, v in candidate.items() if v}}
            break
    order = ("src", "alt", "caption", "credit", "width", "height")
    image = {key: candidate[key] for key in order if candidate.get(key)}
    if not ("width" in image and "height" in image):  # a size is given whole, or not at all
        image.pop("width", None)
        image.pop("height", None)
    return image


def file_name(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[-1].lower()
