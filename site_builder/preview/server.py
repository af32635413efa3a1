"""Development HTTP server: serves output/ safely, injects live reload into HTML responses.

Why hand-rolled on top of ``http.server``: ``SimpleHTTPRequestHandler`` translates paths with a string
prefix mindset, lists directories and knows nothing about a rebuild in progress. Every request path goes
through :func:`~site_builder.preview.request.resolve_request_path` and every Host header through
:func:`~site_builder.preview.request.host_allowed`. Anything doubtful is a 404 (a 403 for a foreign
Host) — never an exception that could take the server down. Files are streamed (``sendfile``) and a
single byte Range is honoured, so a large video costs no memory however many clients fetch it.

Consistency with the builder: file reads hold the shared side of a :class:`ReadWriteLock`; the builder
holds the exclusive side while it commits, so a browser never sees a half-written site. The live-reload
script is added to HTML *bytes on the way out*; nothing is ever written into output/.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

from site_builder.preview.livereload import (
    LIVERELOAD_PATH,
    SSE_HEARTBEAT_SECONDS,
    ReloadHub,
    ReloadState,
    inject_livereload,
)
from site_builder.preview.request import (
    ByteRange,
    UnsatisfiableRange,
    content_type_for,
    host_allowed,
    is_loopback,
    requested_range,
    resolve_request_path,
    target_path,
)

log = logging.getLogger(__name__)

NO_CACHE_HEADERS: tuple[tuple[str, str], ...] = (
    ("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0"),
    ("Pragma", "no-cache"),
    ("Expires", "0"),
)


class ReadWriteLock:
    """Many readers (requests) or one writer (the build commit); waiting writers block new readers.

    Writer preference matters: a steady stream of browser requests must not starve the commit.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._readers_waiting = 0
        self._writers_waiting = 0

    def waiting(self) -> tuple[int, int]:
        """How many readers and writers are blocked on the lock now: contention made visible, so that a
        caller (a test) can wait for a request to be held back instead of guessing how long that takes."""
        with self._cond:
            return self._readers_waiting, self._writers_waiting

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            self._readers_waiting += 1
            try:
                while self._writer or self._writers_waiting:
                    self._cond.wait()
            finally:
                self._readers_waiting -= 1
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


def bind_warning(host: str) -> str | None:
    """The warning to show when the dev server would be reachable from other machines."""
    if is_loopback(host):
        return None
    return (
        f"warning: serving on {host}: the dev server is reachable from other machines; "
        "it is meant for local previews only (use --host 127.0.0.1)"
    )


INJECT_LIMIT = 16 * 1024 * 1024  # HTML up to this size gets the reload script; larger HTML streams as is
LISTEN_BACKLOG = 128  # a page load opens a burst of connections; past the backlog they wait ~1 s (SYN retry)
FORBIDDEN_HOST = b"403 Forbidden: this preview answers only localhost names (see --host)\n"


@dataclass
class ServeConfig:
    """What the request handler needs; shared by all handler threads, never mutated after start."""

    root: Path
    lock: ReadWriteLock
    hub: ReloadHub | None
    heartbeat: float = SSE_HEARTBEAT_SECONDS
    prefix: str = "/"  # the base_url's path: a site built for https://example.org/news/ is served at /news/
    bound_host: str = "127.0.0.1"  # which Host names are answered follows from it (see host_allowed)


