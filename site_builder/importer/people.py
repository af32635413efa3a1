"""One person, one name across an archive: "Putin" alone becomes "Vladimir Putin" when that is the
only full name with that surname among the articles imported together and those imported before."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from site_builder.importer.extract import ExtractedArticle, ExtractedPerson
from site_builder.model.people import PeopleDirectory


class FullNames:
    """The full names (two words or more) seen so far, by surname.

    Give it every article first (:meth:`add`), then :meth:`unify` each: an article's surname-only
    person takes the one full name ending with that surname, when there is exactly one. Names the
    editor listed in people.toml are left alone.
    """

    def __init__(self, directory: PeopleDirectory, known: Iterable[str] = ()) -> None:
        self.directory = directory
        self.by_surname: dict[str, set[str]] = {}
        for name in known:
            self._add(name)

    def _add(self, name: str) -> None:
        words = name.split()
        if len(words) > 1:
            self.by_surname.setdefault(words[-1].casefold(), set()).add(sys.intern(name))

    def add(self, article: ExtractedArticle) -> None:
        for person in article.people:
            self._add(person.name)

    def unify(self, article: ExtractedArticle) -> None:
        for person in article.people:
            if " " in person.name or person.name in self.directory.known_names():
                continue
            options = self.by_surname.get(person.name.casefold(), set())
            if len(options) == 1:
                old, person.name = person.name, next(iter(options))
                person.slug = self.directory.slug(person.name)
                for quote in article.quotes:
                    if quote["speaker"] == old:
                        quote["speaker"] = person.name
        _merge_same_name(article)


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
