"""The reference the prose fast path is held to: Python-Markdown itself, as the renderer configures it."""

from __future__ import annotations

from site_builder.sources.markup import MarkdownRenderer


def python_markdown(renderer: MarkdownRenderer, text: str) -> str:
    """What the renderer's own Python-Markdown instance gives for ``text``, with no fast path."""
    renderer._md.reset()
    return renderer._md.convert(text)
