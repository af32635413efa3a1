"""The content files an import writes: front matter in a fixed order, atomic writes, and the removal of
temporary files a killed import left behind."""

from __future__ import annotations

import os
import re
from pathlib import Path

from site_builder.importer.extract import ExtractedArticle, ExtractedPerson

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


def source_field(key: str, sha256: str, archive: str | None) -> dict[str, str]:
    """The ``source`` field: the file's path, or the archive's path and the item's id, and the hash."""
    if archive is None:
        return {"path": key, "sha256": sha256}
    return {"path": archive, "id": key, "sha256": sha256}


def front_matter(article: ExtractedArticle, source: dict[str, str], slug: str) -> dict:
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
    meta["source"] = source
    return meta


def _person_meta(person: ExtractedPerson) -> dict:
    entry: dict = {"name": person.name, "slug": person.slug}
    if person.role:
        entry["role"] = person.role
    entry["mentions"] = [list(m) for m in person.mentions]
    return entry
