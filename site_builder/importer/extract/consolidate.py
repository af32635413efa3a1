"""One person, one name across an archive.

Articles are extracted one by one; this pass looks at all of them (and at the names of the articles
already imported) so that:

- spellings of one person that differ only in middle initials ("George Bush", "George W Bush",
  "George W. Bush") become the most used one;
- a surname alone ("Bush", "Putin") joins the one full name of the archive that ends with it, when
  there is exactly one (after the step above);
- the same person twice in one article is merged.

Names listed in people.toml are the editor's and are left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from site_builder.importer.extract import ExtractedArticle, ExtractedPerson
from site_builder.model.people import PeopleDirectory

_INITIAL = re.compile(r"(?:[A-Z]\.?){1,3}")


def unify_people(
    articles: Iterable[ExtractedArticle], directory: PeopleDirectory, known: Iterable[str] = ()
) -> None:
    """Rename people in *articles* in place (see the module docstring); *known* are names already
    in the archive (two words or more)."""
    articles = list(articles)
    counts = Counter(person.name for article in articles for person in article.people)
    counts.update(name for name in known if name not in counts)
    editors = set(directory.known_names())
    spelling = _one_spelling(counts, editors)
    by_surname: dict[str, set[str]] = {}
    for name in counts:
        words = name.split()
        if len(words) > 1:
            by_surname.setdefault(words[-1].casefold(), set()).add(spelling.get(name, name))
    for article in articles:
        for person in article.people:
            if person.name in editors:
                continue
            new = spelling.get(person.name)
            if new is None and " " not in person.name:
                options = by_surname.get(person.name.casefold(), set())
                new = next(iter(options)) if len(options) == 1 else None
            if new and new != person.name:
                _rename(article, person, new, directory)
        _merge_same_name(article)


def _one_spelling(counts: Counter[str], editors: set[str]) -> dict[str, str]:
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
