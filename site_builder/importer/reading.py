"""Sources of an import: which files are articles or archives, and their bytes and text.

A source is a plain-text (``.txt``), web page (``.html``, ``.htm``) or Markdown (``.md``) file, an
archive of many articles (a WordPress export, an RSS or Atom feed, a WARC web archive), or a folder
searched recursively for them. Archives are recognised by their first bytes, whatever their name, and
gzip by its magic number. Reading is where hostile input is refused first: empty, binary, oversized
or corrupt files raise :class:`SkipSource` with the reason the import summary shows.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

MAX_SOURCE_BYTES = 10 * 1024 * 1024
UNSUPPORTED = "not a .txt, .html, .html.gz or .md file, a WordPress export, a feed or a WARC archive"
ARCHIVE_KINDS = ("wxr", "feed", "warc")
HEAD_BYTES = 16 * 1024  # enough for a WordPress export's opening comment and its <rss> namespaces


class SkipSource(Exception):
    """A source that cannot be imported; the message is the reason shown in the summary."""


def source_kind(path: Path) -> str | None:
    """ "text", "html" or "markdown" from the file name, or None for files we do not import."""
    name = path.name.lower()
    if name.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    if name.endswith((".txt", ".text")):
        return "text"
    return None


GZIP_MAGIC = b"\x1f\x8b"


def open_source(path: Path) -> BinaryIO:
    """*path* opened for reading, inflated as it is read when its bytes are gzip (whatever its name)."""
    handle = path.open("rb")
    if handle.peek(2)[:2] != GZIP_MAGIC:
        return handle
    inflated = gzip.GzipFile(fileobj=handle, mode="rb")
    inflated.myfileobj = handle  # GzipFile closes the file it opened itself: make it close this one too
    return inflated  # type: ignore[return-value]


def read_source(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """The raw bytes of *path*, gunzipped when compressed; SkipSource when empty, too big or unreadable.

    A compressed file is inflated as a stream and abandoned at *max_bytes*: a gzip bomb (a few
    kilobytes that inflate to gigabytes) costs at most *max_bytes* of memory.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SkipSource(f"larger than {max_bytes:,} bytes ({size:,})")
        with open_source(path) as stream:
            compressed = isinstance(stream, gzip.GzipFile)
            raw = stream.read(max_bytes + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise SkipSource(f"not a valid gzip file ({error or 'truncated'})") from None
    except OSError as error:
        raise SkipSource(f"cannot read: {error.strerror or error}") from None
    if len(raw) > max_bytes:
        raise SkipSource(f"larger than {max_bytes:,} bytes once decompressed (from {size:,} compressed)")
    if not raw.strip():
        raise SkipSource("empty")
    if not compressed and path.name.lower().endswith(".gz"):
        raise SkipSource("not a valid gzip file (no gzip header)")
    return raw


def decode_text(raw: bytes) -> tuple[str, list[str]]:
    """UTF-8 text, or Latin-1 (as Windows-1252) with a note; SkipSource for binary data."""
    if b"\x00" in raw[:8192] or _control_ratio(raw[:8192]) > 0.05:
        raise SkipSource("binary data, not text")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        note = f"not valid UTF-8 (byte {error.start}); decoded as Latin-1"
    try:
        return raw.decode("cp1252"), [note]
    except UnicodeDecodeError:
        return raw.decode("latin-1"), [note]


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _control_ratio(sample: bytes) -> float:
    """Share of control bytes (not tab, newline, form feed, return): high in binary files."""
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / max(1, len(sample))


_NOT_ARTICLE = re.compile(r"^(?:readme|license|licence|copying|changelog|source|authors)(?:\.\w+)?$", re.I)
_XML_ROOT = re.compile(
    rb"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*<([A-Za-z_][\w:.-]*)", re.DOTALL
)


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first *size* bytes of *path* (inflated when gzip), or as many as can be read: a damaged
    archive is still recognised, and its reader then says where the damage is."""
    head = b""
    try:
        with open_source(path) as stream:
            while len(head) < size and (piece := stream.read1(size - len(head))):
                head += piece
    except (OSError, EOFError, zlib.error):
        pass
    return head


def detect_kind(path: Path) -> str | None:
    """What *path* holds: an archive kind recognised by its first bytes, else the kind its name says."""
    head = read_head(path)
    if head.startswith(b"WARC/"):
        return "warc"
    root = xml_root(head)
    if root == b"rss" and b"wordpress.org/export/" in head:
        return "wxr"
    if root in (b"rss", b"feed", b"rdf:RDF"):
        return "feed"
    return source_kind(path)


def xml_root(head: bytes) -> bytes | None:
    """The name of the root element of an XML document starting with *head*, or None."""
    match = _XML_ROOT.match(head.removeprefix(b"\xef\xbb\xbf"))
    return match.group(1) if match else None


def declares_entities(head: bytes) -> bool:
    """True when the document type declares entities: no feed or export needs them, and nested ones
    are the "billion laughs" bomb (a few bytes that expand to gigabytes)."""
    prolog = head.split(b"<" + (xml_root(head) or b"\0"), 1)[0]
    return b"<!ENTITY" in prolog


def collect_sources(sources: Iterable[Path]) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """``(path, kind)`` of the files to import (given files, and the articles and archives under given
    folders, in a stable order) and the ``(source, reason)`` of those left out."""
    found: dict[Path, str] = {}
    skipped: list[tuple[str, str]] = []
    for source in sources:
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source).parts
                if not path.is_file() or any(p.startswith(".") for p in relative):
                    continue
                kind = detect_kind(path)
                if kind is None:
                    continue
                if _NOT_ARTICLE.match(path.name) and kind not in ARCHIVE_KINDS:
                    skipped.append((str(path), "a README or licence file, not an article"))
                    continue
                found[path] = kind
        elif source.is_file():
            kind = detect_kind(source)
            if kind:
                found[source] = kind
            else:
                skipped.append((str(source), UNSUPPORTED))
        else:
            skipped.append((str(source), "no such file or folder"))
    return list(found.items()), skipped


def source_key(path: Path, site_dir: Path) -> str:
    """How a source is remembered: its path relative to the site, POSIX separators."""
    return Path(os.path.relpath(path.resolve(), site_dir.resolve())).as_posix()
