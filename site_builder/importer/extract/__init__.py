"""Extraction of articles from raw sources: the result type shared by every extractor.

`ExtractedArticle.to_json_dict()` is the contract of ``site-builder extract --json``: exactly the keys
source, title, date, authors, people, quotes, tags, summary, body. Other tools and the quality
measurements read it, so keys are never renamed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ExtractedPerson:
    """A person in an article; mentions are [start, end) character offsets into the article body."""

    name: str
    slug: str
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class ExtractedArticle:
    """Everything extracted from one source file.

    `notes` (e.g. "decoded as Latin-1") and `front_matter` (a Markdown source's own fields) are not in JSON.
    """

    source: str
    title: str
    body: str
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    people: list[ExtractedPerson] = field(default_factory=list)
    quotes: list[dict[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    source_url: str | None = None
    notes: list[str] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)  # a Markdown source's own, kept on import

    def to_json_dict(self) -> dict[str, Any]:
        """The stable JSON form (see the module docstring)."""
        return {
            "source": self.source,
            "title": self.title,
            "date": self.date,
            "authors": list(self.authors),
            "people": [
                {"name": p.name, "slug": p.slug, "role": p.role, "mentions": [list(m) for m in p.mentions]}
                for p in self.people
            ],
            "quotes": [dict(q) for q in self.quotes],
            "tags": list(self.tags),
            "summary": self.summary,
            "body": self.body,
        }
