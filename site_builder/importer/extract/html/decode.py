"""Saved page bytes to text: gzip inflated with a size cap, the charset found by BOM, declaration or guess."""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass

from site_builder.errors import SiteError

MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024
"""A gzip page larger than this once inflated is refused (protects against gzip bombs)."""


class HtmlExtractionError(SiteError):
    """The page cannot be read (not HTML, corrupt gzip, too large) or trafilatura is missing."""

    def __reduce__(self):  # keep the subclass through pickling (process pools)
        return (HtmlExtractionError, (self.message, self.path, self.line, self.field))


@dataclass(frozen=True)
class DecodedHtml:
    """Page text plus how it was decoded (so the importer can report fallbacks)."""

    text: str
    encoding: str
    warning: str | None = None


def decode_html(raw: bytes) -> DecodedHtml:
    """Inflate gzip (detected by magic bytes) and decode by BOM, declared charset, UTF-8, then a guess."""
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(raw)
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, name in boms:
        if raw.startswith(bom):
            return DecodedHtml(raw.decode(name, errors="replace"), name)
    declared = _declared_charset(raw[:8192])
    order = (declared, "utf-8")
    if declared and _is_single_byte(declared) and not raw.isascii():
        # pages saved by a crawler are usually re-encoded to UTF-8 while keeping their old
        # <meta charset>; non-ASCII bytes that form valid UTF-8 are almost never real latin-1 text
        order = ("utf-8", declared)
    for name in dict.fromkeys(n for n in order if n):
        try:
            return DecodedHtml(raw.decode(name), name, _fallback_note(declared, name))
        except UnicodeDecodeError:
            continue
    guess = _guess_charset(raw) or "cp1252"
    note = f"not valid {declared or 'utf-8'}; decoded as {guess}"
    return DecodedHtml(raw.decode(guess, errors="replace"), guess, note)


def _gunzip(raw: bytes) -> bytes:
    """Inflate with a hard size cap: a saved page never needs more than MAX_DECOMPRESSED_BYTES."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(raw, MAX_DECOMPRESSED_BYTES)
    except zlib.error as err:
        raise HtmlExtractionError(f"corrupt gzip data: {err}") from err
    if inflater.unconsumed_tail:
        raise HtmlExtractionError(f"gzip page inflates to more than {MAX_DECOMPRESSED_BYTES} bytes")
    if not inflater.eof:
        raise HtmlExtractionError("truncated or corrupt gzip data")
    return data


CHARSET_DECL = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""",
    re.IGNORECASE,
)


def _declared_charset(head: bytes) -> str | None:
    """The charset the page declares, as a Python codec name (WHATWG: latin-1 means cp1252)."""
    match = CHARSET_DECL.search(head)
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _is_single_byte(name: str) -> bool:
    return name.startswith(("cp12", "iso8859", "latin", "koi8", "mac-")) or name in {"cp437", "cp850"}


def _fallback_note(declared: str | None, used: str) -> str | None:
    return None if declared in (None, used) else f"page declares {declared} but is {used}; decoded as {used}"


def _guess_charset(raw: bytes) -> str | None:
    """Ask charset_normalizer (a trafilatura dependency) when it is installed."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - comes with trafilatura
        return None
    best = from_bytes(raw[:65536]).best()
    return best.encoding if best else None