class _DevHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], serve: ServeConfig, family: socket.AddressFamily) -> None:
        self.address_family = family
        self.serve = serve
        super().__init__(address, DevRequestHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A failing request is logged, never fatal; clients going away are not worth a traceback."""
        log.debug("request from %s failed", client_address, exc_info=True)


@dataclass
class _OpenedFile:
    """The file a request is answered with, opened under the read lock. A commit replaces files by
    rename, never in place, so the handle goes on reading the build it was opened in while it streams
    outside the lock (a slow client never holds up a commit)."""

    status: HTTPStatus
    path: Path
    handle: BinaryIO
    size: int
    state: ReloadState | None  # the build id that matches these bytes, for the reload script


def _open_regular_file(path: Path | None) -> tuple[BinaryIO, int] | None:
    """An open handle and the size of a regular file; None for anything missing, special or unreadable
    (O_NONBLOCK: opening a FIFO must not hang the request)."""
    if path is None:
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        return None
    return os.fdopen(descriptor, "rb"), info.st_size


class DevRequestHandler(BaseHTTPRequestHandler):
    """GET/HEAD for files under the served root, plus the live-reload event stream."""

    server: _DevHTTPServer
    server_version = "site-builder-dev"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        try:
            serve = self.server.serve
            if not host_allowed(self.headers.get("Host"), serve.bound_host):
                self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", FORBIDDEN_HOST, send_body)
                return
            if serve.hub is not None and target_path(self.path) == LIVERELOAD_PATH:
                self._stream_events(serve.hub, serve.heartbeat, send_body)
                return
            self._serve_file(serve, send_body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _serve_file(self, serve: ServeConfig, send_body: bool) -> None:
        raw = self._strip_prefix(serve.prefix)
        if raw == "":
            self._redirect(serve.prefix)
            return
        try:
            target = resolve_request_path(serve.root, raw) if raw is not None else None
        except (UnicodeDecodeError, ValueError):
            target = None
        redirect, opened = self._open_under_lock(serve, target)
        if redirect:
            self._redirect_to_slash()
            return
        if opened is None:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"404 Not Found\n", send_body)
            return
        with opened.handle:
            ctype = content_type_for(opened.path)
            if opened.state is not None and ctype.startswith("text/html") and opened.size <= INJECT_LIMIT:
                body = inject_livereload(opened.handle.read(), opened.state)
                self._send(opened.status, ctype, body, send_body)
            else:
                self._send_file(opened, ctype, send_body)

    def _open_under_lock(self, serve: ServeConfig, target: Path | None) -> tuple[bool, _OpenedFile | None]:
        """(True, None) for a folder asked for without its slash; else the file to answer with (the
        site's 404 page when *target* is not a file), or None when there is none."""
        with serve.lock.read():  # the file and the build id come from one committed build
            if target is not None and target.is_dir():
                if not target_path(self.path).endswith("/"):
                    return True, None
                target = target / "index.html"
            status, found = HTTPStatus.OK, _open_regular_file(target)
            if found is None:
                status, target = HTTPStatus.NOT_FOUND, resolve_request_path(serve.root, "/404.html")
                found = _open_regular_file(target)
            if found is None or target is None:
                return False, None
            state = serve.hub.state() if serve.hub is not None else None
            return False, _OpenedFile(status, target, *found, state)

    def _send_file(self, opened: _OpenedFile, ctype: str, send_body: bool) -> None:
        """Stream a file (zero-copy with sendfile), or the one byte range the request asks for."""
        span = None
        if opened.status == HTTPStatus.OK and "If-Range" not in self.headers:  # no validators to compare
            try:
                span = requested_range(self.headers.get("Range"), opened.size)
            except UnsatisfiableRange:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{opened.size}")
                self.send_header("Content-Length", "0")
                self._send_common_headers()
                self.end_headers()
                return
        sent = span or ByteRange(0, opened.size - 1)
        self.send_response(HTTPStatus.PARTIAL_CONTENT if span else opened.status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(sent.length))
        if span:
            self.send_header("Content-Range", f"bytes {span.start}-{span.end}/{opened.size}")
        self.send_header("Accept-Ranges", "bytes")
        self._send_common_headers()
        self.end_headers()
        if not send_body or not sent.length:
            return
        if self.connection.sendfile(opened.handle, sent.start, sent.length) < sent.length:
            self.close_connection = True  # the file was cut short: the client must not wait for more

    def _strip_prefix(self, prefix: str) -> str | None:
        """The request target relative to the site's path prefix: None when outside it, "" when the
        prefix itself (or the bare root) was asked for without its trailing slash."""
        path = target_path(self.path)
        if prefix == "/":
            return path
        if path in ("/", prefix.rstrip("/")):
            return ""
        if not path.startswith(prefix):
            return None
        return path[len(prefix) - 1 :]

    def _redirect_to_slash(self) -> None:
        path, _, query = self.path.partition("?")
        self._redirect(target_path(path) + "/" + (f"?{query}" if query else ""))

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self._send_common_headers()
        self.end_headers()

    def _send(self, status: HTTPStatus, ctype: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self._send_common_headers()
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _send_common_headers(self) -> None:
        for name, value in NO_CACHE_HEADERS:
            self.send_header(name, value)
        self.send_header("X-Content-Type-Options", "nosniff")

    def _stream_events(self, hub: ReloadHub, heartbeat: float, send_body: bool) -> None:
        """Server-sent events: the current state at once, then every change, with heartbeats so a
        vanished browser is noticed and the thread ends."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self._send_common_headers()
        self.end_headers()
        if not send_body:
            return
        self.close_connection = True
        state = hub.state()
        self._write_event(state)
        while not hub.closed:
            changed = hub.wait_for_change(state.generation, heartbeat)
            if changed is None:
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
                continue
            state = changed
            self._write_event(state)

    def _write_event(self, state: ReloadState) -> None:
        payload = json.dumps(state.as_json())
        self.wfile.write(f"event: state\ndata: {payload}\n\n".encode())
        self.wfile.flush()


class DevServer:
    """The dev server: ``start()`` serves in a background thread, ``stop()`` ends it and its streams."""

    def __init__(
        self,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        live_reload: bool = True,
        lock: ReadWriteLock | None = None,
        hub: ReloadHub | None = None,
        heartbeat: float = SSE_HEARTBEAT_SECONDS,
        prefix: str = "/",
    ) -> None:
        warning = bind_warning(host)
        if warning:
            log.warning("%s", warning)
        self.lock = lock or ReadWriteLock()
        self.hub = (hub or ReloadHub()) if live_reload else None
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        config = ServeConfig(Path(root), self.lock, self.hub, heartbeat, prefix, bound_host=host)
        self._httpd = _DevHTTPServer((host, port), config, family)
        self._thread: threading.Thread | None = None
        self._serving = False

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = str(self._httpd.server_address[0])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/"

    def start(self) -> DevServer:
        self._serving = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="dev-server", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until ``stop()`` is called from another thread."""
        self._serving = True
        self._httpd.serve_forever()

    def stop(self) -> None:
        if self.hub is not None:
            self.hub.close()
        if self._serving:  # shutdown() before serve_forever() would wait forever
            self._httpd.shutdown()
            self._serving = False
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> DevServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
