"""What a request to the dev server may ask for: the file its path maps to, whether its Host names
this machine, the byte range it wants. Pure functions, no sockets: the handler in
:mod:`site_builder.preview.server` applies them.

Every request path goes through :func:`resolve_request_path`: decoded once, ``..``/backslash/NUL
refused, normalised, resolved with ``realpath`` and checked with ``os.path.commonpath``. Peers shipped
real traversal bugs here (MkDocs CVE-2021-40978, Zola #2257, Eleventy dev-server #152).

A server bound to loopback answers only Host names that mean this machine (:func:`host_allowed`):
otherwise a page on any site could rebind its own name to 127.0.0.1 and read drafts and the build
error stream (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import mimetypes
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name in a Host header, without port, brackets, trailing dot or case: ``[::1]:80`` is ``::1``."""
    name = header.strip().lower()
    if name.startswith("["):
        name = name[1:].partition("]")[0]
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    return name.rstrip(".")


def host_allowed(header: str | None, bound_host: str) -> bool:
    """Whether a request naming *header* in its Host may be answered by a server bound to *bound_host*.

    Bound to loopback: only names that cannot be made to point elsewhere — ``localhost`` and its
    subdomains (RFC 6761), loopback addresses — or no Host at all (HTTP/1.0 clients; browsers always
    send one). Bound to another address the user chose to be reachable, and any name is answered.
    """
    if not is_loopback(bound_host) or header is None:
        return True
    name = host_name(header)
    return is_loopback(name) or name.endswith(".localhost")


class UnsatisfiableRange(Exception):
    """The Range starts at or after the end of the file: answered with 416."""


_BYTE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@dataclass(frozen=True)
class ByteRange:
    """``start`` to ``end`` inclusive, as in a Content-Range header."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def requested_range(header: str | None, size: int) -> ByteRange | None:
    """The one byte range a Range header asks of a *size*-byte file, or None to send the whole file
    (no header, several ranges, or a header that does not parse: RFC 9110 lets a server ignore them).
    Raises :class:`UnsatisfiableRange` when the range lies beyond the end."""
    match = _BYTE_RANGE.fullmatch((header or "").replace(" ", ""))
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # a suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise UnsatisfiableRange
        return ByteRange(max(0, size - length), size - 1)
    start = int(first)
    if last != "" and int(last) < start:
        return None
    if start >= size:
        raise UnsatisfiableRange
    return ByteRange(start, size - 1 if last == "" else min(int(last), size - 1))
