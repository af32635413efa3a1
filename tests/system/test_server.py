"""The dev server over real sockets: traversal refused, types, HEAD, 404 page, no caching, live reload."""

from __future__ import annotations

import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.preview.livereload import LIVERELOAD_PATH, BuildErrorInfo
from site_builder.preview.server import DevServer, ReadWriteLock
from tests.helpers.served import PAGE, SECRET, write_served_output
from tests.helpers.waiting import wait_until


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """output/ with a few pages, plus secrets next to it (a sibling sharing its name prefix) and
    symlinks pointing out of it."""
    return write_served_output(tmp_path)


@pytest.fixture()
def server(site: Path) -> Iterator[DevServer]:
    with DevServer(site, "127.0.0.1", 0, heartbeat=0.2) as srv:
        yield srv


def raw_request(port: int, request: bytes, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """Send bytes exactly as given (no client-side normalisation) and parse the reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def get(port: int, target: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    return raw_request(port, f"{method} {target} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode("latin-1"))


TRAVERSALS = [
    "/../secret.txt",
    "/../../../../../../etc/passwd",
    "/articles/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/.%2e/secret.txt",
    "/..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/..%5csecret.txt",
    "/../output-secret/secret.txt",
    "/%2e%2e/output-secret/secret.txt",
    "/link-out.txt",
    "/linkdir/secret.txt",
    "/%00",
    "/secret.txt%00.html",
    "/%ff%fe",
    "/%252e%252e/secret.txt",
    "//etc/passwd",
    "http://localhost/../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_attempts_get_404_and_server_stays_up(server: DevServer, target: str) -> None:
    status, _, body = get(server.port, target)
    assert status == 404
    assert SECRET not in body
    assert b"root:" not in body
    assert get(server.port, "/")[0] == 200


def test_raw_bytes_that_are_not_utf8_do_not_crash(server: DevServer) -> None:
    status, _, _ = raw_request(server.port, b"GET /\xff\xfe/../secret.txt HTTP/1.0\r\n\r\n")
    assert status in (400, 404)
    assert get(server.port, "/")[0] == 200


@pytest.mark.parametrize(
    ("target", "ctype"),
    [
        ("/style.css", "text/css; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/data.json", "application/json"),
        ("/logo.svg", "image/svg+xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/articles/a/", "text/html; charset=utf-8"),
        ("/blob.unknownext", "application/octet-stream"),
        ("/link-in.css", "text/css; charset=utf-8"),
    ],
)
def test_content_types(server: DevServer, target: str, ctype: str) -> None:
    status, headers, _ = get(server.port, target)
    assert status == 200
    assert headers["content-type"] == ctype
    assert headers["x-content-type-options"] == "nosniff"


def test_head_has_headers_and_no_body(server: DevServer) -> None:
    g_status, g_headers, g_body = get(server.port, "/articles/a/")
    h_status, h_headers, h_body = get(server.port, "/articles/a/", method="HEAD")
    assert (g_status, h_status) == (200, 200)
    assert h_body == b""
    assert int(h_headers["content-length"]) == len(g_body) > 0
    assert h_headers["content-type"] == g_headers["content-type"]


def test_missing_page_serves_site_404_with_status_404(server: DevServer) -> None:
    status, headers, body = get(server.port, "/articles/nope/")
    assert status == 404
    assert b"Custom not found" in body
    assert headers["content-type"].startswith("text/html")
    assert LIVERELOAD_PATH.encode() in body  # a 404 page still reloads once the page exists


def test_404_without_site_page_is_plain(server: DevServer, site: Path) -> None:
    (site / "404.html").unlink()
    status, _, body = get(server.port, "/nope")
    assert status == 404
    assert b"Not Found" in body


def test_no_cache_headers(server: DevServer) -> None:
    for target in ("/", "/style.css", "/nope"):
        _, headers, _ = get(server.port, target)
        assert "no-store" in headers["cache-control"]
        assert headers["pragma"] == "no-cache"


def test_directory_without_slash_redirects(server: DevServer) -> None:
    status, headers, _ = get(server.port, "/articles/a?x=1")
    assert status == 301
    assert headers["location"] == "/articles/a/?x=1"


def test_directory_without_index_is_404_not_a_listing(server: DevServer) -> None:
    status, _, body = get(server.port, "/articles/")
    assert status == 404
    assert b"index.html" not in body or b"Custom not found" in body


def test_reload_script_only_in_served_html_never_on_disk(server: DevServer, site: Path) -> None:
    _, _, body = get(server.port, "/articles/a/")
    assert body.count(b'data-site-builder="livereload"') == 1
    assert body.index(b"<script") < body.rindex(b"</body>")
    assert (site / "articles" / "a" / "index.html").read_bytes() == PAGE
    _, _, css = get(server.port, "/style.css")
    assert b"livereload" not in css
    _, _, xml = get(server.port, "/feed.xml")
    assert b"livereload" not in xml


def test_no_reload_serves_bytes_unchanged(site: Path) -> None:
    with DevServer(site, "127.0.0.1", 0, live_reload=False) as srv:
        assert get(srv.port, "/articles/a/")[2] == PAGE
        assert get(srv.port, LIVERELOAD_PATH)[0] == 404


def read_events(sock: socket.socket, count: int, timeout: float = 5.0) -> list[str]:
    """Read ``count`` SSE ``data:`` lines from an open event stream."""
    sock.settimeout(timeout)
    buffer = b""
    events: list[str] = []
    deadline = time.monotonic() + timeout
    while len(events) < count and time.monotonic() < deadline:
        buffer += sock.recv(4096)
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            events += [ln[6:] for ln in block.decode().splitlines() if ln.startswith("data: ")]
    return events


def test_event_stream_reports_reload_and_errors(server: DevServer) -> None:
    import json

    assert server.hub is not None
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(f"GET {LIVERELOAD_PATH} HTTP/1.0\r\n\r\n".encode())
        first = json.loads(read_events(sock, 1)[0])
        assert first["error"] is None
        server.hub.publish_failure(BuildErrorInfo("content/a.md", 3, "bad front matter"))
        failed = json.loads(read_events(sock, 1)[0])
        assert failed["build_id"] == first["build_id"]
        assert failed["error"] == {"path": "content/a.md", "line": 3, "message": "bad front matter"}
        server.hub.publish_success()
        fixed = json.loads(read_events(sock, 1)[0])
        assert fixed["build_id"] != first["build_id"]
        assert fixed["error"] is None


def test_requests_wait_while_commit_holds_the_lock(site: Path) -> None:
    lock = ReadWriteLock()
    with DevServer(site, "127.0.0.1", 0, lock=lock) as srv:
        results: list[bytes] = []
        with lock.write():
            (site / "articles" / "a" / "index.html").write_bytes(b"<p>half")
            worker = threading.Thread(target=lambda: results.append(get(srv.port, "/articles/a/")[2]))
            worker.start()
            assert wait_until(lambda: lock.waiting()[0] == 1), "the request never waited for the lock"
            assert worker.is_alive() and not results, "request was answered during the commit"
            (site / "articles" / "a" / "index.html").write_bytes(b"<p>complete</p>")
        worker.join(5)
        assert results and results[0].startswith(b"<p>complete</p>")


def test_stop_ends_open_event_streams(site: Path) -> None:
    srv = DevServer(site, "127.0.0.1", 0, heartbeat=30).start()
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    sock.sendall(f"GET {LIVERELOAD_PATH} HTTP/1.0\r\n\r\n".encode())
    read_events(sock, 1)
    started = time.monotonic()
    srv.stop()
    sock.settimeout(5)
    while sock.recv(4096):
        pass
    sock.close()
    assert time.monotonic() - started < 3


def test_site_under_a_path_prefix(site: Path) -> None:
    """base_url https://example.org/news/ : the site is served at /news/, like in production."""
    with DevServer(site, "127.0.0.1", 0, prefix="/news/") as srv:
        assert get(srv.port, "/news/articles/a/")[2].startswith(PAGE[:40])
        status, headers, _ = get(srv.port, "/")
        assert (status, headers["location"]) == (301, "/news/")
        assert get(srv.port, "/news")[1]["location"] == "/news/"
        assert get(srv.port, "/articles/a/")[0] == 404
        assert get(srv.port, "/news/../secret.txt")[0] == 404
        assert get(srv.port, "/news/%2e%2e/secret.txt")[0] == 404
        assert get(srv.port, "/news/style.css")[1]["content-type"].startswith("text/css")


def request_with_headers(port: int, target: str, headers: dict[str, str], method: str = "GET"):
    lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return raw_request(port, f"{method} {target} HTTP/1.1\r\n{lines}Connection: close\r\n\r\n".encode())


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", "localhost.evil.example"]
)
def test_foreign_host_names_are_refused_on_loopback(server: DevServer, host: str) -> None:
    """DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 must read nothing."""
    for target in ("/", "/articles/a/", LIVERELOAD_PATH):
        status, _, body = request_with_headers(server.port, target, {"Host": host})
        assert status == 403, (host, target)
        assert b"Article A" not in body and b"build_id" not in body


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LOCALHOST:{port}",
        "127.0.0.1:{port}",
        "127.5.6.7",
        "[::1]:{port}",
        "news.localhost:{port}",
    ],
)
def test_loopback_host_names_are_served(server: DevServer, host: str) -> None:
    named = {"Host": host.format(port=server.port)}
    status, _, body = request_with_headers(server.port, "/articles/a/", named)
    assert status == 200 and b"Article A" in body


