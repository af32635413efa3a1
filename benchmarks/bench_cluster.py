"""Cold builds on this machine's process pool against a Dask LocalCluster, per-task overhead, driver
memory, and a CI-like publish with a restored cache.

    python benchmarks/bench_cluster.py                          # 10k: BBC and Markdown-rich, ci, overhead
    python benchmarks/bench_cluster.py --sizes 100000 --kinds bbc --phases cold

Phases (``--phases``, comma-separated):

- ``overhead``: per-task cost of a process pool of 2 and of a LocalCluster of 2 through
  ``Client.get_executor(pure=False)``: 2,000 trivial tasks submitted at once, and 200 one at a time.
- ``cold``: for each size and archive kind (``bbc``: the BBC-based archive of benchmarks/corpus.py;
  ``rich``: the same rewritten as Markdown-rich articles, benchmarks/rich.py), a cold build with the
  local pool (``site-builder build``) and one with ``--scheduler local:2``, interleaved run by run;
  wall time, peak memory of the driver process alone and of the whole process tree (PSS), and whether
  the outputs are byte-identical. ``--modes pool,cluster,external`` adds a build against a LocalCluster
  started beforehand in another process (``--scheduler tcp://...``), whose driver is the build alone.
- ``ci``: a CI-like publish at the first size (BBC archive): the site committed to git, built once,
  ``.site-cache/`` and ``output/`` saved to a tarball as the CI's cache action would; then a fresh clone
  (new mtimes, new inodes) with one edited article, built once without the cache and once with it
  restored.

Archives are written once to ``benchmarks/.work/cluster-<kind>-n<N>/`` (git-ignored, reused). Needs
the BBC corpus at ../shared/corpora/bbc and the dask extra. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import load_bbc, make_archive  # noqa: E402
from benchmarks.formats import write_archive  # noqa: E402
from benchmarks.measure import process_tree, tree_memory  # noqa: E402
from benchmarks.rich import rich_archive  # noqa: E402

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
CORPUS = HERE.parent.parent / "shared" / "corpora" / "bbc"
SITE_BUILDER = str(Path(sys.executable).with_name("site-builder"))
PAGE = os.sysconf("SC_PAGE_SIZE")


def archive(kind: str, size: int) -> Path:
    site = WORK / f"cluster-{kind}-n{size}"
    if not (site / "content").is_dir() or len(list((site / "content").iterdir())) != size:
        sources = load_bbc(CORPUS)
        articles = rich_archive(sources, size) if kind == "rich" else make_archive(sources, size)
        write_archive(articles, {"site_builder": site})
    return site


def measured(command: list[str], cwd: Path) -> dict[str, float]:
    """Wall seconds, peak RSS of the command's own process (the driver), peak PSS of its tree, and the
    CPU seconds of the command with the children it reaped (with an external cluster: the driver's)."""
    log = WORK / "build.log"
    with open(log, "ab") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        peaks = {"driver": 0, "tree": 0}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peaks["driver"] = max(peaks["driver"], _rss(process.pid))
                if len(process_tree(process.pid)) > 1:
                    peaks["tree"] = max(peaks["tree"], tree_memory(process.pid))
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(command)} failed: see {log}")
    return {
        "seconds": seconds,
        "driver_mb": peaks["driver"] / 1e6,
        "tree_mb": max(peaks["tree"], peaks["driver"]) / 1e6,
        "cpu": usage.ru_utime + usage.ru_stime,
    }


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


MODES = {
    "pool": "local process pool (2)",
    "cluster": "--scheduler local:2 (scheduler in the driver)",
    "external": "--scheduler tcp:// (LocalCluster of 2 in another process)",
}


def serve_cluster(workers: int) -> None:
    """Run a LocalCluster until standard input closes, printing its address (the ``external`` mode)."""
    import dask
    from distributed import LocalCluster

    dask.config.set({"distributed.worker.daemon": False, "logging.distributed": "error"})
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()


def external_cluster() -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve-cluster", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def cold_builds(kind: str, size: int, runs: int, modes: list[str]) -> None:
    template = archive(kind, size)
    sites = {}
    for mode in modes:
        sites[mode] = WORK / f"cluster-{kind}-n{size}-{mode}"
        shutil.rmtree(sites[mode], ignore_errors=True)
        shutil.copytree(template, sites[mode])
    results: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
    for _ in range(runs):
        for mode, site in sites.items():
            for folder in ("output", ".site-cache"):
                shutil.rmtree(site / folder, ignore_errors=True)
            server, extra = None, []
            if mode == "cluster":
                extra = ["--scheduler", "local:2"]
            elif mode == "external":  # started before the clock: a standing cluster
                server, address = external_cluster()
                extra = ["--scheduler", address]
            try:
                results[mode].append(measured([SITE_BUILDER, "build", "--site", ".", "-q", *extra], site))
            finally:
                if server is not None:
                    server.communicate("", timeout=60)
    digests = {tree_digest(site / "output") for site in sites.values()}
    files = sum(1 for p in (sites[modes[0]] / "output").rglob("*") if p.is_file())
    print(f"\n### cold build, {kind} archive, {size:,} articles ({files:,} files), {runs} run(s)")
    print("| executor | wall s (median) | driver peak MB | process tree peak MB | CPU s (reaped) |")
    print("|---|---|---|---|---|")
    for mode in modes:
        rows, label = results[mode], MODES[mode]
        each = ", ".join(f"{r['seconds']:.1f}" for r in rows)
        print(
            f"| {label} | {statistics.median(r['seconds'] for r in rows):.1f} ({each}) | "
            f"{max(r['driver_mb'] for r in rows):.0f} | {max(r['tree_mb'] for r in rows):.0f} | "
            f"{statistics.median(r['cpu'] for r in rows):.1f} |"
        )
    pool = statistics.median(r["seconds"] for r in results[modes[0]])
    ratios = ", ".join(
        f"{mode} / {modes[0]} {statistics.median(r['seconds'] for r in results[mode]) / pool:.2f}"
        for mode in modes[1:]
    )
    print(f"wall time: {ratios}; outputs byte-identical: {len(digests) == 1}")
    for site in sites.values():
        shutil.rmtree(site, ignore_errors=True)


