"""The unit of an import: one article's bytes and what its source says about it.

A file is one item; an archive (a WordPress export, a feed, a WARC) is many, read one at a time.
Every item goes through the same extraction (:func:`site_builder.importer.analysis.extract_item`);
what the archive states (an author's display name, categories, the excerpt, an old permalink) is
:class:`ItemFacts` and wins over what extraction guesses. An archive reader yields :class:`Excluded`
for records that are not articles to publish (drafts, revisions, redirects: counted by reason) and
:class:`Skipped` for records it cannot read (named by position, with the reason).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ItemFacts:
    """What an archive states about an item. Empty fields leave extraction's findings alone.

    ``date_fallback`` is used only when extraction finds no date (a WARC capture date), and then
    ``date_source: capture`` says so in the front matter. ``base_url`` resolves relative links in
    an HTML fragment. ``partial`` marks a feed entry that only had a summary.
    """

    title: str | None = None
    date: str | None = None
    date_fallback: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str | None = None
    source_url: str | None = None
    base_url: str | None = None
    aliases: tuple[str, ...] = ()
    attachments: tuple[dict[str, Any], ...] = ()
    partial: bool = False


@dataclass(frozen=True)
class SourceItem:
    """One article to import.

    ``kind`` is ``text``, ``markdown``, ``html`` (a whole saved page) or ``fragment`` (an article body
    in HTML). ``key`` is how the manifest remembers the item so a re-import updates the same file: a
    file's path relative to the site, an archive item's GUID or URL. ``origin`` names it in the report
    (a file path, or ``export.xml: item 12``); ``archive`` is the archive's path relative to the site.
    """

    origin: str
    key: str
    kind: str
    raw: bytes
    folder: str = ""
    archive: str | None = None
    facts: ItemFacts = field(default_factory=ItemFacts)

    def digest(self) -> str:
        """SHA-256 of what the item is: its bytes, and for an archive item also the stated facts."""
        digest = hashlib.sha256(self.raw)
        if self.archive is not None:
            digest.update(json.dumps(asdict(self.facts), sort_keys=True, ensure_ascii=False).encode("utf-8"))
        return digest.hexdigest()


@dataclass(frozen=True)
class Excluded:
    """A record that is deliberately not imported (a draft, a revision, a redirect), counted by reason."""

    reason: str


@dataclass(frozen=True)
class Skipped:
    """A source or record that could not be imported: *origin* names it, *reason* says why."""

    origin: str
    reason: str
