"""Markdown to safe HTML.

Python-Markdown with the extensions news writers expect (tables, footnotes, smart quotes, heading
anchors, highlighted code). Raw HTML in Markdown is sanitised by default with nh3 (Ammonia), like Hugo
omitting it: archives import text from the open web.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import signal
import threading
from collections.abc import Iterator
from typing import Any

import markdown
import nh3
from markdown import util as markdown_util
from markdown.treeprocessors import InlineProcessor
from pygments.formatters import HtmlFormatter

from site_builder.model.article import ArticleBody
from site_builder.process import die_with_parent
from site_builder.sources.prose import ProseRenderer

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


_DEFAULT_LIMIT: Any = object()  # RENDER_SECONDS as it is when the renderer is made


class MarkdownRenderer:
    """Reusable converter; one per process (Python-Markdown instances are not thread-safe).

    The time limit holds wherever it renders: with SIGALRM in a main thread (build workers, the CLI),
    else (the dev server builds in a thread of its own) in a helper process given a deadline.
    """

    def __init__(self, allow_raw_html: bool = False, time_limit: float | None = _DEFAULT_LIMIT) -> None:
        self.allow_raw_html = allow_raw_html
        self.time_limit = RENDER_SECONDS if time_limit is _DEFAULT_LIMIT else time_limit
        self._helper: _RenderHelper | None = None
        self._md = markdown.Markdown(
            extensions=list(MARKDOWN_EXTENSIONS), extension_configs=_EXTENSION_CONFIG, output_format="html"
        )
        for processor in self._md.treeprocessors:
            if type(processor) is InlineProcessor:  # "inline" and smarty's own
                processor.__class__ = _SkippingInlineProcessor
        self._prose = ProseRenderer(self._md, _REQUIRED_TEXT)

    def render(self, text: str) -> ArticleBody:
        if self.time_limit and not _alarm_usable():
            if self._helper is None:
                self._helper = _RenderHelper(self.allow_raw_html)
            return self._helper.render(text, self.time_limit)
        toc = ""
        with _time_limit(self.time_limit):
            html = self._prose.render(text)  # plain paragraphs: the same HTML without the machinery
            if html is None:
                self._md.reset()
                html = self._md.convert(text)
                toc = getattr(self._md, "toc", "") or ""
        if not self.allow_raw_html:
            html = sanitise(html)
        return ArticleBody(html=html, toc_html=toc if "<li" in toc else "")


# Python-Markdown tries every inline pattern on every run of text (15 core patterns, 18 of smarty's):
# most of Markdown's time, though a pattern rarely matches. Each regex below cannot match a text
# without one of the substrings given, so the pattern is skipped for a text that has none of them:
# exactly what trying it would do. Keyed by the regex's source, so a pattern changed by a future
# Markdown version (or one not listed) is always tried.
_REQUIRED_TEXT: dict[str, tuple[str, ...]] = {
    # code span (an escaped backtick needs a backtick after it)
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),
    # backslash escape
    r"\\(.)": ("\\",),
    # footnote reference
    r"\[\^([^\]]*)\]": ("[^",),
    # link, reference, short reference
    r"(?<!\!)\[": ("[",),
    # images
    r"\!\[": ("![",),
    # autolink <http://...>
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("://",),
    # automail <a@b.c>
    r"<([^<> !]+@[^@<> ]+)>": ("@",),
    # line break: two spaces before a newline
    r"  \n": ("  \n",),
    # inline raw HTML: every alternative starts with "<"
    (
        '(<(\\/?+[a-zA-Z][^\\s"\'<>@]*+(?:\\s+[^\\s"\'=<>]++(?:\\s*+=\\s*+(?:"[^"]*+"'
        "|'[^']*+'|[^\\s\"'=<>]++))?+)*+\\s*+/?|!--(?:(?!<!--|-->).)*--"
        r"|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\["
        r"|\]\]>).)*\]\])>)"
    ): ("<",),
    # character reference
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),
    # emphasis
    r"\*|_": ("*", "_"),
    # smarty: dashes and quotes (literal quote characters, not lookarounds)
    r"(?<!-)---(?!-)": ("---",),
    r"(?<!-)--(?!-)": ("--",),
    "^'(?=[!\"#\\$\\%'()*+,-.\\/:;<=>?\\@\\[\\\\\\]\\^_`{|}~]\\B)": ("'",),
    '^"(?=[!"#\\$\\%\'()*+,-.\\/:;<=>?\\@\\[\\\\\\]\\^_`{|}~]\\B)': ('"',),
    "\"'(?=\\w)": ("\"'",),
    "'\"(?=\\w)": ("'\"",),
    "(?<=[^\\ \\t\\r\\n\\[\\{\\(\\-\\u0002\\u0003])\\'\"": ("'\"",),
    "(?<=[^\\ \\t\\r\\n\\[\\{\\(\\-\\u0002\\u0003])\\\"'": ("\"'",),
    r"(?<!\w)'(?=\d{2}s)": ("'",),
    r"(\s|&nbsp;|--|–|—|&[mn]dash;|&#8211;|&#8212;)'(?=\w)": ("'",),
    r"(?<=[^\ \t\r\n\[\{\(\-\u0002\u0003])'(?!\s|s\b|\d)": ("'",),
    r"'(\s|s\b)": ("'",),
    r"'": ("'",),
    r'(\s|&nbsp;|--|–|—|&[mn]dash;|&#8211;|&#8212;)"(?=\w)': ('"',),
    r'"(?=\s)': ('"',),
    r'(?<=[^\ \t\r\n\[\{\(\-\u0002\u0003])"': ('"',),
    r'"': ('"',),
    # smarty: ellipsis
    r"(?<!\.)\.{3}(?!\.)": ("...",),
}


class _SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's InlineProcessor, not trying patterns that cannot match (same output)."""

    def run(self, tree, ancestors=None):
        self._fast_patterns = []
        for pattern in self.inlinePatterns:
            required = _REQUIRED_TEXT.get(pattern.compiled_re.pattern, (None,))
            self._fast_patterns.append((pattern, required[0], required[1] if len(required) > 1 else None))
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, markdown_util.AtomicString):
            return data
        patterns = self._fast_patterns
        apply = self._InlineProcessor__applyPattern
        startIndex = 0  # noqa: N806
        count = len(patterns)
        while patternIndex < count:
            pattern, required, other = patterns[patternIndex]
            if required is not None and required not in data and (other is None or other not in data):
                patternIndex += 1
                startIndex = 0  # noqa: N806
                continue
            data, matched, startIndex = apply(pattern, data, patternIndex, startIndex)  # noqa: N806
            if not matched:
                patternIndex += 1
        return data