@pytest.fixture()
def big_file(site: Path) -> tuple[Path, bytes]:
    data = bytes(range(256)) * 4096  # 1 MiB, every offset distinguishable modulo 256
    path = site / "media" / "clip.bin"
    path.parent.mkdir()
    path.write_bytes(data)
    return path, data


def test_range_requests(server: DevServer, big_file: tuple[Path, bytes]) -> None:
    _, data = big_file
    size = len(data)
    clip = "/media/clip.bin"
    status, headers, body = request_with_headers(server.port, clip, {"Range": "bytes=1000-1999"})
    assert status == 206 and body == data[1000:2000]
    assert headers["content-range"] == f"bytes 1000-1999/{size}" and headers["content-length"] == "1000"
    status, headers, body = request_with_headers(server.port, clip, {"Range": "bytes=-300"})
    assert status == 206 and body == data[-300:]
    status, _, body = request_with_headers(server.port, clip, {"Range": f"bytes={size - 5}-"})
    assert status == 206 and body == data[-5:]
    status, _, body = request_with_headers(server.port, clip, {"Range": f"bytes=10-{size * 2}"})
    assert status == 206 and body == data[10:]
    status, headers, body = request_with_headers(server.port, clip, {"Range": f"bytes={size}-"})
    assert status == 416 and headers["content-range"] == f"bytes */{size}" and body == b""
    status, headers, body = request_with_headers(server.port, clip, {"Range": "bytes=0-1,5-6"})
    assert status == 200 and body == data, "several ranges: the whole file (allowed by RFC 9110)"
    status, headers, body = request_with_headers(server.port, clip, {})
    assert status == 200 and body == data and headers["accept-ranges"] == "bytes"
    status, headers, body = request_with_headers(server.port, clip, {"Range": "bytes=0-9"}, "HEAD")
    assert status == 206 and headers["content-length"] == "10" and body == b""


