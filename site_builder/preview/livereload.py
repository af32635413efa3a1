"""Live reload: tells open pages that a build committed (reload) or failed (show the error overlay).

The build id a page was served with is written into its reload script; the script listens to the
server-sent event stream and reloads when the id changes, or follows a page whose URL moved. Nothing is
written into output/: the script is added to HTML bytes on the way out (:func:`inject_livereload`).
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from dataclasses import dataclass, field

LIVERELOAD_PATH = "/__livereload"
SSE_HEARTBEAT_SECONDS = 15.0

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