def _alarm_usable() -> bool:
    """SIGALRM can interrupt this thread: it is the main one, and no one else's real-time timer runs."""
    return (
        threading.current_thread() is threading.main_thread() and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


def _timed_out(seconds: float) -> RenderTimeout:
    return RenderTimeout(f"Markdown took more than {seconds:g} s to render (pathological input?)")


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise RenderTimeout after *seconds* of wall time (SIGALRM; callers check :func:`_alarm_usable`)."""
    if not seconds:
        yield
        return

    def expire(signum, frame):
        raise _timed_out(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)


STARTUP_SECONDS = 120  # a helper importing Markdown on a loaded machine; never counted against a text


class _RenderHelper:
    """A process rendering Markdown for a thread that SIGALRM cannot interrupt, killed (and started
    again at the next render) when a document passes its deadline.

    One per renderer, started at its first document; it dies with this process (the pipe closes at
    exit, and a parent-death signal covers SIGKILL).
    """

    def __init__(self, allow_raw_html: bool) -> None:
        self.allow_raw_html = allow_raw_html
        self._process: Any = None
        self._connection: Any = None
        self._lock = threading.Lock()  # one document at a time on the pipe

    def render(self, text: str, seconds: float) -> ArticleBody:
        with self._lock:
            connection = self._start()
            connection.send(text)
            if not connection.poll(seconds):
                self._stop()
                raise _timed_out(seconds)
            try:
                done, value = connection.recv()
            except (EOFError, OSError):
                self._stop()
                raise RuntimeError("the Markdown helper process died") from None
        if not done:
            raise value
        return value

    def _start(self):
        if self._process is None or not self._process.is_alive():
            self._stop()
            context = multiprocessing.get_context("forkserver")  # forking a threaded process can deadlock
            ours, theirs = context.Pipe()
            self._process = context.Process(
                target=_serve_renders, args=(theirs, self.allow_raw_html), daemon=True, name="markdown"
            )
            self._process.start()
            theirs.close()
            self._connection = ours
            if not ours.poll(STARTUP_SECONDS) or ours.recv() != "ready":  # its start is not the text's time
                self._stop()
                raise RuntimeError("the Markdown helper process did not start")
        return self._connection

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._connection.close()
        self._process = self._connection = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._stop()


def _serve_renders(connection: Any, allow_raw_html: bool) -> None:
    """The helper process: render each text received, until the pipe closes."""
    die_with_parent()
    renderer = MarkdownRenderer(allow_raw_html, time_limit=None)  # the parent keeps the time
    connection.send("ready")
    while True:
        try:
            text = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send((True, renderer.render(text)))
        except Exception as error:  # noqa: BLE001 - handed to the caller, as if raised there
            connection.send((False, error))


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
