"""One person, one name across an archive.

Articles are extracted one by one; this pass looks at all those imported together (and at the names of
those imported before) so that:

- spellings of one person that differ only in middle initials ("George Bush", "George W Bush",
  "George W. Bush") become the most used one;
- a surname alone ("Bush", "Putin") joins the one full name of the archive that ends with it, when
  there is exactly one (after the step above);
- the same person twice in one article is merged.

Names listed in people.toml are the editor's and are left alone.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable

from site_builder.importer.extract import ExtractedArticle, ExtractedPerson
from site_builder.model.people import PeopleDirectory

_INITIAL = re.compile(r"(?:[A-Z]\.?){1,3}")


class FullNames:
    """The names seen so far, counted.

    Give it every article first (:meth:`add`), then :meth:`unify` each (the articles can be streamed
    from a spool in between: only names are kept here).
    """

    def __init__(self, directory: PeopleDirectory, known: Iterable[str] = ()) -> None:
        self.directory = directory
        self.counts: Counter[str] = Counter()
        self.known = [sys.intern(name) for name in known]
        self._spelling: dict[str, str] | None = None
        self._by_surname: dict[str, set[str]] = {}

    def add(self, article: ExtractedArticle) -> None:
        self.counts.update(sys.intern(person.name) for person in article.people)

    def unify(self, article: ExtractedArticle) -> None:
        """Rename the article's people to the archive's one spelling (see the module docstring)."""
        spelling = self._spellings()
        editors = self.directory.known_names()
        for person in article.people:
            if person.name in editors:
                continue
            new = spelling.get(person.name)
            if new is None and " " not in person.name:
                options = self._by_surname.get(person.name.casefold(), set())
                new = next(iter(options)) if len(options) == 1 else None
            if new and new != person.name:
                _rename(article, person, new, self.directory)
        _merge_same_name(article)

    def _spellings(self) -> dict[str, str]:
        """Worked out once, after every :meth:`add`: the spelling map and the full names by surname."""
        if self._spelling is None:
            counts = Counter(self.counts)
            counts.update(name for name in self.known if name not in counts)
            self._spelling = one_spelling(counts, set(self.directory.known_names()))
            for name in counts:
                words = name.split()
                if len(words) > 1:
                    canonical = self._spelling.get(name, name)
                    self._by_surname.setdefault(words[-1].casefold(), set()).add(canonical)
        return self._spelling


def one_spelling(counts: Counter[str], editors: set[str]) -> dict[str, str]:
    """Names that differ only in middle initials -> the most used of them (then the longest).

    "George Bush" and "George W Bush" are one person; "George Bush" and "Laura Bush" are not, and
    neither are "Ali Khan" and "Ali Akbar Khan" (a middle name can tell two people apart).
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for name in counts:
        words = name.split()
        if len(words) > 1 and name not in editors and all(_INITIAL.fullmatch(w) for w in words[1:-1]):
            groups.setdefault((words[0].casefold(), words[-1].casefold()), []).append(name)
    spelling: dict[str, str] = {}
    for names in groups.values():
        if len(names) < 2:
            continue
        best = max(names, key=lambda n: (counts[n], len(n), n))
        for name in names:
            if name != best:
                spelling[name] = best
    return spelling


def _rename(article: ExtractedArticle, person: ExtractedPerson, new: str, directory: PeopleDirectory) -> None:
    old, person.name = person.name, new
    person.slug = directory.slug(new)
    for quote in article.quotes:
        if quote["speaker"] == old:
            quote["speaker"] = new


def _merge_same_name(article: ExtractedArticle) -> None:
    merged: dict[str, ExtractedPerson] = {}
    for person in article.people:
        if person.name in merged:
            first = merged[person.name]
            first.mentions = sorted(set(first.mentions) | set(person.mentions))
            first.role = first.role or person.role
        else:
            merged[person.name] = person
    article.people = list(merged.values())