def ci_publish(size: int) -> None:
    """The CI run: fresh clone, cache restored (or not), one edited article, one build."""
    template = archive("bbc", size)
    origin, clone, saved = WORK / "ci-origin", WORK / "ci-clone", WORK / "ci-cache.tar"
    for path in (origin, clone):
        shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(template, origin)
    git = ["git", "-c", "user.name=b", "-c", "user.email=b@b", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=origin, check=True)
    (origin / ".gitignore").write_text("output/\n.site-cache/\n")
    subprocess.run([*git, "add", "-A"], cwd=origin, check=True)
    subprocess.run([*git, "commit", "-qm", "archive"], cwd=origin, check=True)

    def fresh_clone() -> None:
        shutil.rmtree(clone, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)

    fresh_clone()  # the last publish: a CI run that saves its cache
    last = measured([SITE_BUILDER, "build", "--site", ".", "-q"], clone)
    with tarfile.open(saved, "w") as tar:
        for folder in (".site-cache", "output"):
            tar.add(clone / folder, arcname=folder)
    edited = sorted((origin / "content").glob("*.md"))[size // 2]
    edited.write_text(edited.read_text() + "\nA correction, added later.\n")
    subprocess.run([*git, "commit", "-qam", "edit"], cwd=origin, check=True)
    times = {}
    for restored in (False, True):
        fresh_clone()
        started = time.perf_counter()
        if restored:
            with tarfile.open(saved) as tar:
                tar.extractall(clone, filter="tar")
        restore = time.perf_counter() - started
        build = measured([SITE_BUILDER, "build", "--site", ".", "-q"], clone)
        times[restored] = (restore, build["seconds"])
    size_mb = saved.stat().st_size / 1e6
    print(f"\n### CI-like publish, bbc archive, {size:,} articles (cache tarball {size_mb:.0f} MB)")
    print(f"cold build that saved the cache: {last['seconds']:.1f} s")
    print(f"fresh clone + one edit, no cache: build {times[False][1]:.1f} s")
    print(
        f"fresh clone + one edit, cache restored: restore {times[True][0]:.1f} s + build "
        f"{times[True][1]:.1f} s ({times[False][1] / times[True][1]:.0f}x faster)"
    )


def overhead() -> None:
    from concurrent.futures import ProcessPoolExecutor

    import dask
    from distributed import Client, LocalCluster

    def per_task(executor) -> tuple[float, float]:
        executor.submit(int).result()  # started
        started = time.perf_counter()
        for future in [executor.submit(abs, -n) for n in range(2000)]:
            future.result()
        batch = (time.perf_counter() - started) / 2000
        started = time.perf_counter()
        for n in range(200):
            executor.submit(abs, -n).result()
        return batch, (time.perf_counter() - started) / 200

    with ProcessPoolExecutor(2) as pool:
        local = per_task(pool)
    dask.config.set({"logging.distributed": "error"})
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        remote = per_task(client.get_executor(pure=False))
    print("\n### per-task overhead (trivial tasks, 2 workers)")
    print("| executor | submitted together, ms/task | one at a time, ms/round trip |")
    print("|---|---|---|")
    print(f"| process pool | {local[0] * 1e3:.3f} | {local[1] * 1e3:.2f} |")
    print(f"| LocalCluster executor | {remote[0] * 1e3:.3f} | {remote[1] * 1e3:.2f} |")
    together, alone = remote[0] / local[0], remote[1] / local[1]
    print(f"ratio (cluster / pool): {together:.0f}x together, {alone:.0f}x one at a time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--kinds", default="bbc,rich")
    parser.add_argument("--phases", default="overhead,cold,ci")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--modes", default="pool,cluster", help=f"of {', '.join(MODES)}; the first is the base"
    )
    parser.add_argument("--serve-cluster", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve_cluster:
        serve_cluster(options.serve_cluster)
        return
    WORK.mkdir(exist_ok=True)
    phases = options.phases.split(",")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; site-builder: {SITE_BUILDER}")
    if "overhead" in phases:
        overhead()
    if "cold" in phases:
        for size in options.sizes:
            for kind in options.kinds.split(","):
                cold_builds(kind, size, options.runs, options.modes.split(","))
    if "ci" in phases:
        ci_publish(options.sizes[0])
    print(f"\nload at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
