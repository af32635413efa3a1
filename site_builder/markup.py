"""Markdown to safe HTML.

Python-Markdown with the extensions news writers expect (tables, footnotes, smart quotes, heading
anchors, highlighted code). Raw HTML in Markdown is sanitised by default with nh3 (Ammonia), like Hugo
omitting it: archives import text from the open web.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
from collections.abc import Iterator

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
# Python-Markdown is quadratic or worse on some inputs (20,000 '[' take minutes: upstream #798, #1617);
# an article renders in milliseconds, so a document still rendering after this is hostile or broken.
RENDER_SECONDS = 20.0


class RenderTimeout(BaseException):
    """Markdown rendering ran past its time limit.

    A BaseException, like KeyboardInterrupt, so no ``except Exception`` inside a Markdown extension
    can swallow it; :func:`site_builder.readers.read_article` turns it into a located SiteError.
    """


class MarkdownRenderer:
    """Reusable converter; one per process (Python-Markdown instances are not thread-safe)."""

    def __init__(self, allow_raw_html: bool = False, time_limit: float | None = RENDER_SECONDS) -> None:
        self.allow_raw_html = allow_raw_html
        self.time_limit = time_limit
        self._md = markdown.Markdown(
            extensions=list(MARKDOWN_EXTENSIONS), extension_configs=_EXTENSION_CONFIG, output_format="html"
        )

    def render(self, text: str) -> ArticleBody:
        self._md.reset()
        with _time_limit(self.time_limit):
            html = self._md.convert(text)
        toc = getattr(self._md, "toc", "") or ""
        if not self.allow_raw_html:
            html = sanitise(html)
        return ArticleBody(html=html, toc_html=toc if "<li" in toc else "")


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise RenderTimeout after *seconds* of wall time (SIGALRM: main thread only, else no limit).

    Build workers and the CLI parse in a main thread; a build run from another thread (a dev server),
    or while someone else's real-time timer runs, goes unguarded rather than disturbing them.
    """
    if (
        not seconds
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0
    ):
        yield
        return

    def expire(signum, frame):
        raise RenderTimeout(f"Markdown took more than {seconds:g} s to render (pathological input?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)


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


@functools.cache
def renderer_version() -> str:
    """Versions that change rendered bodies; part of every cache key."""
    import pygments

    return f"markdown={markdown.__version__};pygments={pygments.__version__};nh3={nh3.__version__}"
