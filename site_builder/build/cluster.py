"""Parsing and rendering on a Dask cluster (``[build] scheduler``, ``--scheduler``), the optional extra
``site-builder[dask]``.

The build hands a cluster the same chunks it hands its local pool, through the cluster's
``concurrent.futures`` executor (``Client.get_executor(pure=False)``: a chunk is work with side effects,
never a cached result). What a task needs travels with it or comes from a store, never from the
driver's disk: a parse task carries the file's bytes and puts the article's rendered body into the
content-addressed body store (:mod:`site_builder.build.state.store`), sending back only the article,
the body's digest and its search text; a render task carries the page's data and the digest of its
body. The settings are sent to every worker once per build (scattered), and each worker keeps one
Markdown converter and one Jinja environment per build and thread.

``local:N`` starts a LocalCluster of N processes on 127.0.0.1 for the build (no dashboard); an address
such as ``tcp://10.0.0.5:8786`` joins a running scheduler. A worker that dies mid-build has its tasks
retried on the others by the scheduler (tasks only write the staging folder and the body store, both
idempotently); a build that cannot finish (every retry killed, the scheduler gone) is a SiteError and
nothing in output/ changes.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import logging
import pickle
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from site_builder.build.output.sink import OutputSink
from site_builder.build.output.staging import StagingArea
from site_builder.build.state.store import BodyStore
from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.plan.feeds import FEED_KINDS

CLUSTER_PARSE_CHUNK = 128  # files per task: a task costs the scheduler about a millisecond
CLUSTER_RENDER_CHUNK = 128  # pages per task
WINDOW = 4  # chunks in flight per worker thread
CONNECT_SECONDS = 30


def missing_extra() -> SiteError:
    return SiteError(
        "building on a Dask cluster needs the dask extra: pip install 'site-builder[dask]'", "scheduler"
    )


class ClusterPool:
    """A connection to a Dask cluster for one build (and the LocalCluster it started, if any)."""

    def __init__(self, config: SiteConfig, address: str) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise missing_extra() from None
        self.config, self.cluster = config, None
        _quiet_logs()
        try:
            if address.startswith("local"):
                workers = int(address.partition(":")[2] or 2)
                # not daemons, so that they may start Markdown helpers (see _worker_state); set for
                # good, as a nanny reads it again when it restarts a worker that died
                dask.config.set({"distributed.worker.daemon": False})
                self.cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=":0",  # (its HTTP server starts anyway: any free port)
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster, timeout=CONNECT_SECONDS)
            else:
                self.client = Client(address, timeout=CONNECT_SECONDS)
                self.client.wait_for_workers(1, timeout=CONNECT_SECONDS)  # (else tasks wait forever)
        except (OSError, TimeoutError) as error:
            self.close()
            raise SiteError(f"cannot reach the Dask scheduler {address}: {error}", "scheduler") from None
        self.executor = self.client.get_executor(pure=False)
        self.threads = max(1, sum(self.client.nthreads().values()))
        self.store = BodyStore.for_site(config.body_store, config.cache_dir)
        self.sink = OutputSink.for_build(config.output_sink) if config.output_sink else None
        self.token = uuid.uuid4().hex  # this build's worker state
        self.settings = self.client.scatter(config, broadcast=True, hash=False)

    def close(self) -> None:
        """Cancel what is still queued and disconnect; a LocalCluster of this build is shut down, and
        this build's folder of the output sink removed."""
        with contextlib.suppress(Exception):
            self.executor.shutdown(wait=False)
        if getattr(self, "sink", None) is not None:
            self.sink.discard()
        for part in ("client", "cluster"):
            thing = getattr(self, part, None)
            if thing is not None:
                with contextlib.suppress(Exception):
                    thing.close()
                setattr(self, part, None)

    def submit(self, function: Any, *args: Any) -> Any:
        return self.executor.submit(function, *args)

    def parse(self, function: Any, tasks: Iterable[Any]) -> Iterator[Any]:
        """*function*'s results for chunks of *tasks*, in the task order."""
        chunks = _chunked(iter(tasks), CLUSTER_PARSE_CHUNK)
        yield from self.in_order(function, chunks, self.store.url)

    def render(self, function: Any, pages: Iterable[Any], count: int, staging: StagingArea) -> Iterator[Any]:
        """*function*'s outcomes for chunks of *pages* (*count* pages, packed with body digests, taken
        only a window ahead: a search index page carries its text), in order; with an output sink, the
        workers put the files there and send a SunkFile each (to be staged by the caller)."""
        size = min(CLUSTER_RENDER_CHUNK, -(-count // self.threads))
        chunks = _chunked(iter(pages), size)
        return self.in_order(function, chunks, self.store.url, self.sink or staging)

    def in_order(self, function: Any, chunks: Iterator[list], *args: Any) -> Iterator[Any]:
        """``function(token, settings, *args, chunk)`` for each of *chunks*, the first window submitted
        now and the rest a window ahead of the results taken; the results in chunk order, each chunk's
        list flattened.

        A chunk goes pickled, as one bytes value: Dask walks a task's arguments looking for keys of
        other tasks (thousands of tuples a chunk, on the driver and again on the scheduler), and opaque
        bytes are passed through."""

        def submit(chunk: list) -> Any:
            blob = pickle.dumps(chunk, protocol=5)
            return self.submit(function, self.token, self.settings, *args, blob)

        pending = collections.deque(
            submit(chunk) for chunk in itertools.islice(chunks, self.threads * WINDOW)
        )

        def results() -> Iterator[Any]:
            while pending:
                done = pending.popleft().result()
                chunk = next(chunks, None)
                if chunk is not None:
                    pending.append(submit(chunk))
                yield from done

        return results()


def _quiet_logs() -> None:
    """Dask's own progress lines (workers starting, connections closing) off the build's output: a
    build reports failures itself."""
    for name in [*logging.root.manager.loggerDict, "distributed"]:
        if name.startswith("distributed"):
            logging.getLogger(name).setLevel(logging.ERROR)


def is_worker_loss(error: BaseException) -> bool:
    """The cluster lost the work: a task whose workers kept dying, or the scheduler gone."""
    try:
        from distributed import KilledWorker
        from distributed.client import FutureCancelledError
        from distributed.comm.core import CommClosedError
    except ImportError:
        return False
    return isinstance(error, (KilledWorker, FutureCancelledError, CommClosedError))


def pack_for_cluster(page: Any, digests: dict[str, str], stored_text: Any) -> Any:
    """A packed page as a cluster worker renders it: its body named by digest in the body store, a
    ``stored`` page (a search index file kept in the driver's cache) carried as its text."""
    path, kind, template, body_key, source, data = page
    if kind == "stored":
        import hashlib

        text = stored_text(path)
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != pickle.loads(data)["sha256"]:
            raise SiteError(f"output/{path} is missing from the cache; delete .site-cache and rebuild")
        return (path, "text", template, None, source, pickle.dumps({"text": text}, protocol=5))
    if kind in FEED_KINDS and body_key is None:
        data = _feed_by_digest(data, digests)
    if body_key:
        return (path, kind, template, digests[body_key], source, data)
    return (path, kind, template, body_key, source, data)


def body_keys(page: Any) -> set[str]:
    """The article bodies a packed page shows: its own, or a full-content feed's entries'."""
    _, kind, _, body_key, _, data = page
    if body_key:
        return {body_key}
    if kind in FEED_KINDS:
        return {entry["key"] for entry in pickle.loads(data).get("entries", ()) if "key" in entry}
    return set()


def _feed_by_digest(data: bytes, digests: dict[str, str]) -> bytes:
    """A full-content feed's context with each entry's body named by its digest in the body store
    (the worker reads bodies from the store, which knows no article keys)."""
    context = pickle.loads(data)
    entries = context.get("entries", ())
    if not any("key" in entry for entry in entries):
        return data
    context["entries"] = [{**e, "key": digests[e["key"]]} if "key" in e else e for e in entries]
    return pickle.dumps(context, protocol=5)


def _chunked(items: Iterator[Any], size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk
