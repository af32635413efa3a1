"""WARC web archives (the Internet Archive's and Common Crawl's format), read with warcio.

Every HTML page captured (a ``response`` record, status 200, ``text/html``) becomes an item that the
HTML importer extracts, with the captured URL as ``source_url`` and the capture date as a fallback
date (``date_source: capture`` when used). Redirects, errors, non-HTML records and older captures of a
URL are excluded and counted; a ``revisit`` record (same content as an earlier capture) resolves to
the record it refers to. Two streaming passes: the first reads record headers and keeps, per URL,
where its latest capture is (a few numbers per URL); the second reads those records' payloads.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from site_builder.importer.items import Excluded, ItemFacts, Skipped, SourceItem
from site_builder.importer.options import ImportOptions
from site_builder.importer.reading import source_key

HTML_TYPES = ("text/html", "application/xhtml+xml")
READ_ERRORS = (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error)


@dataclass(frozen=True)
class _Capture:
    """One capture of a URL: when (which orders captures), and the record holding its payload and
    when that was captured (earlier than *date* for a revisit: the page has not changed since)."""

    url: str
    date: str
    payload_offset: int
    payload_date: str


@dataclass
class _Index:
    """The first pass's findings: the latest capture of each URL, and what could not be read."""

    latest: dict[str, _Capture] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    error: Skipped | None = None


def read_warc(path: Path, options: ImportOptions) -> Iterator[SourceItem | Excluded | Skipped]:
    """The pages of one WARC file (``.warc`` or ``.warc.gz``), in archive order."""
    index = _first_pass(path)
    yield from (Excluded(reason) for reason in index.excluded)
    yield from index.skipped
    by_offset: dict[int, list[_Capture]] = {}
    for capture in index.latest.values():
        by_offset.setdefault(capture.payload_offset, []).append(capture)
    archive_key = source_key(path, options.site_dir)
    for offset, payload in _payloads(path, by_offset, options.max_bytes):
        for capture in by_offset[offset]:
            yield _item(path, offset, capture, payload, archive_key, options.max_bytes)
    if index.error is not None:
        yield index.error


def _records(path: Path) -> Iterator[tuple[Any, ArchiveIterator]]:
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, check_digests=False)
        for record in records:
            yield record, records


def _first_pass(path: Path) -> _Index:
    index = _Index()
    originals: dict[str, tuple[int, str]] = {}  # payload digest -> the first 200 HTML response with it
    revisits: list[tuple[str, str, str, int]] = []  # (url, date, payload digest, offset)
    end = 0
    try:
        for record, records in _records(path):
            headers = record.rec_headers
            url, date = headers.get_header("WARC-Target-URI") or "", headers.get_header("WARC-Date") or ""
            digest = headers.get_header("WARC-Payload-Digest") or ""
            reason = _exclusion(record) if record.rec_type else None
            offset = records.get_record_offset()
            if not record.rec_type:  # what warcio makes of a cut-off gzip member
                index.error = Skipped(
                    f"{path}: record at offset {offset}", "truncated or corrupt WARC record"
                )
                break
            end = offset + records.get_record_length()
            if record.rec_type not in ("response", "revisit"):
                continue  # requests, metadata, warcinfo: not captures
            if reason is not None:
                index.excluded.append(reason)
            elif record.rec_type == "response":
                originals.setdefault(digest, (offset, date))
                _keep_latest(index, _Capture(url, date, offset, date))
            else:
                revisits.append((url, date, digest, offset))
    except READ_ERRORS as error:
        index.error = Skipped(f"{path}: record at offset {end}", f"unreadable WARC record ({error})")
    if index.error is None and _rest_is_not_blank(path, end):
        index.error = Skipped(f"{path}: record at offset {end}", "truncated: the file ends inside a record")
    for url, date, digest, offset in revisits:
        if digest in originals:
            _keep_latest(index, _Capture(url, date, *originals[digest]))
        else:
            reason = "a revisit of a capture that is not in this archive"
            index.skipped.append(Skipped(f"{path}: record at offset {offset}", reason))
    return index


def _rest_is_not_blank(path: Path, end: int) -> bool:
    """Whether bytes other than the blank lines closing the last record follow it (warcio stops
    without a word at a record cut short)."""
    with path.open("rb") as stream:
        stream.seek(end)
        return bool(stream.read(64).strip())


def _exclusion(record: Any) -> str | None:
    """Why a response or revisit record is not a page to import, or None.

    A revisit's headers are those of the new visit: 200 with the same payload, or 304 (not modified).
    """
    http = record.http_headers
    if http is None:
        return "not an HTTP response"
    status = http.get_statuscode() or ""
    if record.rec_type == "revisit" and status == "304":
        return None
    if status.startswith("3"):
        return "redirect"
    if status != "200":
        return f"HTTP status {status}"
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in HTML_TYPES and not (record.rec_type == "revisit" and not content_type):
        return "not HTML"
    return None


def _keep_latest(index: _Index, capture: _Capture) -> None:
    """Keep the latest capture of each URL; an older one is counted (WARC dates are ISO, so they sort)."""
    kept = index.latest.get(capture.url)
    if kept is None:
        index.latest[capture.url] = capture
        return
    index.excluded.append("an older capture of the same URL")
    if capture.date >= kept.date:
        index.latest[capture.url] = capture


def _payloads(path: Path, wanted: dict[int, list[_Capture]], max_bytes: int) -> Iterator[tuple[int, bytes]]:
    """The HTTP payload (de-chunked, decompressed) of each wanted record, up to *max_bytes* + 1."""
    try:
        for record, records in _records(path):
            payload = record.content_stream().read(max_bytes + 1) if record.rec_type == "response" else b""
            offset = records.get_record_offset()
            if offset in wanted:
                yield offset, payload
    except READ_ERRORS:
        return  # the first pass found it and reports it


def _item(
    path: Path, offset: int, capture: _Capture, payload: bytes, archive_key: str, max_bytes: int
) -> Any:
    origin = f"{path}: record at offset {offset}"
    if len(payload) > max_bytes:
        return Skipped(origin, f"a page larger than {max_bytes:,} bytes")
    if not payload.strip():
        return Skipped(origin, "an empty page")
    facts = ItemFacts(
        source_url=capture.url if capture.url.startswith(("http://", "https://")) else None,
        date_fallback=capture.payload_date.replace("Z", "+00:00") or None,
    )
    url = capture.url or origin
    return SourceItem(origin=origin, key=url, kind="html", raw=payload, archive=archive_key, facts=facts)
