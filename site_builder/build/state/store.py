"""The content-addressed store of article bodies that cluster workers read and write.

A build on a Dask cluster cannot assume its workers share the driver's disk, so the rendered bodies of
articles do not go through the driver's SQLite cache: the worker that parses an article puts its body
here and sends the driver only the article and the body's SHA-256; the worker that renders the
article's page is handed that digest and reads the body back. The driver never holds (nor receives) an
article body, which is the first step of sharding a large archive.

The store is any fsspec URL (``file:///shared/store``, ``s3://bucket/bodies``...); a plain path is a
local folder (``.site-cache/bodies`` by default). An object is named by the SHA-256 of its bytes, so a
write is idempotent and a body read back is checked against the digest the driver kept, under this
machine's key, in its cache: a store that others can write cannot change a page.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zlib
from pathlib import Path
from typing import Any

from site_builder.errors import SiteError
from site_builder.model.article import ArticleBody

STORE_FOLDER = "bodies"  # in the cache folder, when no store is configured


class BodyStore:
    """Article bodies by the SHA-256 of their stored bytes (see the module docstring)."""

    def __init__(self, url: str) -> None:
        import fsspec  # (an extra's dependency: only a cluster build gets here)

        self.url = url
        self.fs, self.root = fsspec.core.url_to_fs(url)
        self.local = "file" in _protocols(self.fs)
        self._known: set[str] = set()  # digests this process wrote or found

    @classmethod
    def for_site(cls, configured: str, cache_dir: Path) -> BodyStore:
        return cls(configured or str(cache_dir / STORE_FOLDER))

    def path(self, digest: str) -> str:
        return f"{self.root.rstrip('/')}/{digest[:2]}/{digest}"

    def put(self, body: ArticleBody) -> str:
        """Store *body*; its digest (the object's name)."""
        data = encode_body(body)
        digest = hashlib.sha256(data).hexdigest()
        if digest in self._known:
            return digest
        target = self.path(digest)
        if not self.fs.exists(target):
            self._write(target, data)
        self._known.add(digest)
        return digest

    def get(self, digest: str) -> ArticleBody:
        """The body stored under *digest*, checked against it."""
        try:
            data = self.fs.cat_file(self.path(digest))
        except (FileNotFoundError, OSError) as error:
            raise SiteError(
                f"article body {digest[:12]} cannot be read from the body store ({error}); "
                "delete .site-cache and rebuild",
                self.url,
            ) from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise SiteError(f"article body {digest[:12]} in the body store is damaged; rebuild", self.url)
        return decode_body(data)

    def _write(self, target: str, data: bytes) -> None:
        """Write under a temporary name, then rename: a reader never sees a partial object (an object
        store writes whole objects anyway)."""
        self.fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        if not self.local:
            self.fs.pipe_file(target, data)
            return
        temporary = f"{target}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)


def encode_body(body: ArticleBody) -> bytes:
    return zlib.compress(json.dumps([body.html, body.toc_html], ensure_ascii=False).encode("utf-8"), 1)


def decode_body(data: bytes) -> ArticleBody:
    html, toc = json.loads(zlib.decompress(data).decode("utf-8"))
    return ArticleBody(html=html, toc_html=toc)


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)
