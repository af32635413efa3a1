"""What an import remembers between runs: which content file came from which source.

``<site>/.site-cache/import-manifest.sqlite`` keeps, per content file, the key of the source it came
from (a file's path, an archive item's GUID or URL), the source's SHA-256, the SHA-256 of the bytes
we wrote and the full names of its people. That makes re-import idempotent (the same source updates
the same file), finds byte-identical sources, tells a file an editor changed by hand (its bytes no
longer match what we wrote) from one we may overwrite, and gives a person imported once the same name
later. SQLite keeps this on disk, indexed: an archive of hundreds of thousands of articles costs no
memory, and rows are committed as files are written, so an interrupted import remembers what it wrote.
A dry run works on an in-memory copy. An unreadable database is set aside and rebuilt from the
``source`` field of the imported files (:meth:`Manifest.recover`); the JSON manifest of earlier
versions is read once and replaced.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from site_builder.errors import SiteError
from site_builder.sources.frontmatter import parse_document

MANIFEST = Path(".site-cache") / "import-manifest.sqlite"
JSON_MANIFEST = Path(".site-cache") / "import-manifest.json"  # what versions before SQLite wrote
COMMIT_EVERY = 500
SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    written_sha256 TEXT,
    people TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS files_by_source ON files (source);
CREATE INDEX IF NOT EXISTS files_by_sha256 ON files (sha256);
CREATE TEMP TABLE seen (digest TEXT PRIMARY KEY, origin TEXT NOT NULL);
CREATE TEMP TABLE seen_keys (key TEXT PRIMARY KEY, origin TEXT NOT NULL);
"""


class Manifest:
    """The import manifest of one site; :meth:`close` commits (unless a dry run) and closes it."""

    def __init__(self, site_dir: Path, *, dry_run: bool = False) -> None:
        self.path = site_dir / MANIFEST
        self.dry_run = dry_run
        self.recovered = False
        self._pending = 0
        self.db = self._open()
        self._migrate_json(site_dir / JSON_MANIFEST)

    def _open(self) -> sqlite3.Connection:
        if not self.dry_run:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.DatabaseError:  # not a database, or a damaged one: rebuilt by recover()
            if not self.dry_run:
                self.path.replace(self.path.with_name(self.path.name + ".damaged"))
            return self._connect(fresh=True)

    def _connect(self, fresh: bool = False) -> sqlite3.Connection:
        db = sqlite3.connect(self.path if not self.dry_run else ":memory:")
        if self.dry_run and not fresh and self.path.is_file():
            disk = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True)
            try:
                disk.backup(db)
            finally:
                disk.close()
        db.executescript(SCHEMA)
        db.execute("SELECT count(*) FROM files").fetchone()  # a damaged file fails here, not later
        return db

    def _migrate_json(self, old: Path) -> None:
        if not old.is_file():
            return
        try:
            files = json.loads(old.read_text(encoding="utf-8")).get("files", {})
        except (ValueError, OSError, AttributeError):
            files = {}
        for name, entry in files.items():
            if isinstance(entry, dict) and "source" in entry:
                people = entry.get("people", [])
                sha256, written = str(entry.get("sha256", "")), entry.get("written_sha256")
                self.record(name, entry["source"], sha256, written, people)
        if not self.dry_run:
            self.commit()
            old.unlink()

    def name_for(self, key: str) -> str | None:
        """The content file imported from the source with this key."""
        row = self.db.execute("SELECT name FROM files WHERE source = ? LIMIT 1", (key,)).fetchone()
        return row[0] if row else None

    def source_for(self, sha256: str) -> str | None:
        """The key of an imported source with these bytes."""
        row = self.db.execute("SELECT source FROM files WHERE sha256 = ? LIMIT 1", (sha256,)).fetchone()
        return row[0] if row else None

    def written_sha256(self, name: str) -> str | None:
        row = self.db.execute("SELECT written_sha256 FROM files WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def __contains__(self, name: str) -> bool:
        return self.db.execute("SELECT 1 FROM files WHERE name = ?", (name,)).fetchone() is not None

    def people(self) -> Iterator[str]:
        """Full names (two words or more) of the people in the articles already imported."""
        for (names,) in self.db.execute("SELECT people FROM files WHERE people != '[]'"):
            yield from json.loads(names)

    def record(
        self, name: str, source: str, sha256: str, written_sha256: str | None, people: list[str]
    ) -> None:
        """Remember that *name* holds the article of *source*; committed every few hundred files."""
        self.db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
            (name, source, sha256, written_sha256, json.dumps(sorted(people), ensure_ascii=False)),
        )
        self._pending += 1
        if self._pending >= COMMIT_EVERY and not self.dry_run:
            self.commit()

    def first_seen(self, digest: str, key: str, origin: str) -> str | None:
        """Within this import: the origin of an earlier item with these bytes or this key, else None
        (and this one is remembered)."""
        row = self.db.execute("SELECT origin FROM seen WHERE digest = ?", (digest,)).fetchone()
        row = row or self.db.execute("SELECT origin FROM seen_keys WHERE key = ?", (key,)).fetchone()
        if row:
            return row[0]
        self.db.execute("INSERT INTO seen VALUES (?, ?)", (digest, origin))
        self.db.execute("INSERT INTO seen_keys VALUES (?, ?)", (key, origin))
        return None

    def recover(self, content_dir: Path) -> None:
        """Re-learn imported files from their front matter (``source``) when the manifest is gone.

        What we wrote is unknown then, so a recovered file counts as possibly edited: it is left alone
        unless the new output is byte-identical or ``--force`` is given.
        """
        if not content_dir.is_dir():
            return
        for path in sorted([*content_dir.glob("*.md"), *content_dir.glob("*/index.md")]):
            name = path.relative_to(content_dir).as_posix()  # "slug.md", or "slug/index.md" (a bundle)
            if name in self:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if "\nsource:" not in text:  # not written by the importer: no need to parse it
                continue
            try:
                source = parse_document(text, str(path)).meta.get("source")
            except SiteError:
                continue
            key = (source.get("id") or source.get("path")) if isinstance(source, dict) else None
            if isinstance(key, str):
                self.record(name, key, str(source.get("sha256", "")), None, [])
                self.recovered = True

    def commit(self) -> None:
        if not self.dry_run:
            self.db.commit()
        self._pending = 0

    def close(self) -> None:
        self.commit()
        self.db.close()
