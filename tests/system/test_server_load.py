"""The dev server under load while the site is rebuilt: no failed request, no half-written page.

2,000 requests from 50 concurrent clients on loopback, while a thread keeps rebuilding the site with
every article's title flipping between two versions. Every response must be a complete page of one
build or the other (never a mix inside one page, never a truncated or missing page).
"""

from __future__ import annotations

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from site_builder.build import build_site
from site_builder.config import load_config
from site_builder.preview.server import DevServer

ARTICLES = 30
CLIENTS = 50
REQUESTS = 2000


def write_state(root, label: str) -> None:
    for n in range(ARTICLES):
        (root / "content" / f"a{n}.md").write_text(
            f"---\ntitle: Story {n}\nslug: story-{n}\ndate: 2020-01-{n % 28 + 1:02d}\n"
            f"tags: [T{n % 3}]\n---\n\nVersion {label} of story {n}.\n"
        )


@pytest.mark.slow
def test_fifty_clients_during_rebuilds_never_see_a_failed_or_half_written_page(tmp_path):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Load"\nbase_url = "http://127.0.0.1/"\n')
    write_state(root, "A")
    config = load_config(root)
    build_site(config, jobs=1)
    paths = [f"/articles/story-{n}/" for n in range(ARTICLES)] + ["/", "/tags/t0/", "/feed.xml", "/missing/"]
    stop = threading.Event()
    rebuilds = []

    with DevServer(config.output_dir, "127.0.0.1", 0, live_reload=False) as server:

        def rebuild_loop() -> None:
            label = "A"
            while not stop.is_set():
                label = "B" if label == "A" else "A"
                write_state(root, label)
                rebuilds.append(build_site(config, jobs=1, commit_guard=server.lock.write).written)

        def fetch(index: int) -> tuple[str, int, bytes]:
            path = paths[index % len(paths)]
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                return path, response.status, response.read()
            finally:
                connection.close()

        builder = threading.Thread(target=rebuild_loop, daemon=True)
        builder.start()
        try:
            with ThreadPoolExecutor(CLIENTS) as pool:
                results = list(pool.map(fetch, range(REQUESTS)))
        finally:
            stop.set()
            builder.join(timeout=120)

    assert len(rebuilds) >= 2 and any(rebuilds), "the site was not rebuilt while serving"
    for path, status, body in results:
        if path == "/missing/":
            assert status == 404 and b"</html>" in body
            continue
        assert status == 200, (path, status)
        if path.startswith("/articles/"):
            n = path.split("-")[-1].strip("/")
            text = body.decode()
            assert text.rstrip().endswith("</html>"), f"truncated page {path}"
            versions = {label for label in "AB" if f"Version {label} of story {n}." in text}
            assert len(versions) == 1, (path, versions)