def test_large_files_are_streamed_not_read_whole(server: DevServer, site: Path) -> None:
    """Six clients on a 300 MB file took 1.8 GB: the server's own memory must not grow with the file."""
    size = 64 * 1024 * 1024
    with (site / "big.bin").open("wb") as handle:
        handle.truncate(size)  # sparse: cheap to make and to read
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(b"GET /big.bin HTTP/1.0\r\nHost: localhost\r\n\r\n")
            received = 0
            while chunk := sock.recv(1 << 16):
                received += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received > size, "the whole file (and headers) arrived"
    assert peak < 8 * 1024 * 1024, f"serving a 64 MiB file allocated {peak / 2**20:.0f} MiB"


def test_listen_backlog_absorbs_a_burst(site: Path) -> None:
    """With the default backlog of 5, connections beyond it wait for a SYN retry (about 1 s)."""
    server = DevServer(site, "127.0.0.1", 0)  # listening, not accepting yet: every connection queues
    sockets = []
    try:
        for _ in range(64):
            sock = socket.socket()
            sock.settimeout(0.5)
            sock.connect(("127.0.0.1", server.port))  # times out when the queue is full
            sockets.append(sock)
        assert len(sockets) == 64
    finally:
        for sock in sockets:
            sock.close()
        server.stop()
