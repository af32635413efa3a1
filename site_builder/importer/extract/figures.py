"""The figures of an imported article's body, placed in its Markdown after the text was analysed.

People, quotes and tags are found in the text alone: an alt text or a caption naming someone is not a
mention of them in the article, and a mention marked inside image syntax would break the image. So the
figures are inserted afterwards, each as a paragraph of its own after the paragraph it followed in the
page, and the people's mention offsets are moved past them. A figure is a Markdown image whose title
is its caption (the build shows an image alone in its paragraph as a ``<figure>`` with that caption)
and whose source is a reference to the publisher's copy (an absolute URL), never downloaded here.

Where a figure goes is found by its anchor: the text of the paragraph before it in the page. A figure
whose anchor is not among the body's paragraphs (it stood in a part of the page the extractor left
out, such as a gallery or a teaser of another article) is not kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from site_builder.importer.extract import ExtractedArticle
from site_builder.importer.extract.images import article_scope, figure_image, file_name

MAX_FIGURES = 30  # a page with more is a gallery; its first figures are kept
ANCHOR_CHARS = 40  # enough of a paragraph's start to tell it from the others
TEXT_TAGS = frozenset({"p", "h2", "h3", "h4", "li", "blockquote"})
_MARKER = re.compile(r"SBFIGURE(\d+)X")
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_#>`\\]")


@dataclass(frozen=True)
class PlacedFigure:
    """A figure and where it goes: after the first *after* paragraphs of the body."""

    after: int
    image: dict[str, Any]


def page_figures(tree: Any, page_url: str | None, body: str, lead_src: str | None) -> list[PlacedFigure]:
    """The figures of the page *tree* placed in *body* (its extracted Markdown), without the lead image."""
    paragraphs = [_plain(p) for p in split_paragraphs(body)]
    seen = {file_name(lead_src)} if lead_src else set()
    placed: list[PlacedFigure] = []
    start = 0
    for anchor, image in _figures_with_anchors(tree, page_url):
        name = file_name(image["src"])
        if name in seen or len(placed) >= MAX_FIGURES:
            continue
        after = 0 if anchor is None else _paragraph_after(paragraphs, anchor, start)
        if after is None:
            continue
        seen.add(name)
        placed.append(PlacedFigure(after, image))
        start = max(after - 1, 0)
    return placed


def _figures_with_anchors(tree: Any, page_url: str | None) -> list[tuple[str | None, dict[str, Any]]]:
    """Each usable figure of the article, with the plain text of the paragraph before it (None first)."""
    found = []
    anchor = None
    for element in article_scope(tree).iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "figure":
            image = figure_image(element, page_url)
            if image is not None and image["src"]:
                found.append((anchor, image))
        elif tag in TEXT_TAGS and not any(a.tag == "figure" for a in element.iterancestors()):
            text = _plain(element.text_content())
            anchor = text or anchor
    return found


def _paragraph_after(paragraphs: list[str], anchor: str, start: int) -> int | None:
    """How many paragraphs precede a figure that followed *anchor* (None if no paragraph is it)."""
    key = anchor[:ANCHOR_CHARS]
    for index in range(start, len(paragraphs)):
        if paragraphs[index].startswith(key):
            return index + 1
    return None


def take_markers(markdown: str, images: list[dict[str, Any]]) -> tuple[str, tuple[PlacedFigure, ...]]:
    """*markdown* without its figure markers (paragraphs ``SBFIGURE<n>X``, standing for ``images[n]``)
    and each figure with its place."""
    kept: list[str] = []
    placed = []
    for block in markdown.split("\n\n"):
        marker = _MARKER.fullmatch(block.strip())
        if marker is None:
            kept.append(block)
        elif int(marker.group(1)) < len(images):
            placed.append(PlacedFigure(sum(1 for b in kept if b.strip()), images[int(marker.group(1))]))
    return "\n\n".join(kept).strip("\n"), tuple(placed)


def split_paragraphs(body: str) -> list[str]:
    """The blocks of a Markdown body, as separated by blank lines."""
    return [block for block in body.split("\n\n") if block.strip()]


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub(r"\1", text).split()).lower()


def place_figures(article: ExtractedArticle, figures: list[PlacedFigure]) -> None:
    """Insert *figures* into *article*'s body, moving its people's mentions past them."""
    if not figures:
        return
    boundaries = [0] + [m.start() for m in re.finditer(r"\n\n(?=\S)", article.body)] + [len(article.body)]
    insertions = []
    for figure in figures:
        at = boundaries[min(figure.after, len(boundaries) - 1)]
        text = figure_markdown(figure.image)
        insertions.append((at, at, text + "\n\n" if at == 0 else "\n\n" + text))
    edit_body(article, insertions)


def edit_body(article: ExtractedArticle, edits: list[tuple[int, int, str]]) -> None:
    """Replace each span ``(start, end)`` of *article*'s body by its text and move the people's mentions
    with the text around them. No edit may fall inside a mention (mentions are in the prose, edits are
    images); insertions at one place keep their order."""
    body = article.body
    for index in sorted(range(len(edits)), key=lambda i: (edits[i][0], i), reverse=True):
        start, end, text = edits[index]  # from the end: earlier positions stay put
        body = body[:start] + text + body[end:]
    article.body = body
    for person in article.people:
        person.mentions = [_moved(start, end, edits) for start, end in person.mentions]


def _moved(start: int, end: int, edits: list[tuple[int, int, str]]) -> tuple[int, int]:
    """A mention's span after *edits*: moved by the length change of every edit before it."""
    shift = sum(len(text) - (stop - begin) for begin, stop, text in edits if stop <= start)
    return start + shift, end + shift


def figure_markdown(image: dict[str, Any]) -> str:
    """``![alt](src "caption credit")``: the form the build shows as a figure with its caption."""
    alt = re.sub(r"([\\\[\]])", r"\\\1", " ".join(str(image.get("alt") or "").split()))
    caption = " ".join(str(image.get("caption") or "").split())
    credit = " ".join(str(image.get("credit") or "").split())
    if credit and credit not in caption:
        caption = f"{caption} {credit}".strip()
    src = re.sub(r"[\s()<>\"]", lambda m: f"%{ord(m.group()):02X}", str(image["src"]))
    title = caption.replace('"', "&quot;")  # Python-Markdown keeps an entity in a title, not an escape
    return f'![{alt}]({src} "{title}")' if title else f"![{alt}]({src})"
