"""An article body given as HTML (a WordPress post, a feed entry's content) becomes Markdown.

A whole saved page goes through trafilatura (:mod:`site_builder.importer.extract.html`), which finds the
article among the navigation. A fragment is the article already, and trafilatura's heuristics would
drop or merge parts of it, so it is converted whole: WordPress's stored form first becomes HTML
(paragraphs separated by blank lines, ``[caption]`` and other core shortcodes), links and image
sources are made absolute against the article's own URL (a relative link would point into the new
site), figures (a ``<figure>`` or an image alone in its paragraph) are marked where they stand and
kept aside, other images are kept aside as references, then markdownify writes the Markdown and the
HTML importer's cleaning (headings, boilerplate paragraphs, a repeated title) applies. The figures go
back into the Markdown after its text was analysed (see :mod:`site_builder.importer.extract.figures`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree
from markdownify import markdownify

from site_builder.importer.extract.figures import PlacedFigure, take_markers
from site_builder.importer.extract.html.body import clean_body
from site_builder.importer.extract.images import figure_image

BLOCK_START = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|dl|section|article|aside|address|!--)\b",
    re.IGNORECASE,
)
CAPTION = re.compile(r"\[(?:wp_)?caption\b[^\]]*\](.*?)\[/(?:wp_)?caption\]", re.IGNORECASE | re.DOTALL)
MEDIA_SHORTCODE = re.compile(
    r"\[(gallery|playlist|audio|video|embed)\b[^\]]*\](?:(.*?)\[/\1\])?", re.IGNORECASE | re.DOTALL
)
MARKER = "SBFIGURE{}X"  # a word markdownify keeps as it is (letters and digits only)
DROPPED_ELEMENTS = ("script", "style", "noscript", "iframe", "object", "embed", "form", "svg", "template")


@dataclass(frozen=True)
class Fragment:
    """A fragment's Markdown, the images it showed (``{"url", "alt"}``, in order) and its figures with
    the place of each (to be put back with :func:`~site_builder.importer.extract.figures.place_figures`)."""

    markdown: str
    images: list[dict[str, str]]
    figures: tuple[PlacedFigure, ...] = ()


def wordpress_paragraphs(text: str) -> str:
    """WordPress stores classic posts with blank lines between paragraphs and expands shortcodes when
    showing them; do the same (the spirit of its ``wpautop``) so the HTML has its paragraphs."""
    text = CAPTION.sub(lambda m: f"<figure>{_caption_html(m.group(1))}</figure>", text)
    text = MEDIA_SHORTCODE.sub(lambda m: _embed_link(m.group(2) or ""), text)
    blocks = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        if not block.strip():
            continue
        if BLOCK_START.match(block):
            blocks.append(block)
        else:
            blocks.append("<p>" + block.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(blocks)


def _caption_html(inner: str) -> str:
    """``[caption]<img ...> The caption[/caption]``: the image, then its text as a figure caption."""
    match = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", inner, re.DOTALL)
    if match is None:
        return f"<figcaption>{inner.strip()}</figcaption>"
    return f"{match.group(1)}<figcaption>{match.group(2).strip()}</figcaption>"


def _embed_link(inner: str) -> str:
    url = inner.strip()
    return f'<p><a href="{url}">{url}</a></p>' if re.match(r"https?://\S+$", url) else ""


def fragment_to_markdown(html: str, base_url: str | None, title: str = "") -> Fragment:
    """Markdown of an HTML fragment; relative links resolve against *base_url* (the article's URL)."""
    if not html.strip():
        return Fragment("", [])
    try:
        root = lxml.html.fragment_fromstring(wordpress_paragraphs(html), create_parent="div")
    except (etree.ParserError, ValueError):
        return Fragment("", [])
    for element in list(root.iter(*DROPPED_ELEMENTS)):
        element.drop_tree()
    if base_url:
        root.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    figures = _mark_figures(root, base_url)
    images = [{"url": figure["src"], "alt": figure.get("alt") or ""} for figure in figures]
    for image in list(root.iter("img")):
        source = (image.get("src") or "").strip()
        if source and not source.startswith("data:"):
            images.append({"url": source, "alt": (image.get("alt") or "").strip()})
        image.drop_tag()
    markdown = markdownify(
        lxml.html.tostring(root, encoding="unicode"), heading_style="ATX", bullets="-", strip=["img"]
    )
    body, placed = take_markers(clean_body(markdown, [title] if title else []), figures)
    return Fragment(body, images, placed)


def _mark_figures(root: etree._Element, base_url: str | None) -> list[dict]:
    """Replace each figure of *root* (a ``<figure>`` with a photo, or a paragraph holding only an image)
    by a marker paragraph; return their images in order (see :func:`take_markers`)."""
    found: list[dict] = []
    candidates = [*root.iter("figure"), *(p for p in root.iter("p") if _only_an_image(p))]
    for element in candidates:
        if element.getparent() is None:
            continue
        image = figure_image(element, base_url)
        if image is None or not image["src"]:
            continue
        marker = etree.Element("p")
        marker.text = MARKER.format(len(found))
        marker.tail = element.tail
        element.getparent().replace(element, marker)
        found.append(image)
    return found


def _only_an_image(paragraph: etree._Element) -> bool:
    images = list(paragraph.iter("img"))
    return len(images) == 1 and not paragraph.text_content().strip()


def plain_text(html: str) -> str:
    """The text of a short HTML snippet (an excerpt, a feed summary), whitespace folded."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(html.split())
    for element in list(root.iter(*DROPPED_ELEMENTS)):
        element.drop_tree()
    return " ".join(root.text_content().split())
