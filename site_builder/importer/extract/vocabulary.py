"""One topic, one tag: synonyms folded to a canonical tag, and tags a site never wants.

The shipped synonyms are data (data/tag_synonyms.txt: "Conservative Party: Tories | Conservatives");
a site extends them in ``tags.toml`` beside ``site.toml``::

    not_tags = ["Daily Example"]                       # never a tag (the publisher, a sponsor)
    [synonyms]
    "Conservative Party" = ["Tories", "Conservatives"]  # folded into the first spelling

Tags made from folder names (``--tag-from-folder``) are shown title-cased ("business" -> "Business")
with the same slug, so existing tag URLs do not change.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from site_builder.errors import SiteError
from site_builder.model.slugs import slugify

SITE_FILE = "tags.toml"


@dataclass(frozen=True)
class TagVocabulary:
    """Synonyms (case-folded spelling -> canonical tag) and tags never wanted (case-folded)."""

    synonyms: dict[str, str] = field(default_factory=dict)
    not_tags: frozenset[str] = frozenset()

    def fold(self, tags: Iterable[str], refused: Iterable[str] = ()) -> list[str]:
        """Each tag in its canonical spelling, unwanted ones (and *refused*) dropped, one spelling per
        case-folded form."""
        refused = self.not_tags | {r.casefold() for r in refused}
        kept: dict[str, str] = {}
        for tag in tags:
            canonical = self.synonyms.get(tag.casefold(), tag)
            if canonical.casefold() in refused or tag.casefold() in refused:
                continue
            kept.setdefault(canonical.casefold(), canonical)
        return list(kept.values())

    def extended(self, synonyms: dict[str, str], not_tags: Iterable[str]) -> TagVocabulary:
        return TagVocabulary({**self.synonyms, **synonyms}, self.not_tags | {t.casefold() for t in not_tags})


@cache
def default_vocabulary() -> TagVocabulary:
    """The synonyms shipped with site_builder."""
    data = resources.files("site_builder.importer.extract").joinpath("data", "tag_synonyms.txt")
    synonyms: dict[str, str] = {}
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, _, others = line.partition(":")
        for spelling in [canonical, *others.split("|")]:
            if spelling.strip():
                synonyms[spelling.strip().casefold()] = canonical.strip()
    return TagVocabulary(synonyms)


def load_tag_vocabulary(site_dir: Path | None) -> TagVocabulary:
    """The shipped synonyms plus the site's ``tags.toml`` when it exists; a bad file is a SiteError."""
    vocabulary = default_vocabulary()
    path = Path(site_dir) / SITE_FILE if site_dir is not None else None
    if path is None or not path.is_file():
        return vocabulary
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SiteError(f"not valid TOML: {error}", str(path)) from None
    not_tags = data.get("not_tags", [])
    table = data.get("synonyms", {})
    if not isinstance(not_tags, list) or not all(isinstance(t, str) for t in not_tags):
        raise SiteError("expected a list of strings", str(path), field="not_tags")
    if not isinstance(table, dict):
        raise SiteError("expected a table of tag = [spellings]", str(path), field="synonyms")
    synonyms: dict[str, str] = {}
    for canonical, spellings in table.items():
        if not isinstance(spellings, list) or not all(isinstance(s, str) for s in spellings):
            raise SiteError("expected a list of strings", str(path), field=f"synonyms.{canonical}")
        for spelling in [canonical, *spellings]:
            synonyms[spelling.casefold()] = canonical
    return vocabulary.extended(synonyms, not_tags)


def folder_tag(name: str) -> str:
    """A folder name as a displayed tag: "business" -> "Business", "sci-tech" -> "Sci Tech"; names
    with capitals are kept as written, and so is any name whose slug would change."""
    if name != name.lower():
        return name
    display = " ".join(word.capitalize() for word in re.split(r"[-_\s]+", name) if word)
    return display if display and slugify(display) == slugify(name) else name
