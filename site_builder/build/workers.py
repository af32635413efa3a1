"""Parallel parsing and rendering across processes.

One pool of worker processes serves a build (:class:`Workers`): it parses the content files, then
renders the pages. Each worker keeps its own Markdown converter, Jinja environment and read-only
connection to the cache, so only file bytes, page data and small results cross process boundaries
(rendered bodies are read from the cache by the worker); rendered bytes are compared with ``output/``
and written to the staging folder by the worker itself. Output does not depend on the
number of workers: every page is a pure function of its planned data.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import ctypes.util
import functools
import gc
import itertools
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder.build.output.sink import OutputSink, SunkFile
from site_builder.build.output.staging import StagingArea, stage_if_changed
from site_builder.build.state.cache import open_reader, stored_text, verified_body
from site_builder.build.state.store import BodyStore
from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.model.article import Article, ArticleBody
from site_builder.model.page import Page
from site_builder.plugins import Plugins, plugins_of
from site_builder.render.renderer import PageRenderer
from site_builder.sources.markup import MarkdownRenderer
from site_builder.sources.reader import read_article

PR_SET_PDEATHSIG = 1  # prctl(2)
PARALLEL_THRESHOLD = 200  # below this, starting processes costs more than it saves
RENDER_HERE = 64  # fewer pages are rendered in this process even when workers run: sending them costs more


def _context() -> multiprocessing.context.BaseContext:
    """fork is fastest, but forking a process with running threads (the dev server, the watcher) can
    deadlock a child on a lock held by another thread: use forkserver there."""
    return multiprocessing.get_context("forkserver" if threading.active_count() > 1 else "fork")


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass(frozen=True)
class ParseTask:
    source: str
    key: str
    data: bytes


SearchText = tuple[str, str]  # an article body's plain text and its words (sorted, space-separated)
ParseResult = tuple[Article, ArticleBody, SearchText] | SiteError


class _ParseState:
    renderer: MarkdownRenderer | None = None
    config: SiteConfig | None = None
    plugins: Plugins | None = None


def _init_parser(config: SiteConfig) -> None:
    _ParseState.config = config
    _ParseState.renderer = MarkdownRenderer.for_config(config)
    _ParseState.plugins = None


def _parse(task: ParseTask) -> ParseResult:
    """An article (as the plugins' ``on_article`` leave it), its body and its search text: made here, in
    parallel, rather than by the search index in the parent (a third of a cold index build at 10,000
    articles)."""
    state = _ParseState
    config = state.config
    assert config is not None
    try:  # (a setting that fails here fails for every file: reported with the first)
        if state.renderer is None:  # a worker's first parse (it may only scan or render in a build)
            state.renderer = MarkdownRenderer.for_config(config)
        if state.plugins is None:
            state.plugins = plugins_of(config)
    except SiteError as error:
        return error
    return _parse_with(task, config, state.renderer, state.plugins)


def _parse_with(task: ParseTask, config: SiteConfig, renderer: MarkdownRenderer, plugins: Plugins):
    from site_builder.search.text import document_text

    try:
        article, body = read_article(task.data, task.source, config, renderer, task.key)
        if plugins:
            article = plugins.article(article, config, f"{config.content_dir.name}/{task.source}")
    except SiteError as error:
        return error
    text, words = document_text(body)
    return article, body, (text, " ".join(sorted(words)))


PARSE_CHUNK = 64  # tasks per message to a worker
PARSE_WINDOW = 4  # chunks in flight per worker: file bytes and parsed bodies of only these are held


def _parse_chunk(tasks: list[ParseTask]) -> list[ParseResult]:
    return [_parse(task) for task in tasks]


class Workers:
    """The worker processes of one build, started once and kept for it: they parse, then render.

    Started before the archive is loaded (see :meth:`start`), forked workers share only a small parent:
    forked from a parent holding 100,000 articles, each worker's allocations landed in the parent's
    scattered free memory and copied it page by page (hundreds of megabytes per worker). Pages are
    sent to them as their serialised data (already made for their fingerprints).
    """

    def __init__(self, config: SiteConfig, jobs: int, reuse: str | None = None, cache: Any = None) -> None:
        """*cache*: the build's cache, which a cluster build asks for body digests and stored texts."""
        self.config, self.jobs, self.reuse, self.cache = config, jobs, reuse, cache
        self.pool: ProcessPoolExecutor | None = None
        # The Dask scheduler of config.scheduler, for a one-off build: a long-running caller (the dev
        # server, *reuse* set) rebuilds a few pages at a time, which a cluster's round trips only slow
        self.scheduler = config.scheduler if reuse is None else ""
        self.cluster: Any = None  # a ClusterPool (see build.cluster), once started
        self._renderer: PageRenderer | None = None  # this process's, when rendering here

    def start_cluster(self) -> Any:
        """The build's Dask cluster connection, made now if not yet (only with a scheduler set)."""
        if self.cluster is None:
            from site_builder.build.cluster import ClusterPool

            self.cluster = ClusterPool(self.config, self.scheduler)
        return self.cluster

    def start(self) -> ProcessPoolExecutor | None:
        """The pool (None with one job, or when a cluster does the work), its processes started now."""
        if self.pool is None and self.jobs > 1 and not self.scheduler:
            with _frozen():
                context = _context()
                forked = context.get_start_method() == "fork"
                self.pool = ProcessPoolExecutor(
                    self.jobs,
                    mp_context=context,
                    initializer=_init_worker,
                    initargs=(self.config, os.getpid() if forked else None),
                )
                self.pool.submit(int).result()  # fork now (all processes start at the first submit)
        return self.pool

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def render(self, pages: list[PackedPage], staging: StagingArea) -> Iterator[RenderOutcome]:
        """Render *pages* into *staging* (only those whose bytes differ from output/); outcomes in order.

        Pages for the worker processes are handed to them now (the caller can prepare the next batch
        meanwhile); pages rendered in this process are rendered as their outcomes are taken.
        """
        if not pages:
            return iter(())
        if self.scheduler and len(pages) >= RENDER_HERE:
            return _raise_errors(self._render_on_cluster(pages, staging))
        few = len(pages) < (PARALLEL_THRESHOLD if self.pool is None else RENDER_HERE)
        if self.jobs <= 1 or few:
            if self._renderer is None:
                self._renderer = _make_renderer(self.config, self.reuse)
            renderer = self._renderer
            return _raise_errors(_render(unpack(page), renderer, staging) for page in pages)
        pool = self.start()
        assert pool is not None
        size = min(RENDER_CHUNK, -(-len(pages) // self.jobs))  # a few pages: shared by every worker
        chunks = [pages[i : i + size] for i in range(0, len(pages), size)]
        results = pool.map(_render_chunk, itertools.repeat(staging), chunks)  # submitted now
        return (outcome for chunk in results for outcome in _raise_errors(chunk))

    def _render_on_cluster(self, pages: list[PackedPage], staging: StagingArea) -> Iterator[Any]:
        from site_builder.build.cluster import body_keys, pack_for_cluster

        assert self.cache is not None
        cluster = self.start_cluster()
        keys = {key for page in pages for key in body_keys(page)}
        digests = self.cache.body_digests(sorted(keys), cluster.store)
        packed = (pack_for_cluster(page, digests, self.cache.stored_text) for page in pages)
        outcomes = cluster.render(_render_chunk_on_cluster, packed, len(pages), staging)  # submitted now
        return outcomes if cluster.sink is None else self._staged(outcomes, staging)

    def _staged(self, outcomes: Iterator[Any], staging: StagingArea) -> Iterator[Any]:
        """Pages the workers put into the output sink, staged here as their outcomes are taken (only
        those whose bytes output/ lacks)."""
        for outcome in outcomes:
            if isinstance(outcome, SunkFile):
                written = self.cluster.sink.stage(outcome, self.config.output_dir, staging)
                outcome = RenderOutcome(outcome.path, outcome.size, written)
            yield outcome


RENDER_CHUNK = 32
PackedPage = tuple[str, str, str | None, str | None, str | None, bytes]  # a Page, its context pickled


def pack(page: Page, data: bytes | None = None) -> PackedPage:
    """*page* with its context serialised (*data*: that pickle, if already made)."""
    if data is None:
        data = pickle.dumps(page.context, protocol=5)
    return (page.path, page.kind, page.template, page.body_key, page.source, data)


def unpack(packed: PackedPage) -> Page:
    path, kind, template, body_key, source, data = packed
    return Page(path, kind, pickle.loads(data), template, body_key, source)


@contextlib.contextmanager
def worker_deaths_reported(output_dir: Path) -> Iterator[None]:
    """A worker killed mid-build (by a signal, or the kernel when memory ran out) as a located error."""
    try:
        yield
    except BrokenProcessPool:
        raise SiteError(
            "a worker process died during the build (killed by a signal, or out of memory); "
            "nothing was changed, run the build again (with fewer --jobs if memory is short)",
            output_dir,
        ) from None
    except Exception as error:
        if not _cluster_lost(error):
            raise
        raise SiteError(
            f"the Dask cluster lost the build's work ({type(error).__name__}: a task's workers kept "
            "dying, or the scheduler went away); nothing was changed, run the build again",
            output_dir,
        ) from None


def _cluster_lost(error: BaseException) -> bool:
    if "distributed" not in sys.modules:  # (no cluster ran in this process)
        return False
    from site_builder.build.cluster import is_worker_loss

    return is_worker_loss(error)


def _init_worker(config: SiteConfig, parent: int | None) -> None:
    _die_with_parent(parent)
    _ParseState.config = config
    _ParseState.plugins = None  # (imported by name at the first parse: a forked worker has them already)
    _RenderState.config = config


def _die_with_parent(parent: int | None) -> None:
    """Have the kernel kill this worker when its parent dies (Linux): a build killed by SIGKILL, the
    OOM killer or a CI timeout must not leave workers rendering into a folder nobody will commit.
    A forked worker (*parent*: the build's process id) whose parent died before this call finds itself
    adopted, and exits at once; a forkserver's worker dies with the forkserver, which ends with the build."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def parse_all(
    tasks: Iterable[ParseTask], config: SiteConfig, jobs: int, count: int, workers: Workers | None = None
) -> Iterator[ParseResult]:
    """Parse content files (*count* of them), in worker processes when there are many; results come in
    the task order, as they are ready. Tasks are taken from *tasks* only a few chunks ahead of the
    results consumed, so neither every file's bytes nor every rendered body is ever held at once.
    A few files go to the workers too when they are running already (their parsers cost this process
    nothing)."""
    if count == 0:
        return
    if workers is not None and workers.scheduler:
        yield from workers.start_cluster().parse(_parse_chunk_on_cluster, tasks)
        return
    if jobs <= 1 or (count < PARALLEL_THRESHOLD and (workers is None or workers.pool is None)):
        _init_parser(config)
        yield from map(_parse, tasks)
        return
    with contextlib.ExitStack() as stack:
        if workers is None:
            workers = stack.enter_context(Workers(config, jobs))
        pool = workers.start()
        assert pool is not None
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
    config: SiteConfig | None = None
    renderer: PageRenderer | None = None  # made at the first page a worker renders


# (key, Jinja environment) of the last renderer made in this process: a long-running process (the dev
# server) renders a few pages per rebuild here, and recompiling the templates each time would cost more
# than rendering them. The key is the build's settings digest, which covers every template.
_kept_environment: tuple[str, Any] | None = None


def _make_renderer(config: SiteConfig, reuse: str | None = None) -> PageRenderer:
    """A renderer for this process; *reuse*: see ``_kept_environment``."""
    global _kept_environment
    connection = open_reader(config.cache_dir)

    store: list[BodyStore] = []  # made at the first body kept in the store (a cluster build parsed it)

    def body_store() -> BodyStore:
        if not store:
            store.append(BodyStore.for_site(config.body_store, config.cache_dir))
        return store[0]

    def load_body(key: str) -> ArticleBody:
        row = connection.execute("SELECT html, toc, mac FROM articles WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise SiteError(f"article body {key[:12]} missing from the cache; delete .site-cache and rebuild")
        return verified_body(key, *row, store=body_store)

    kept = _kept_environment
    env = kept[1] if reuse is not None and kept is not None and kept[0] == reuse else None
    renderer = PageRenderer(config, load_body, functools.partial(stored_text, connection), env)
    _kept_environment = (reuse, renderer.env) if reuse is not None else None
    return renderer


def _render_chunk(staging: StagingArea, pages: list[PackedPage]) -> list[RenderOutcome | SiteError]:
    state = _RenderState
    if state.renderer is None:
        assert state.config is not None
        state.renderer = _make_renderer(state.config)
    return [_render(unpack(page), state.renderer, staging) for page in pages]


def _render(page: Page, renderer: PageRenderer, staging: StagingArea) -> RenderOutcome | SiteError:
    try:
        data = renderer.render(page)
    except SiteError as error:
        return error
    written = stage_if_changed(renderer.config.output_dir, staging, page.path, data)
    return RenderOutcome(page.path, len(data), written)


# Tasks on a Dask cluster's workers (see build.cluster): the settings scattered once, a converter and a
# renderer per worker thread and build (Python-Markdown is not thread-safe), bodies through the store
_cluster_local = threading.local()


def _cluster_state(token: str, store_url: str) -> dict[str, Any]:
    """This thread's converter, renderer and store for the build *token*, made at its first task."""
    state = getattr(_cluster_local, "state", None)
    if state is None and multiprocessing.current_process().daemon:
        raise SiteError(
            "the Dask workers run as daemon processes, which cannot start the helper process that "
            "stops a Markdown render at its time limit: start them with "
            "DASK_DISTRIBUTED__WORKER__DAEMON=False",
            "scheduler",
        )
    if state is None or state["token"] != token:
        state = {"token": token, "store": BodyStore(store_url), "markdown": None, "renderer": None}
        _cluster_local.state = state
    return state


def _parse_chunk_on_cluster(token: str, config: SiteConfig, store_url: str, chunk: bytes) -> list:
    """Parse results of the pickled list of tasks *chunk*, each body put into the store: (article, body
    digest, search text)."""
    tasks: list[ParseTask] = pickle.loads(chunk)
    state = _cluster_state(token, store_url)
    if state["markdown"] is None:
        try:
            state["markdown"], state["plugins"] = MarkdownRenderer.for_config(config), plugins_of(config)
        except SiteError as error:
            return [error] * len(tasks)
    results: list = []
    for task in tasks:
        result = _parse_with(task, config, state["markdown"], state["plugins"])
        if not isinstance(result, SiteError):
            result = (result[0], state["store"].put(result[1]), result[2])
        results.append(result)
    return results


def _render_chunk_on_cluster(
    token: str, config: SiteConfig, store_url: str, target: StagingArea | OutputSink, chunk: bytes
) -> list[RenderOutcome | SunkFile | SiteError]:
    """The pickled list of packed pages *chunk* rendered into the staging folder (*target* on the
    driver's disk) or the output sink."""
    pages: list[PackedPage] = pickle.loads(chunk)
    state = _cluster_state(token, store_url)
    if state["renderer"] is None:
        state["renderer"] = PageRenderer(config, state["store"].get)
    renderer = state["renderer"]
    if isinstance(target, StagingArea):
        return [_render(unpack(page), renderer, target) for page in pages]
    results: list[RenderOutcome | SunkFile | SiteError] = []
    for page in pages:
        try:
            results.append(target.put(page[0], renderer.render(unpack(page))))
        except SiteError as error:
            results.append(error)
    return results


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
