"""Markdown to safe HTML.

Python-Markdown with the extensions news writers expect (tables, footnotes, smart quotes, heading
anchors, highlighted code). Raw HTML in Markdown is sanitised by default with nh3 (Ammonia), like Hugo
omitting it: archives import text from the open web.
"""

from __future__ import annotations

import markdown
import nh3
from pygments.formatters import HtmlFormatter

from .content import ArticleBody

MARKDOWN_EXTENSIONS = ("extra", "toc", "smarty", "codehilite", "sane_lists")
_EXTENSION_CONFIG = {
    "codehilite": {"css_class": "highlight", "guess_lang": False},
    "toc": {"permalink": False},
}
_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"figure", "figcaption", "mark", "details", "summary", "sup", "sub"}
_ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "title", "id", "class", "rel"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "style"},
    "code": {"class"},
    "span": {"class"},
}
PYGMENTS_STYLE = "default"


class MarkdownRenderer:
    """Reusable converter; one per process (Python-Markdown instances are not thread-safe)."""

    def __init__(self, allow_raw_html: bool = False) -> None:
        self.allow_raw_html = allow_raw_html
        self._md = markdown.Markdown(
            extensions=list(MARKDOWN_EXTENSIONS), extension_configs=_EXTENSION_CONFIG, output_format="html"
        )

    def render(self, text: str) -> ArticleBody:
        self._md.reset()
        html = self._md.convert(text)
        toc = getattr(self._md, "toc", "") or ""
        if not self.allow_raw_html:
            html = sanitise(html)
        return ArticleBody(html=html, toc_html=toc if "<li" in toc else "")


def sanitise(html: str) -> str:
    """Remove scripts, event handlers and javascript: URLs, keeping ordinary article markup."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        filter_style_properties={"text-align"},
    )


def pygments_css() -> str:
    """The stylesheet for highlighted code, generated so it always matches the Pygments version."""
    return HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(".highlight") + "\n"


def renderer_version() -> str:
    """Versions that change rendered bodies; part of every cache key."""
    import pygments

    return f"markdown={markdown.__version__};pygments={pygments.__version__};nh3={nh3.__version__}"
