"""Builds on a Dask cluster (a LocalCluster of 2 worker processes on 127.0.0.1) give the local build's
bytes, and a worker killed mid-build leaves output/ whole."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from site_builder.build import build_site
from site_builder.config import load_config
from site_builder.errors import SiteError
from tests.helpers import FIXTURE_SITE, read_tree, require_shared

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
pytestmark = pytest.mark.slow

BBC_ARTICLES = 300


def _start_cluster():
    import dask

    # workers that may start Markdown helper processes: set for good, as a nanny reads it again when
    # it restarts a killed worker (site-builder's own local:N clusters do the same)
    dask.config.set({"distributed.worker.daemon": False})
    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )


@pytest.fixture(scope="module")
def cluster():
    """One cluster for the comparisons (starting one takes seconds); always shut down."""
    started = _start_cluster()
    try:
        yield started
    finally:
        started.close(timeout=20)


@pytest.fixture(params=["retried", "given up"])
def own_cluster(request):
    """A cluster a test may kill workers of: its scheduler retries a dead worker's tasks elsewhere, or
    gives them up at the first death (``allowed-failures`` 0)."""
    import dask

    failures = 3 if request.param == "retried" else 0
    with dask.config.set({"distributed.scheduler.allowed-failures": failures}):
        started = _start_cluster()
    started.expected = request.param
    try:
        yield started
    finally:
        started.close(timeout=20)


@pytest.fixture
def every_page_on_the_cluster(monkeypatch):
    """A batch of fewer than RENDER_HERE pages is rendered by the driver itself (cheaper than sending
    it); the small sites here are rendered by the cluster's workers all the same."""
    monkeypatch.setattr("site_builder.build.workers.RENDER_HERE", 1)


def _ran_on(cluster, *functions: str) -> bool:
    """The cluster's scheduler has run tasks of each of *functions* (named as Dask's key_split names
    them, without the leading underscore)."""
    return all(name in cluster.scheduler.task_prefixes for name in functions)


def _copy_site(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("output", ".site-cache"))
    return destination


def _build(site: Path, scheduler: str | None, output: str, cache: str, **options):
    overrides = {"output_dir": output, "cache_dir": cache, "scheduler": scheduler}
    config = load_config(site, overrides)
    return config, build_site(config, **options)


def _both(site: Path, scheduler: str, **options):
    """The site built locally and on the cluster, each with its own output and cache."""
    local_config, local = _build(site, None, "out-local", ".cache-local", **options)
    cluster_config, remote = _build(site, scheduler, "out-cluster", ".cache-cluster", **options)
    return local_config.output_dir, cluster_config.output_dir, local, remote


def test_sample_site_on_a_cluster_is_byte_identical(cluster, every_page_on_the_cluster, tmp_path):
    site = _copy_site(FIXTURE_SITE, tmp_path / "site")
    local_out, cluster_out, local, remote = _both(site, cluster.scheduler_address)
    assert read_tree(cluster_out) == read_tree(local_out)
    assert remote.written == local.written > 0
    bodies = list((site / ".cache-cluster" / "bodies").rglob("*"))
    assert any(path.is_file() for path in bodies)  # the cluster's workers parsed into the body store
    assert _ran_on(cluster, "parse_chunk_on_cluster", "render_chunk_on_cluster")


def test_store_and_sink_away_from_the_cache(cluster, every_page_on_the_cluster, tmp_path):
    """Workers read bodies from a store and put pages into a sink that are not the driver's cache: the
    output is the same, and the build's folder of the sink is gone afterwards."""
    site = _copy_site(FIXTURE_SITE, tmp_path / "site")
    store, sink = tmp_path / "shared" / "store", tmp_path / "shared" / "sink"
    with (site / "site.toml").open("a") as handle:
        handle.write(f'\n[build]\nstore = "file://{store}"\nsink = "file://{sink}"\n')
    local_out, cluster_out, local, remote = _both(site, cluster.scheduler_address)
    assert read_tree(cluster_out) == read_tree(local_out)
    assert any(path.is_file() for path in store.rglob("*"))
    assert not (site / ".cache-cluster" / "bodies").exists()
    assert sink.is_dir() and not list(sink.iterdir())
    shutil.rmtree(cluster_out / "tags")  # rendered again, read back from the sink: only these staged
    again = _build(site, cluster.scheduler_address, "out-cluster", ".cache-cluster")[1]
    assert read_tree(cluster_out) == read_tree(local_out)
    assert 0 < again.written < local.written


