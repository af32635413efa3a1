"""The site's authors (``authors.toml``) and the grouping of articles by byline.

Bylines are plain text in front matter; an editor gives an author a page of their own in
``authors.toml`` beside ``site.toml``::

    [authors."Jane Doe"]
    slug = "jane-doe"                       # optional: else the slug of the name
    aliases = ["J. Doe", "Jane A. Doe"]     # bylines that are this author
    bio = "Covers the council since 2009."
    photo = "/img/jane.jpg"                 # a path under static/ or an absolute URL
    person = "jane-doe"                     # the same person's page under /people/ (one entity)
    [authors."Jane Doe".links]
    Website = "https://example.org/jane"

Every byline gets an author page, listed or not; the file only adds what bylines cannot say. A missing
file is an empty directory. Name lookups ignore case and surrounding spaces.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.errors import SiteError
from site_builder.model.article import Article
from site_builder.model.slugs import slugify

FILE_NAME = "authors.toml"
_KEYS = {"slug", "aliases", "bio", "photo", "person", "links"}


def _name_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


@dataclass(frozen=True)
class AuthorEntry:
    """One ``[authors."Name"]`` table."""

    name: str
    slug: str | None = None
    aliases: tuple[str, ...] = ()
    bio: str | None = None
    photo: str | None = None
    person: str | None = None  # slug of the person page of the same person
    links: tuple[tuple[str, str], ...] = ()  # (label, URL), in the file's order


@dataclass(frozen=True, eq=False)
class AuthorDirectory:
    """Read-only view of ``authors.toml``; plain dicts, so it pickles with the site model."""

    entries: dict[str, AuthorEntry] = field(default_factory=dict)  # folded name -> entry
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> canonical name

    def canonical(self, byline: str) -> str:
        key = _name_key(byline)
        if key in self.entries:
            return self.entries[key].name
        return self.aliases.get(key, " ".join(str(byline).split()))

    def entry(self, byline: str) -> AuthorEntry | None:
        return self.entries.get(_name_key(self.canonical(byline)))

    def slug(self, byline: str) -> str:
        entry = self.entry(byline)
        return entry.slug if entry and entry.slug else slugify(self.canonical(byline))


@dataclass
class Author:
    """An author of the site: their articles (newest first) and what the editor says about them."""

    name: str
    slug: str
    articles: list[Article] = field(default_factory=list)
    entry: AuthorEntry | None = None

    @property
    def url(self) -> str:
        return f"authors/{self.slug}/"


def group_authors(
    articles: list[Article], directory: AuthorDirectory
) -> tuple[dict[str, Author], dict[str, str]]:
    """Authors by slug (sorted) and each byline's slug; a byline without a slug of its own
    (punctuation only) gets no page."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, list[Article]] = defaultdict(list)
    slugs: dict[str, str] = {}
    for article in articles:
        seen: set[str] = set()
        for byline in article.authors:
            slug = slugs.get(byline)
            if slug is None:
                slug = slugs[byline] = directory.slug(byline)
            if not slug or slug in seen:
                continue
            seen.add(slug)
            spellings[slug][directory.canonical(byline)] += 1
            members[slug].append(article)
    authors = {}
    for slug in sorted(members):
        name = min(spellings[slug].items(), key=lambda item: (-item[1], item[0]))[0]
        authors[slug] = Author(name, slug, members[slug], directory.entry(name))
    return authors, {byline: slug for byline, slug in slugs.items() if slug}


def load_author_directory(site_dir: Path) -> AuthorDirectory:
    """Load ``<site_dir>/authors.toml``; a missing file gives an empty directory."""
    path = Path(site_dir) / FILE_NAME
    if not path.is_file():
        return AuthorDirectory()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        raise SiteError(f"invalid TOML: {error}", str(path), int(found.group(1)) if found else None) from None
    except UnicodeDecodeError:
        raise SiteError("not UTF-8 text", str(path)) from None
    return parse_author_directory(data, str(path))


def parse_author_directory(data: dict[str, Any], path: str = FILE_NAME) -> AuthorDirectory:
    """Build a directory from parsed TOML *data*, checking every field."""
    unknown = set(data) - {"authors"}
    if unknown:
        raise SiteError(f'unknown keys {sorted(unknown)}: expected [authors."Name"] tables', path)
    tables = data.get("authors", {})
    if not isinstance(tables, dict):
        raise SiteError('must be tables like [authors."Name"]', path, field="authors")
    entries: dict[str, AuthorEntry] = {}
    aliases: dict[str, str] = {}
    for name, table in tables.items():
        entry = _entry(name, table, path)
        entries[_name_key(name)] = entry
        aliases.update({_name_key(alias): entry.name for alias in entry.aliases})
    return AuthorDirectory(entries, aliases)


def _entry(name: str, table: Any, path: str) -> AuthorEntry:
    where = f"authors.{name}"
    if not isinstance(table, dict):
        raise SiteError("must be a table", path, field=where)
    unknown = set(table) - _KEYS
    if unknown:
        raise SiteError(f"unknown keys {sorted(unknown)} (expected {sorted(_KEYS)})", path, field=where)
    for key in ("slug", "bio", "photo", "person"):
        if key in table and not isinstance(table[key], str):
            raise SiteError("must be a string", path, field=f"{where}.{key}")
    aliases = table.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise SiteError("must be a list of names", path, field=f"{where}.aliases")
    for key in ("slug", "person"):
        value = table.get(key)
        if value is not None and (not value or slugify(value) != value):
            raise SiteError(f"not a valid slug (try {slugify(value)!r})", path, field=f"{where}.{key}")
    links = table.get("links", {})
    if not isinstance(links, dict) or not all(isinstance(v, str) for v in links.values()):
        raise SiteError('must be a table of label = "URL"', path, field=f"{where}.links")
    for label, url in links.items():
        if not re.match(r"(https?://|mailto:)\S+$", url):
            raise SiteError(
                f"expected an http(s) or mailto: URL, got {url!r}", path, field=f"{where}.links.{label}"
            )
    photo = table.get("photo")
    if photo is not None and not (photo.startswith("/") or re.match(r"https?://\S+$", photo)):
        raise SiteError(
            f"expected /path/under/static or an http(s) URL, got {photo!r}", path, field=f"{where}.photo"
        )
    return AuthorEntry(
        " ".join(name.split()),
        table.get("slug"),
        tuple(aliases),
        table.get("bio"),
        photo,
        table.get("person"),
        tuple(links.items()),
    )
