"""Markdown to safe HTML.

Python-Markdown with the extensions news writers expect (tables, footnotes, smart quotes, heading
anchors, highlighted code). Raw HTML in Markdown is sanitised by default with nh3 (Ammonia), like Hugo
omitting it: archives import text from the open web.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import markdown
import nh3
from markdown import util as markdown_util
from markdown.treeprocessors import InlineProcessor
from pygments.formatters import HtmlFormatter

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.model.article import ArticleBody
from site_builder.sources.deadline import DeadlinePassed, HelperProcess
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

    *extensions* are added to the default set and *configs* (extension name -> settings) merged over
    the defaults' settings (site.toml ``markdown_extensions`` and ``[markdown_extension_configs]``).
    The time limit holds wherever it renders: with SIGALRM in a main thread (build workers, the CLI),
    else (the dev server builds in a thread of its own) in a helper process given a deadline.
    """

    def __init__(
        self,
        allow_raw_html: bool = False,
        time_limit: float | None = _DEFAULT_LIMIT,
        extensions: Sequence[str] = (),
        configs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.allow_raw_html = allow_raw_html
        self.time_limit = RENDER_SECONDS if time_limit is _DEFAULT_LIMIT else time_limit
        self._settings = (allow_raw_html, tuple(extensions), dict(configs or {}))
        self._helper: HelperProcess | None = None
        self._md = _markdown(extensions, configs or {})
        for processor in self._md.treeprocessors:
            if type(processor) is InlineProcessor:  # "inline" and smarty's own
                processor.__class__ = _SkippingInlineProcessor
        self._prose = ProseRenderer(self._md, _REQUIRED_TEXT)
        if configs:  # checked against the default settings only (its own check sees the extension set)
            self._prose.enabled = False

    @classmethod
    def for_config(cls, config: SiteConfig) -> MarkdownRenderer:
        return cls(
            config.allow_raw_html,
            extensions=config.markdown_extensions,
            configs=config.markdown_extension_configs,
        )

    def render(self, text: str) -> ArticleBody:
        if self.time_limit and not _alarm_usable():  # the dev server's build thread, for one
            return self._render_elsewhere(text, self.time_limit)
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

    def _render_elsewhere(self, text: str, seconds: float) -> ArticleBody:
        """Render in a helper process killed at the deadline: SIGALRM interrupts only a main thread."""
        if self._helper is None:
            self._helper = HelperProcess(functools.partial(_helper_renderer, *self._settings), "markdown")
        try:
            return self._helper.call(text, seconds)
        except DeadlinePassed:
            raise _timed_out(seconds) from None


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


def _helper_renderer(allow_raw_html: bool, extensions: Sequence[str], configs: dict) -> Callable:
    """What a helper process renders with: a renderer of the same settings, the time kept by the caller."""
    return MarkdownRenderer(allow_raw_html, None, extensions, configs).render


def _alarm_usable() -> bool:
    """SIGALRM can interrupt this thread: it is the main one, and no one else's real-time timer runs."""
    return (
        threading.current_thread() is threading.main_thread() and not signal.getitimer(signal.ITIMER_REAL)[0]
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


def _markdown(extensions: Sequence[str], configs: Mapping[str, Mapping[str, Any]]) -> markdown.Markdown:
    names = list(MARKDOWN_EXTENSIONS) + [name for name in extensions if name not in MARKDOWN_EXTENSIONS]
    settings = {name: dict(values) for name, values in _EXTENSION_CONFIG.items()}
    for name, values in configs.items():
        settings.setdefault(name, {}).update(values)
    return markdown.Markdown(extensions=names, extension_configs=settings, output_format="html")


def check_extensions(config: SiteConfig) -> None:
    """Load the Markdown extensions site.toml adds, and apply its extension settings, one at a time: one
    that cannot be loaded (not installed, a misspelt name, a setting it does not have) is an error
    naming it, not a failure of every article."""
    where = config.site_dir / "site.toml"
    configs = config.markdown_extension_configs
    checked = json.dumps([config.markdown_extensions, configs], sort_keys=True, default=str)
    if checked in _CHECKED:  # (a long-running process checks each set once)
        return
    for name in configs:
        if name not in config.markdown_extensions and name not in MARKDOWN_EXTENSIONS:
            raise SiteError(
                f"settings for '{name}', which is neither in markdown_extensions nor a default "
                f"({', '.join(MARKDOWN_EXTENSIONS)})",
                where,
                field="markdown_extension_configs",
            )
    for name in [*config.markdown_extensions, *configs]:
        listed = name in config.markdown_extensions
        try:
            _markdown([name] if listed else [], {name: configs[name]} if name in configs else {})
        except Exception as error:  # noqa: BLE001 - import errors, unknown settings, bad values...
            raise SiteError(
                f"Markdown extension '{name}' cannot be used: {type(error).__name__}: {error}",
                where,
                field="markdown_extensions" if listed else "markdown_extension_configs",
            ) from error
    _CHECKED.add(checked)


_CHECKED: set[str] = set()


def extension_code_digest(names: Sequence[str]) -> str:
    """The code behind added Markdown extensions: the version of the package each comes from and the
    bytes of its module (Python-Markdown's own are covered by its version, in every content key); empty
    when none but Python-Markdown's own is added."""
    digest, added = hashlib.sha256(), False
    for name in names:
        if "." not in name and importlib.util.find_spec(f"markdown.extensions.{name}") is not None:
            continue  # Python-Markdown's own
        point = next(iter(importlib.metadata.entry_points(group="markdown.extensions", name=name)), None)
        module = point.module if point is not None else name.split(":")[0]
        versions = [
            f"{d}={importlib.metadata.version(d)}" for d in _distributions().get(module.split(".")[0], [])
        ]
        digest.update(f"\0{name}\0{';'.join(sorted(versions))}\0".encode())
        with contextlib.suppress(ImportError, ValueError, OSError):
            spec = importlib.util.find_spec(module)
            if spec is not None and spec.origin and spec.has_location:
                digest.update(Path(spec.origin).read_bytes())
        added = True
    return digest.hexdigest() if added else ""


@functools.cache  # a scan of every installed package (a fifth of a second); their files are hashed anyway
def _distributions() -> Mapping[str, list[str]]:
    return importlib.metadata.packages_distributions()


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