def test_bbc_articles_on_a_cluster_cold_then_edited(cluster, tmp_path):
    require_shared("corpora", "bbc")
    from tests.helpers.bbc import make_bbc_site

    site = make_bbc_site(tmp_path / "bbc", limit=BBC_ARTICLES)
    local_out, cluster_out, local, remote = _both(site, cluster.scheduler_address)
    assert remote.articles == local.articles == BBC_ARTICLES
    assert read_tree(cluster_out) == read_tree(local_out)
    edited = sorted((site / "content").rglob("*.md"))[7]
    edited.write_text(
        edited.read_text() + "\nA paragraph with *emphasis* and a [link](https://example.org/).\n"
    )
    local_out, cluster_out, local, remote = _both(site, cluster.scheduler_address)
    assert 0 < remote.written == local.written
    assert read_tree(cluster_out) == read_tree(local_out)


def test_local_and_cluster_builds_share_one_cache(cluster, every_page_on_the_cluster, tmp_path):
    """A cache filled by a local build serves a cluster build (its bodies moved into the store), and
    one filled by a cluster build serves a local one (bodies read from the store)."""
    site = _copy_site(FIXTURE_SITE, tmp_path / "site")
    reference = _build(site, None, "reference", ".cache-ref")[0].output_dir
    _build(site, None, "out", ".cache")
    shutil.rmtree(site / "out")  # every page rendered again, now by the cluster, from the local cache
    _build(site, cluster.scheduler_address, "out", ".cache")
    assert read_tree(site / "out") == read_tree(reference)
    _build(site, cluster.scheduler_address, "out2", ".cache2")
    shutil.rmtree(site / "out2")  # and rendered here from bodies the cluster put into the store
    _build(site, None, "out2", ".cache2")
    assert read_tree(site / "out2") == read_tree(reference)


def test_a_worker_killed_mid_build_leaves_output_whole(own_cluster, tmp_path):
    require_shared("corpora", "bbc")
    from tests.helpers.bbc import make_bbc_site

    site = make_bbc_site(tmp_path / "bbc", limit=BBC_ARTICLES)
    reference = _build(site, None, "reference", ".cache-ref")[0].output_dir
    output = site / "out"
    client = distributed.Client(own_cluster, timeout=20)
    try:
        pids = client.run(os.getpid)
        outcome: dict[str, object] = {}

        def build() -> None:
            try:
                outcome["report"] = _build(site, own_cluster.scheduler_address, "out", ".cache")[1]
            except SiteError as error:
                outcome["error"] = error

        builder = threading.Thread(target=build)
        builder.start()
        victim = _worker_busy(client, builder)
        assert victim is not None, "the build finished before any worker had a task"
        mid_build = builder.is_alive() and not output.exists()
        os.kill(pids[victim], signal.SIGKILL)
        builder.join(120)
        assert not builder.is_alive()
    finally:
        client.close()
    assert mid_build, "the worker was killed after the build had committed"
    assert _gone(pids[victim]), "the worker survived SIGKILL"
    if own_cluster.expected == "retried":  # the dead worker's tasks ran again on the other one
        assert "report" in outcome, outcome
        assert read_tree(output) == read_tree(reference)
    else:
        assert "Dask cluster lost" in str(outcome["error"])
        assert not output.exists()  # nothing half-written: output/ is as it was (absent)
    leftovers = [p.name for p in (site / ".cache").iterdir() if p.name.startswith("staging-")]
    assert leftovers == []


def _worker_busy(client, builder: threading.Thread) -> str | None:
    """The address of a worker running one of the build's tasks, once there is one."""
    deadline = time.monotonic() + 60
    while builder.is_alive() and time.monotonic() < deadline:
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:
            return busy[0]
        time.sleep(0.01)
    return None


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
