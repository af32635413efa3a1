"""Development HTTP server: serves output/ safely, injects live reload into HTML responses.

Why hand-rolled on top of ``http.server``: ``SimpleHTTPRequestHandler`` translates paths with a string
prefix mindset, lists directories and knows nothing about a rebuild in progress. Peers shipped real
traversal bugs here (MkDocs CVE-2021-40978, Zola #2257, Eleventy dev-server #152), so every request path
goes through :func:`resolve_request_path`: decoded once, ``..``/backslash/NUL refused, normalised,
resolved with ``realpath`` and checked with ``os.path.commonpath``. Anything doubtful is a 404 — never an
exception that could take the server down.

Consistency with the builder: file reads hold the shared side of a :class:`ReadWriteLock`; the builder
holds the exclusive side while it commits, so a browser never sees a half-written site. The live-reload
script is added to HTML *bytes on the way out*; nothing is ever written into output/.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import mimetypes
import os
import posixpath
import re
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

LIVERELOAD_PATH = "/__livereload"
SSE_HEARTBEAT_SECONDS = 15.0

# Explicit types for what a news site serves; mimetypes varies with the host's /etc/mime.types.
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
}

NO_CACHE_HEADERS: tuple[tuple[str, str], ...] = (
    ("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0"),
    ("Pragma", "no-cache"),
    ("Expires", "0"),
)

LIVERELOAD_JS = r"""
(function (buildId, endpoint) {
  "use strict";
  var OVERLAY_ID = "site-builder-error-overlay";
  function hideOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) { old.remove(); }
  }
  function showOverlay(err) {
    hideOverlay();
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.92);" +
      "color:#fff;font:15px/1.5 monospace;padding:2em;overflow:auto;white-space:pre-wrap";
    var title = document.createElement("h2");
    title.textContent = "Build failed \u2014 still serving the last good site";
    title.style.cssText = "margin:0 0 1em;color:#ff8a80;font:bold 20px sans-serif";
    var where = document.createElement("div");
    where.className = "site-builder-error-location";
    where.textContent = (err.path || "") + (err.line ? ":" + err.line : "");
    where.style.cssText = "font-weight:bold;margin-bottom:.5em";
    var msg = document.createElement("pre");
    msg.className = "site-builder-error-message";
    msg.textContent = err.message || "";
    msg.style.cssText = "margin:0;white-space:pre-wrap";
    box.appendChild(title); box.appendChild(where); box.appendChild(msg);
    (document.body || document.documentElement).appendChild(box);
  }
  function onState(state) {
    if (state.build_id !== buildId) {
      var movedTo = state.moved && state.moved[window.location.pathname];
      if (movedTo) { window.location.replace(movedTo + window.location.hash); }
      else { window.location.reload(); }
      return;
    }
    if (state.error) { showOverlay(state.error); } else { hideOverlay(); }
  }
  if (!window.EventSource) { return; }
  var source = new EventSource(endpoint);
  source.addEventListener("state", function (ev) { onState(JSON.parse(ev.data)); });
  window.addEventListener("beforeunload", function () { source.close(); });
})(%(build_id)s, %(endpoint)s);
"""


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


@dataclass(frozen=True)
class BuildErrorInfo:
    """What the browser overlay shows after a failed build: the file, the line, the message."""

    path: str
    line: int | None
    message: str

    def as_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class ReloadState:
    """A snapshot pages compare against: a new ``build_id`` means "reload", ``error`` means "overlay"."""

    generation: int
    build_id: str
    error: BuildErrorInfo | None
    moved: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        error = self.error.as_json() if self.error else None
        return {"build_id": self.build_id, "error": error, "moved": self.moved}


@dataclass
class ReloadHub:
    """Tells connected pages about builds. The build id carries a per-process token so a restarted
    server (counter back at 0) still makes old pages reload."""

    _cond: threading.Condition = field(default_factory=threading.Condition)
    _token: str = field(default_factory=lambda: secrets.token_hex(4))
    _version: int = 0
    _generation: int = 0
    _error: BuildErrorInfo | None = None
    _moved: dict[str, str] = field(default_factory=dict)
    _closed: bool = False

    def state(self) -> ReloadState:
        with self._cond:
            return self._snapshot()

    def _snapshot(self) -> ReloadState:
        return ReloadState(self._generation, f"{self._token}-{self._version}", self._error, dict(self._moved))

    def publish_success(self, moved: dict[str, str] | None = None) -> None:
        """A build committed: every open page reloads and any overlay goes with it.

        ``moved`` maps URL paths that this build removed to the page that replaced them (an article
        whose title, hence slug, changed), so the open page follows it instead of reloading onto a 404.
        """
        with self._cond:
            self._version += 1
            self._generation += 1
            self._error = None
            self._moved = dict(moved or {})
            self._cond.notify_all()

    def publish_failure(self, error: BuildErrorInfo) -> None:
        """A build failed: pages keep the last good site and show the overlay."""
        with self._cond:
            self._generation += 1
            self._error = error
            self._cond.notify_all()

    def wait_for_change(self, generation: int, timeout: float) -> ReloadState | None:
        """Block until the state moves past ``generation``; None on timeout or when closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._generation != generation, timeout)
            if self._closed or self._generation == generation:
                return None
            return self._snapshot()

    @property
    def closed(self) -> bool:
        with self._cond:
            return self._closed

    def close(self) -> None:
        """Wake every waiting event stream so its thread ends with the server."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()


def resolve_request_path(root: str | os.PathLike[str], raw_target: str) -> Path | None:
    """Map a raw request target to a file or directory inside ``root``, or None (→ 404).

    Decoded exactly once; a ``..`` segment, a backslash or a NUL after decoding is refused outright
    (browsers never send them for real pages), then the normalised path is resolved with realpath and
    must stay inside the real root per ``os.path.commonpath`` — which also catches symlinks that point
    outside.
    """
    path = target_path(raw_target)
    if not path.startswith("/"):
        return None
    decoded = unquote(path, errors="strict")
    if "\\" in decoded or "\x00" in decoded:
        return None
    if any(segment == ".." for segment in decoded.split("/")):
        return None
    normalised = posixpath.normpath(decoded).lstrip("/")
    real_root = os.path.realpath(root)
    candidate = os.path.realpath(os.path.join(real_root, normalised))
    try:
        if os.path.commonpath([real_root, candidate]) != real_root:
            return None
    except ValueError:
        return None
    return Path(candidate)


def target_path(raw_target: str) -> str:
    """The path part of a request target, still percent-encoded.

    Origin-form targets are split by hand: ``urlsplit("//etc/passwd")`` would read "etc" as a host.
    """
    if raw_target.startswith("/"):
        return raw_target.split("#", 1)[0].split("?", 1)[0]
    return urlsplit(raw_target).path


def content_type_for(path: Path) -> str:
    """The Content-Type for a served file; unknown types are bytes, never sniffed as HTML."""
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


_BODY_CLOSE = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject_livereload(html: bytes, state: ReloadState, endpoint: str = LIVERELOAD_PATH) -> bytes:
    """Insert the reload script before the last ``</body>`` (or at the end) of an HTML response."""
    script = LIVERELOAD_JS % {"build_id": json.dumps(state.build_id), "endpoint": json.dumps(endpoint)}
    tag = f'<script data-site-builder="livereload">{script}</script>\n'.encode()
    matches = list(_BODY_CLOSE.finditer(html))
    if not matches:
        return html + tag
    at = matches[-1].start()
    return html[:at] + tag + html[at:]


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_warning(host: str) -> str | None:
    """The warning to show when the dev server would be reachable from other machines."""
    if is_loopback(host):
        return None
    return (
        f"warning: serving on {host}: the dev server is reachable from other machines; "
        "it is meant for local previews only (use --host 127.0.0.1)"
    )


@dataclass
class ServeConfig:
    """What the request handler needs; shared by all handler threads, never mutated after start."""

    root: Path
    lock: ReadWriteLock
    hub: ReloadHub | None
    heartbeat: float = SSE_HEARTBEAT_SECONDS
    prefix: str = "/"  # the base_url's path: a site built for https://example.org/news/ is served at /news/


class _DevHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], serve: ServeConfig, family: socket.AddressFamily) -> None:
        self.address_family = family
        self.serve = serve
        super().__init__(address, DevRequestHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A failing request is logged, never fatal; clients going away are not worth a traceback."""
        log.debug("request from %s failed", client_address, exc_info=True)


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
        redirect = False
        body: bytes | None = None
        state: ReloadState | None = None
        status = HTTPStatus.OK
        with serve.lock.read():  # the bytes and the build id come from one committed build
            if target is not None and target.is_dir():
                redirect = not target_path(self.path).endswith("/")
                target = target / "index.html"
            if not redirect:
                body = _read_file(target) if target is not None else None
                if body is None:
                    status, target = HTTPStatus.NOT_FOUND, resolve_request_path(serve.root, "/404.html")
                    body = _read_file(target) if target is not None else None
                state = serve.hub.state() if serve.hub is not None else None
        if redirect:
            self._redirect_to_slash()  # answered outside the lock: a slow client never holds up a commit
            return
        if body is None or target is None:
            target, body = Path("404.txt"), b"404 Not Found\n"
        ctype = content_type_for(target)
        if state is not None and ctype.startswith("text/html"):
            body = inject_livereload(body, state)
        self._send(status, ctype, body, send_body)

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


def _read_file(path: Path) -> bytes | None:
    """The bytes of a regular file, or None for anything missing, special or unreadable."""
    try:
        if not path.is_file():
            return None
        return path.read_bytes()
    except OSError:
        return None


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
        config = ServeConfig(Path(root), self.lock, self.hub, heartbeat, prefix)
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
