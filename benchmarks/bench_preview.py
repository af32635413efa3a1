"""Save-to-served latency of the live preview: median of N article edits.

What is timed is what a user waits for: from the moment an edited article file is closed on disk to the
moment the browser, told by the live-reload event stream, has fetched the rebuilt page carrying the new
title. That includes the watcher's debounce (~100 ms of quiet), the incremental build, the commit and
the HTTP round trips. The server runs in its own process (``python -m site_builder.cli serve``) with
the real watchdog observer, as a user runs it; this script plays the browser.

The site is generated from ../shared/corpora/bbc (title = first line, tag = category folder, synthetic
daily dates so archive pages exist), replicated with distinct slugs to reach ``--articles``. Nothing is
written into the repository: the site lives in a temporary folder (or ``--workdir``).

    python benchmarks/bench_preview.py                    # the BBC archive (2,225 articles)
    python benchmarks/bench_preview.py --articles 10000   # replicated to 10,000 articles
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from site_builder.sources.frontmatter import dump_document

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "bbc"
SERVE_TIMEOUT = 600.0
EDIT_TIMEOUT = 30.0


def read_bbc(corpus: Path) -> list[tuple[str, str, str]]:
    """(category, title, body) for every BBC file; Latin-1 fallback for the one non-UTF-8 file."""
    items = []
    for path in sorted(corpus.glob("*/*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        title, _, body = text.strip().partition("\n")
        items.append((path.parent.name, title.strip(), body.strip()))
    return items


def make_site(site: Path, corpus: Path, count: int) -> list[Path]:
    """Write site.toml and ``count`` articles; returns the article files in order."""
    items = read_bbc(corpus)
    if not items:
        raise SystemExit(f"no BBC articles under {corpus}")
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "Preview benchmark"\nbase_url = "http://localhost:8000/"\n')
    start = dt.date(2004, 1, 1)
    files = []
    for i in range(count):
        category, title, body = items[i % len(items)]
        copy = i // len(items)
        slug = f"{category}-{i:05d}"
        meta = {
            "title": title if copy == 0 else f"{title} ({copy + 1})",
            "slug": slug,
            "date": (start + dt.timedelta(days=i % 700)).isoformat(),
            "tags": [category.capitalize()],
        }
        path = site / "content" / f"{slug}.md"
        path.write_text(dump_document(meta, body.replace("\n\n", "\n\n") + "\n"), encoding="utf-8")
        files.append(path)
    return files


def start_server(site: Path, poll: bool) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "site_builder.cli", "serve", "--max-seconds", str(SERVE_TIMEOUT),
               "--site", str(site), "--port", "0"]  # fmt: skip
    if poll:
        command.append("--poll")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        print("  server:", line.rstrip())
        match = re.search(r"at (http://\S+) ", line)
        if match:
            return proc, match.group(1)
    raise SystemExit("the server exited before serving")


class EventStream:
    """A minimal live-reload client: reads ``state`` events from /__livereload."""

    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_connection((host, port), timeout=EDIT_TIMEOUT)
        self.sock.sendall(b"GET /__livereload HTTP/1.0\r\n\r\n")
        self.buffer = b""

    def next_state(self) -> dict:
        while True:
            if b"\n\n" in self.buffer:
                block, self.buffer = self.buffer.split(b"\n\n", 1)
                for line in block.decode().splitlines():
                    if line.startswith("data: "):
                        return json.loads(line[6:])
                continue
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("event stream closed")
            self.buffer += chunk


def fetch(host: str, port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection(host, port, timeout=EDIT_TIMEOUT)
    conn.request("GET", path)
    body = conn.getresponse().read()
    conn.close()
    return body


def measure(files: list[Path], url: str, edits: int) -> list[float]:
    host, port = re.match(r"http://([^:/]+):(\d+)/", url).groups()  # type: ignore[union-attr]
    stream = EventStream(host, int(port))
    stream.next_state()  # the current state, sent on connect
    latencies = []
    step = max(1, len(files) // edits)
    for n in range(edits):
        path = files[(n * step + n) % len(files)]
        text = path.read_text(encoding="utf-8")
        new_title = f"Edited {n} {time.time_ns()}"
        edited = re.sub(r"^title: .*$", f"title: {new_title}", text, count=1, flags=re.M)
        page = f"/articles/{path.stem}/"
        started = time.perf_counter()
        path.write_text(edited, encoding="utf-8")
        saved = time.perf_counter()
        while True:
            state = stream.next_state()
            if state.get("error"):
                raise SystemExit(f"build failed: {state['error']}")
            if new_title.encode() in fetch(host, int(port), page):
                break
        latencies.append((time.perf_counter() - saved) * 1000)
        print(f"  edit {n + 1:2d}: {latencies[-1]:7.1f} ms (write took {(saved - started) * 1000:.1f} ms)")
        time.sleep(0.3)
    return latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=0, help="number of articles (default: the corpus)")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--poll", action="store_true", help="use the polling observer")
    parser.add_argument("--workdir", type=Path, help="where to generate the site (default: a temp folder)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    count = args.articles or len(read_bbc(args.corpus))
    with tempfile.TemporaryDirectory(prefix="bench-preview-", dir=args.workdir) as tmp:
        site = Path(tmp) / "site"
        print(f"generating {count} articles in {site} ...")
        files = make_site(site, args.corpus, count)
        started = time.perf_counter()
        proc, url = start_server(site, args.poll)
        print(f"initial build + server start: {time.perf_counter() - started:.1f} s; serving {url}")
        try:
            latencies = measure(files, url, args.edits)
        finally:
            proc.terminate()
            try:
                rest, _ = proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                rest, _ = proc.communicate()
        builds = [float(m) for m in re.findall(r"unchanged in (\d+) ms", rest or "")]
    print(f"\n{count} articles, {len(latencies)} edits, observer={'polling' if args.poll else 'native'}")
    print(
        f"save-to-served: median {statistics.median(latencies):.0f} ms, min {min(latencies):.0f}, "
        f"max {max(latencies):.0f}, p90 {sorted(latencies)[int(0.9 * (len(latencies) - 1))]:.0f} ms"
    )
    if builds:
        print(
            f"rebuild alone (server log): median {statistics.median(builds):.0f} ms over {len(builds)} builds"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
