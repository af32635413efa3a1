"""Sources of an import: which files are articles, and their bytes and text.

A source is a plain-text (``.txt``), web page (``.html``, ``.htm``, optionally gzipped) or Markdown
(``.md``) file, or a folder searched recursively for them. Reading is where hostile input is refused
first: empty, binary, oversized or corrupt files raise :class:`SkipSource` with the reason the import
summary shows.
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
UNSUPPORTED = "not a .txt, .html, .html.gz or .md file"


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
    return gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[return-value]


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


def collect_sources(sources: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to import (given files, and supported files under given folders, in a stable order)
    and the ``(source, reason)`` of those left out."""
    found: dict[Path, None] = {}
    skipped: list[tuple[str, str]] = []
    for source in sources:
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source).parts
                if not path.is_file() or not source_kind(path) or any(p.startswith(".") for p in relative):
                    continue
                if _NOT_ARTICLE.match(path.name):
                    skipped.append((str(path), "a README or licence file, not an article"))
                    continue
                found[path] = None
        elif source.is_file():
            if source_kind(source):
                found[source] = None
            else:
                skipped.append((str(source), UNSUPPORTED))
        else:
            skipped.append((str(source), "no such file or folder"))
    return list(found), skipped


def source_key(path: Path, site_dir: Path) -> str:
    """How a source is remembered: its path relative to the site, POSIX separators."""
    return Path(os.path.relpath(path.resolve(), site_dir.resolve())).as_posix()
