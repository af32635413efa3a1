"""Link each person's first mention in an article body to their person page.

The importer stores where a person is mentioned as ``[start, end]`` offsets into the Markdown body.
Rendered HTML no longer has those offsets, so the mention is found again in the HTML *text* (markup
removed, entities decoded), which follows the Markdown text closely: Markdown syntax only adds
characters, so a mention at Markdown offset *s* sits at or a little before text position *s*.

- With the Markdown at hand (``markdown=``) the exact surface text and its occurrence number are used.
- Without it, the offsets still say where and how long the mention is: the name (or the part of it
  with that length, e.g. "Putin" for 5 characters of "Vladimir Putin") closest to that position wins.
- With no offsets at all, the first occurrence of the full name is linked.

Text inside links, code, scripts and attributes is never touched; at most one link per person.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

_TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9-]*)")
_BLOCKED = {"a", "code", "pre", "script", "style", "textarea", "kbd", "samp", "button", "select", "svg"}
_SLACK = 3  # smart punctuation can make the text a few characters longer than the Markdown before it


class TextNode(NamedTuple):  # a tuple: an article has hundreds, made on every render
    index: int  # position in the token list
    start: int  # offset of the node in the concatenated plain text
    text: str  # the node's plain text (entities decoded)


@dataclass(frozen=True)
class Hit:
    node: TextNode
    start: int  # offset within the node's text
    end: int
    url: str

    @property
    def position(self) -> int:
        return self.node.start + self.start


def _text_nodes(tokens: list[str]) -> list[TextNode]:
    """The text nodes where a link may go (not inside links, code and the like), with plain offsets."""
    nodes: list[TextNode] = []
    open_blocked: dict[str, int] = {}
    position = 0
    for index, token in enumerate(tokens):
        if token.startswith("<"):
            match = _TAG_NAME.match(token)
            name = match.group(1).lower() if match else ""
            if name in _BLOCKED and not token.endswith("/>"):
                change = -1 if token.startswith("</") else 1
                open_blocked[name] = max(0, open_blocked.get(name, 0) + change)
            continue
        text = html.unescape(token)
        if text and not any(open_blocked.values()):
            nodes.append(TextNode(index, position, text))
        position += len(text)
    return nodes


@functools.lru_cache(maxsize=8192)  # a name recurs in many articles; re's own cache holds only 512
def _whole_word(surface: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(surface) + r"(?![\w])")


def _occurrences(surface: str, nodes: list[TextNode]) -> list[tuple[TextNode, int]]:
    """Whole-word occurrences of *surface* (case-sensitive) in the eligible text nodes, in order."""
    if not surface.strip():
        return []
    pattern = _whole_word(surface)
    return [(node, m.start()) for node in nodes if surface in node.text for m in pattern.finditer(node.text)]


def _surfaces(name: str, length: int) -> list[str]:
    """Parts of *name* (consecutive words) with the given length: "Putin" for 5 of "Vladimir Putin"."""
    words = name.split()
    parts = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
    exact = sorted((p for p in parts if len(p) == length), key=lambda p: (-len(p.split()), p))
    return exact or [name]


def _markdown_ordinal(markdown: str, start: int, end: int) -> tuple[str, int]:
    """The mention's surface text and how many whole-word occurrences of it come before it."""
    surface = markdown[start:end]
    return surface, sum(1 for m in _whole_word(surface).finditer(markdown, 0, start))


def _locate(
    person: Mapping[str, Any], nodes: list[TextNode], markdown: str | None
) -> tuple[TextNode, int, int] | None:
    name = str(person.get("name") or "")
    mentions = sorted(tuple(m) for m in person.get("mentions") or () if len(m) == 2)
    if mentions and markdown is not None:
        start, end = mentions[0]
        if 0 <= start < end <= len(markdown):
            surface, ordinal = _markdown_ordinal(markdown, start, end)
            found = _occurrences(surface, nodes)
            if found:
                node, offset = found[min(ordinal, len(found) - 1)]
                return node, offset, offset + len(surface)
    if mentions:
        start, end = mentions[0]
        best: tuple[tuple[int, int], TextNode, int, int] | None = None
        for surface in _surfaces(name, end - start):
            for node, offset in _occurrences(surface, nodes):
                distance = start - (node.start + offset)
                rank = (0 if distance >= -_SLACK else 1, abs(distance))
                if best is None or rank < best[0]:
                    best = (rank, node, offset, offset + len(surface))
        if best:
            return best[1], best[2], best[3]
    found = _occurrences(name, nodes)
    if found:
        node, offset = found[0]
        return node, offset, offset + len(name)
    return None


def link_people(
    body_html: str,
    people: Iterable[Mapping[str, Any]],
    url: Callable[[str], str],
    markdown: str | None = None,
) -> str:
    """*body_html* with each person's first mention linked to ``url(person["url"])``.

    *people* are the article's people as the page plan gives them (``name``, ``url``, ``mentions``).
    """
    tokens = _TOKENS.split(body_html)
    nodes = _text_nodes(tokens)
    hits: list[Hit] = []
    for person in people:
        if not person.get("url"):
            continue
        located = _locate(person, nodes, markdown)
        if located is None:
            continue
        node, start, end = located
        hit = Hit(node, start, end, url(str(person["url"])))
        if not any(h.node.index == node.index and h.start < end and start < h.end for h in hits):
            hits.append(hit)
    if not hits:
        return body_html
    by_node: dict[int, list[Hit]] = {}
    for hit in hits:
        by_node.setdefault(hit.node.index, []).append(hit)
    for index, node_hits in by_node.items():
        tokens[index] = _linked_text(node_hits[0].node.text, sorted(node_hits, key=lambda h: h.start))
    return "".join(tokens)


def _linked_text(text: str, hits: list[Hit]) -> str:
    out, cursor = [], 0
    for hit in hits:
        out.append(html.escape(text[cursor : hit.start], quote=False))
        href = html.escape(hit.url, quote=True)
        out.append(
            f'<a class="person" href="{href}">{html.escape(text[hit.start : hit.end], quote=False)}</a>'
        )
        cursor = hit.end
    out.append(html.escape(text[cursor:], quote=False))
    return "".join(out)
