"""Parallel parsing and rendering across processes.

Each worker process keeps its own Markdown converter, Jinja environment and read-only connection to
the cache, so only small tasks and results cross process boundaries; rendered bytes are compared with
``output/`` and written to the staging folder by the worker itself. Output does not depend on the
number of workers: every page is a pure function of its planned data.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import gc
import itertools
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import open_reader, stored_text
from .config import SiteConfig
from .content import Article, ArticleBody
from .errors import SiteError
from .markup import MarkdownRenderer
from .output import stage_if_changed
from .planner import Page
from .readers import read_article
from .render import PageRenderer

PARALLEL_THRESHOLD = 200  # below this, starting processes costs more than it saves


def _context() -> multiprocessing.context.BaseContext:
    """fork is fastest, but forking a process with running threads (the dev server, the watcher) can
    deadlock a child on a lock held by another thread: use forkserver there."""
    return multiprocessing.get_context("forkserver" if threading.active_count() > 1 else "fork")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a moment.

    Loading, grouping and planning an archive make hundreds of thousands of small objects, none in
    cycles, and in a process holding a whole archive each collection walks all of it: a one-edit build
    of 10,000 articles is ~15% faster without them. Only for those phases of the parent process: parsing
    and rendering (which may run Markdown extensions and templates in this process) keep the collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass(frozen=True)
class ParseTask:
    source: str
    key: str
    data: bytes


ParseResult = tuple[Article, ArticleBody] | SiteError


class _ParseState:
    renderer: MarkdownRenderer | None = None
    config: SiteConfig | None = None


def _init_parser(config: SiteConfig) -> None:
    _ParseState.config = config
    _ParseState.renderer = MarkdownRenderer(config.allow_raw_html)


def _parse(task: ParseTask) -> ParseResult:
    assert _ParseState.config is not None and _ParseState.renderer is not None
    try:
        return read_article(task.data, task.source, _ParseState.config, _ParseState.renderer, task.key)
    except SiteError as error:
        return error


PARSE_CHUNK = 64  # tasks per message to a worker
PARSE_WINDOW = 4  # chunks in flight per worker: file bytes and parsed bodies of only these are held


def _parse_chunk(tasks: list[ParseTask]) -> list[ParseResult]:
    return [_parse(task) for task in tasks]


def parse_all(tasks: Iterable[ParseTask], config: SiteConfig, jobs: int, count: int) -> Iterator[ParseResult]:
    """Parse content files (*count* of them), in worker processes when there are many; results come in
    the task order, as they are ready. Tasks are taken from *tasks* only a few chunks ahead of the
    results consumed, so neither every file's bytes nor every rendered body is ever held at once."""
    if jobs <= 1 or count < PARALLEL_THRESHOLD:
        _init_parser(config)
        yield from map(_parse, tasks)
        return
    with (
        _frozen(),
        ProcessPoolExecutor(
            jobs, mp_context=_context(), initializer=_init_parser, initargs=(config,)
        ) as pool,
    ):
        pending: collections.deque = collections.deque()
        chunks = _chunked(iter(tasks), PARSE_CHUNK)
        for chunk in itertools.islice(chunks, jobs * PARSE_WINDOW):
            pending.append(pool.submit(_parse_chunk, chunk))
        while pending:
            results = pending.popleft().result()
            chunk = next(chunks, None)
            if chunk is not None:
                pending.append(pool.submit(_parse_chunk, chunk))
            yield from results


def _chunked(items: Iterator[ParseTask], size: int) -> Iterator[list[ParseTask]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


@dataclass(frozen=True)
class RenderOutcome:
    path: str
    size: int
    written: bool  # False: rendered, but identical to the file already in output/


class _RenderState:
    renderer: PageRenderer | None = None
    output: Path | None = None
    staging: Path | None = None
    environment: tuple[str, Any] | None = None  # (reuse key, Jinja environment) of the last setup


def _init_renderer(config: SiteConfig, staging: Path, reuse: str | None = None) -> None:
    """Set up this process's renderer; *reuse*: a key (the settings digest, covering every template)
    under which the Jinja environment of the last call, with its compiled templates, may be reused."""
    connection = open_reader(config.cache_dir)

    def load_body(key: str) -> ArticleBody:
        row = connection.execute("SELECT html, toc FROM articles WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise SiteError(f"article body {key[:12]} missing from the cache; delete .site-cache and rebuild")
        return ArticleBody(html=row[0], toc_html=row[1])

    kept = _RenderState.environment
    env = kept[1] if reuse is not None and kept is not None and kept[0] == reuse else None
    renderer = PageRenderer(config, load_body, functools.partial(stored_text, connection), env)
    _RenderState.environment = (reuse, renderer.env) if reuse is not None else None
    _RenderState.renderer = renderer
    _RenderState.output = config.output_dir
    _RenderState.staging = staging


def _render(page: Page) -> RenderOutcome | SiteError:
    state = _RenderState
    assert state.renderer is not None and state.output is not None and state.staging is not None
    try:
        data = state.renderer.render(page)
    except SiteError as error:
        return error
    written = stage_if_changed(state.output, state.staging, page.path, data)
    return RenderOutcome(page.path, len(data), written)


# The pages of the render_all running in this process, which forked workers inherit: pickling the
# page contexts to send them cost the parent and the workers a fifth of the rendering's CPU time.
_inherited_pages: list[Page] = []


def _render_inherited(index: int) -> RenderOutcome | SiteError:
    return _render(_inherited_pages[index])


def render_all(
    pages: list[Page], config: SiteConfig, staging: Path, jobs: int, reuse: str | None = None
) -> Iterator[RenderOutcome]:
    """Render *pages* into *staging* (only those whose bytes differ from output/); yield outcomes in order.

    *reuse*: see :func:`_init_renderer` (a long-running process renders a few pages per rebuild in
    process, and recompiling the templates each time would cost more than rendering them).
    """
    global _inherited_pages
    results: Iterable[RenderOutcome | SiteError]
    if jobs <= 1 or len(pages) < PARALLEL_THRESHOLD:
        _init_renderer(config, staging, reuse)
        results = map(_render, pages)
        yield from _raise_errors(results)
        return
    context = _context()
    with (
        _frozen(),
        ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_init_renderer, initargs=(config, staging)
        ) as pool,
    ):
        if context.get_start_method() != "fork":  # forkserver: a fresh process has only what is sent
            yield from _raise_errors(pool.map(_render, pages, chunksize=32))
            return
        _inherited_pages = pages  # workers fork at the first submit, in map()
        try:
            yield from _raise_errors(pool.map(_render_inherited, range(len(pages)), chunksize=32))
        finally:
            _inherited_pages = []


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """The parent's objects out of the garbage collector's reach while workers fork from it: a forked
    worker's collections would otherwise write to every object it inherited, copying all the memory
    pages it shares with the parent (Python's advice for forking servers)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _raise_errors(results: Iterable[RenderOutcome | SiteError]) -> Iterator[RenderOutcome]:
    for result in results:
        if isinstance(result, SiteError):
            raise result
        yield result
