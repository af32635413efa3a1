"""What a search costs a reader: bytes downloaded per query and time to the first result, in chromium.

Serves a built site's ``output/`` on 127.0.0.1 with gzip (as static hosts serve JSON and HTML), opens
``/search/?q=...`` in a fresh browser context per query (nothing cached) and counts the gzipped bytes of
every index file (and, for a phrase, every article page) the search fetched before its first page of
results was shown. Time to the first result is measured from the navigation, with the network
throttled like Chrome's "Slow 4G" preset. Used by ``bench_search.py --downloads``.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

# the same 20 words at every size, by the share of the 10k archive's articles holding them: common
# (27-96%), medium (5-17%), rare (0.2-1.7%; "severance" shares its stem with "several")
QUERIES = {
    "common": ["said", "year", "people", "government", "minister", "first", "games"],
    "medium": ["election", "music", "economy", "court", "iraq", "broadband", "pensions"],
    "rare": ["sanctions", "vodafone", "ryanair", "severance", "miramax", "baseball"],
}
EXTRA = ["prime minister", "tony blair election", "miramax film", '"prime minister"', '"bank of england"']
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750}
CHROMIUM = "/usr/bin/chromium"
DONE = """() => {
  const s = document.querySelector('#search-status');
  return s && s.textContent && !s.textContent.startsWith('Searching');
}"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files gzipped once (level 6, what hosts use), with the gzipped size of each response counted."""

    sent: list[tuple[str, int]] = []
    packed: dict[str, bytes] = {}

    def log_message(self, *args) -> None:  # quiet
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        key = str(path)
        if key not in self.packed:
            self.packed[key] = gzip.compress(path.read_bytes(), 6)
        body = self.packed[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.sent.append((self.path, len(body)))
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(output: Path) -> Iterator[str]:
    handler = functools.partial(_Handler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def measure_query(browser, base: str, query: str, throttle: bool) -> dict:
    """One query in a fresh context: index (and article page) bytes, files, results shown, time."""
    from urllib.parse import quote_plus

    context = browser.new_context()
    page = context.new_page()
    if throttle:
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", SLOW_4G)
    _Handler.sent.clear()
    started = time.perf_counter()
    page.goto(base + "search/?q=" + quote_plus(query))
    page.wait_for_function(DONE, timeout=120_000)
    elapsed = time.perf_counter() - started
    shown = page.locator("#results li.teaser").count()
    status = page.locator("#search-status").inner_text()
    context.close()
    index = [(p, n) for p, n in _Handler.sent if p.startswith("/search/index/")]
    articles = [(p, n) for p, n in _Handler.sent if not p.startswith(("/search/", "/assets/"))]
    return {
        "query": query,
        "index_bytes": sum(n for _, n in index),
        "index_files": len(index),
        "article_bytes": sum(n for _, n in articles),
        "articles": len(articles),
        "shown": shown,
        "status": status,
        "ms": elapsed * 1000,
    }


def run(output: Path, throttle_runs: bool = True) -> list[dict]:
    from playwright.sync_api import sync_playwright

    found = []
    with serve(output) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        try:
            for kind, words in [*QUERIES.items(), ("extra", EXTRA)]:
                for query in words:
                    result = measure_query(browser, base, query, throttle=False)
                    if throttle_runs:
                        result["slow4g_ms"] = measure_query(browser, base, query, throttle=True)["ms"]
                    found.append({"kind": kind, **result})
        finally:
            browser.close()
    return found


def summary(results: list[dict]) -> str:
    words = [r for r in results if r["kind"] != "extra"]
    kb = [(r["index_bytes"] + r["article_bytes"]) / 1000 for r in words]
    lines = [
        "| query | kind | results | index files | gzipped KB | first result, Slow 4G (ms) |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        total = (r["index_bytes"] + r["article_bytes"]) / 1000
        extra = f" (+{r['articles']} article pages)" if r["articles"] else ""
        lines.append(
            f"| `{r['query']}` | {r['kind']} | {r['status']} | {r['index_files']}{extra} | {total:.1f} | "
            f"{r.get('slow4g_ms', float('nan')):.0f} |"
        )
    times = [r["slow4g_ms"] for r in words if "slow4g_ms" in r]
    lines.append("")
    line = f"20 word queries: median {statistics.median(kb):.1f} KB, max {max(kb):.1f} KB gzipped"
    if times:
        line += f"; first result median {statistics.median(times):.0f} ms, max {max(times):.0f} ms"
    lines.append(line)
    return "\n".join(lines)


def index_size(output: Path) -> str:
    """Bytes and files of the index against the whole site."""

    def tally(root: Path) -> tuple[int, int]:
        files = [p for p in root.rglob("*") if p.is_file()]
        return sum(p.stat().st_size for p in files), len(files)

    site_bytes, site_files = tally(output)
    index_bytes, index_files = tally(output / "search" / "index")
    return (
        f"index {index_bytes / 1e6:.1f} MB in {index_files:,} files; site {site_bytes / 1e6:.1f} MB in "
        f"{site_files:,} files (index {100 * index_bytes / site_bytes:.1f}% of the bytes, "
        f"{100 * index_files / site_files:.1f}% of the files)"
    )


PAGEFIND_QUERY = """async (query) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const found = await pagefind.search(query);
  await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  return found.results.length;
}"""


def run_pagefind(output: Path) -> list[dict]:
    """The same word queries through Pagefind's JS API on an output/ it indexed (``pagefind/``): its
    runtime, index chunks and the first 10 results' fragments, gzipped, in a fresh context each."""
    from playwright.sync_api import sync_playwright

    found = []
    with serve(output) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        try:
            for kind, words in QUERIES.items():
                for query in words:
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(base + "404.html")
                    _Handler.sent.clear()
                    count = page.evaluate(PAGEFIND_QUERY, query)
                    context.close()
                    fetched = [(path, n) for path, n in _Handler.sent if path.startswith("/pagefind/")]
                    found.append(
                        {
                            "kind": kind,
                            "query": query,
                            "results": count,
                            "files": len(fetched),
                            "kb": sum(n for _, n in fetched) / 1000,
                        }  # fmt: skip
                    )
        finally:
            browser.close()
    return found
