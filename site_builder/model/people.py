"""The site's people directory (``people.toml``): an editor's corrections to extracted people.

Extraction is rules, so an editor needs the last word: which spellings are one person (aliases), which
extracted "names" are not people at all, a default role, a short bio and a fixed slug. Import and build
both ask this directory, so every page agrees. Format::

    not_people = ["Leave a Reply", "Akismet"]     # never people
    [people."Vladimir Putin"]                     # canonical name
    aliases = ["Putin", "Vladimir V. Putin"]      # merged into the canonical name
    role = "President of Russia"                  # optional default role
    bio = "Short editor bio shown on the person page."
    slug = "vladimir-putin"                       # optional

Name lookups ignore case and surrounding spaces. A missing file is an empty directory.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.errors import SiteError
from site_builder.model.slugs import slugify

FILE_NAME = "people.toml"


def _name_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


@dataclass(frozen=True)
class PersonEntry:
    """One ``[people."Name"]`` table."""

    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    bio: str | None = None
    slug: str | None = None


@dataclass(frozen=True, eq=False)
class PeopleDirectory:
    """Read-only view of ``people.toml``; see the module docstring."""

    # Plain dicts (never mutated after loading) so the directory can be sent to worker processes.
    entries: dict[str, PersonEntry] = field(default_factory=dict)  # folded name -> entry
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> canonical name
    not_people: frozenset[str] = frozenset()

    def canonical(self, name: str) -> str | None:
        """The canonical spelling of *name*; *name* itself when unknown; None when it is not a person."""
        key = _name_key(name)
        if not key or key in self.not_people:
            return None
        if key in self.entries:
            return self.entries[key].name
        return self.aliases.get(key, " ".join(str(name).split()))

    def _entry(self, name: str) -> PersonEntry | None:
        canonical = self.canonical(name)
        return self.entries.get(_name_key(canonical)) if canonical else None

    def role(self, name: str) -> str | None:
        """The editor's default role for *name*, if any."""
        entry = self._entry(name)
        return entry.role if entry else None

    def bio(self, name: str) -> str | None:
        """The editor's short bio for *name*, if any."""
        entry = self._entry(name)
        return entry.bio if entry else None

    def slug(self, name: str) -> str:
        """The person's page slug: the editor's choice, else the slug of the canonical name."""
        entry = self._entry(name)
        if entry and entry.slug:
            return entry.slug
        return slugify(self.canonical(name) or name)

    def known_names(self) -> dict[str, str]:
        """Every spelling the editor listed (canonical names and aliases) -> canonical name."""
        names = {entry.name: entry.name for entry in self.entries.values()}
        for entry in self.entries.values():
            names.update({alias: entry.name for alias in entry.aliases})
        return names


def load_people_directory(site_dir: Path) -> PeopleDirectory:
    """Load ``<site_dir>/people.toml``; a missing file gives an empty directory."""
    path = Path(site_dir) / FILE_NAME
    if not path.is_file():
        return PeopleDirectory()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        raise SiteError(f"invalid TOML: {error}", str(path), int(found.group(1)) if found else None) from None
    except UnicodeDecodeError:
        raise SiteError("not UTF-8 text", str(path)) from None
    try:
        return parse_people_directory(data, str(path))
    except SiteError as error:
        error.line = error.line or _field_line(text, error.field or "")
        raise


def _field_line(text: str, field: str) -> int | None:
    """The line of a people.toml field such as ``people.Vladimir Putin.aliases``, for error messages."""
    lines = text.splitlines()
    parts = field.split(".", 1)
    if parts[0] != "people" or len(parts) == 1:
        return next((n for n, line in enumerate(lines, 1) if line.strip().startswith(parts[0])), None)
    name, _, key = parts[1].rpartition(".") if parts[1].count(".") else (parts[1], "", "")
    header = next(
        (n for n, line in enumerate(lines, 1) if line.strip().startswith("[people.") and name in line), None
    )
    if header is None or not key:
        return header
    for number in range(header + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped.startswith("["):
            break
        if stripped.startswith(key):
            return number
    return header


def parse_people_directory(data: dict[str, Any], path: str = FILE_NAME) -> PeopleDirectory:
    """Build a directory from parsed TOML *data*, checking every field's type."""
    not_people = data.get("not_people", [])
    if not isinstance(not_people, list) or not all(isinstance(n, str) for n in not_people):
        raise SiteError("must be a list of names", path, field="not_people")
    people = data.get("people", {})
    if not isinstance(people, dict):
        raise SiteError('must be tables like [people."Name"]', path, field="people")
    entries: dict[str, PersonEntry] = {}
    aliases: dict[str, str] = {}
    for name, table in people.items():
        entry = _entry(name, table, path)
        entries[_name_key(name)] = entry
        for alias in entry.aliases:
            aliases[_name_key(alias)] = entry.name
    return PeopleDirectory(entries, aliases, frozenset(_name_key(n) for n in not_people))


def _entry(name: str, table: Any, path: str) -> PersonEntry:
    if not isinstance(table, dict):
        raise SiteError("must be a table", path, field=f"people.{name}")
    aliases = table.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise SiteError("must be a list of names", path, field=f"people.{name}.aliases")
    for key in ("role", "bio", "slug"):
        if key in table and not isinstance(table[key], str):
            raise SiteError("must be a string", path, field=f"people.{name}.{key}")
    unknown = set(table) - {"aliases", "role", "bio", "slug"}
    if unknown:
        raise SiteError(f"unknown keys {sorted(unknown)}", path, field=f"people.{name}")
    slug = table.get("slug")
    if slug is not None and slugify(slug) != slug:
        raise SiteError(f"not a valid slug (try {slugify(slug)!r})", path, field=f"people.{name}.slug")
    return PersonEntry(" ".join(name.split()), tuple(aliases), table.get("role"), table.get("bio"), slug)
