"""What an import remembers and writes: the manifest of imported files, front matter, atomic writes.

``<site>/.site-cache/import-manifest.json`` keeps, per content file, the source it came from, the
source's SHA-256 and the SHA-256 of the bytes we wrote. That makes re-import idempotent (the same
source updates the same file), finds byte-identical sources, and tells a file an editor changed by
hand (its bytes no longer match what we wrote) from one we may overwrite.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from site_builder.errors import SiteError
from site_builder.importer.extract import ExtractedArticle, ExtractedPerson
from site_builder.sources.frontmatter import parse_document

MANIFEST = Path(".site-cache") / "import-manifest.json"


class Manifest:
    """``.site-cache/import-manifest.json``: per content file, its source and the hash we wrote."""

    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir / MANIFEST
        self.entries: dict[str, dict[str, Any]] = {}
        self.recovered = False
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.entries = dict(data.get("files", {}))
            except (ValueError, OSError):
                self.entries = {}

    def by_source(self) -> dict[str, str]:
        return {entry["source"]: name for name, entry in self.entries.items() if "source" in entry}

    def by_sha(self) -> dict[str, str]:
        return {entry["sha256"]: entry["source"] for entry in self.entries.values() if "sha256" in entry}

    def recover(self, content_dir: Path) -> None:
        """Re-learn imported files from their front matter (``source``) when the cache was deleted.

        What we wrote is unknown then, so a recovered file counts as possibly edited: it is left alone
        unless the new output is byte-identical or ``--force`` is given.
        """
        if not content_dir.is_dir():
            return
        for path in sorted(content_dir.glob("*.md")):
            if path.name in self.entries:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if "\nsource:" not in text:  # not written by the importer: no need to parse it
                continue
            try:
                source = parse_document(text, str(path)).meta.get("source")
            except SiteError:
                continue
            if isinstance(source, dict) and isinstance(source.get("path"), str):
                self.entries[path.name] = {"source": source["path"], "sha256": str(source.get("sha256", ""))}
                self.recovered = True

    def people(self) -> set[str]:
        """Full names (two words or more) of the people in the articles already imported."""
        return {name for entry in self.entries.values() for name in entry.get("people", ())}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": 1, "files": dict(sorted(self.entries.items()))}
        atomic_write(self.path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))


TEMPORARY_NAME = re.compile(r"^\..+\.tmp-(\d+)$")


def atomic_write(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file renamed into place: never a half-written file.

    The temporary file is removed when the write is interrupted (Ctrl-C, a full disk); one left by a
    killed process is found by :func:`remove_stale_temporaries`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files of :func:`atomic_write` that a killed import left in *folder*.

    Only files whose process is gone: another import writing into the folder right now keeps its own.
    """
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.glob(".*.tmp-*"):
        match = TEMPORARY_NAME.match(path.name)
        if match and path.is_file() and not _process_alive(int(match.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # ours, from an earlier import in this process that was interrupted
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OverflowError:
        return False  # not a process number this system can have
    except PermissionError:
        return True  # alive, another user's
    return True


def front_matter(article: ExtractedArticle, source_key: str, sha256: str, slug: str) -> dict:
    """The front matter fields of an imported article, in a fixed order (deterministic bytes).

    The slug is written out: two articles with the same headline get distinct file names and URLs.
    """
    meta: dict = {"title": article.title, "slug": slug}
    if article.date:
        meta["date"] = article.date
    if article.authors:
        meta["authors"] = list(article.authors)
    if article.people:
        meta["people"] = [_person_meta(p) for p in article.people]
    if article.quotes:
        meta["quotes"] = [dict(q) for q in article.quotes]
    if article.tags:
        meta["tags"] = list(article.tags)
    if article.summary:
        meta["summary"] = article.summary
    if article.source_url:
        meta["source_url"] = article.source_url
    for key, value in article.front_matter.items():  # a Markdown source's own fields win
        if key not in ("source", "slug"):
            meta[key] = value
    meta["source"] = {"path": source_key, "sha256": sha256}
    return meta


def _person_meta(person: ExtractedPerson) -> dict:
    entry: dict = {"name": person.name, "slug": person.slug}
    if person.role:
        entry["role"] = person.role
    entry["mentions"] = [list(m) for m in person.mentions]
    return entry
