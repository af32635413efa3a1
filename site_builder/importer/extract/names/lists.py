"""Names listed with people are people: "Mariano Duncan, Darryl Strawberry and Jim Leyritz", and team
sheets of surnames naming several people of the article.
"""

from __future__ import annotations

import re

from site_builder.importer.extract.names.evidence import has_common_word
from site_builder.importer.extract.names.exclusions import is_excluded
from site_builder.importer.extract.names.runs import Candidate


def listed_with_people(found: list[tuple[Candidate, bool]], text: str, common: frozenset[str]) -> list[bool]:
    """Names listed with a person ("Mariano Duncan, Darryl Strawberry and Jim Leyritz") are people.

    Only two-to-three-word runs with nothing excluded qualify; the rule repeats along the list.
    """
    flags = [ok for _, ok in found]
    changed = True
    while changed:
        changed = False
        for index, (candidate, _) in enumerate(found):
            if flags[index] or not _list_shaped(candidate) or has_common_word(candidate, common):
                continue
            for other in (index - 1, index + 1):
                if (
                    0 <= other < len(found)
                    and flags[other]
                    and _listed_together(found[index][0], found[other][0], text)
                ):
                    flags[index] = changed = True
                    break
    return flags


def listed_surnames(found: list[tuple[Candidate, bool]], flags: list[bool], text: str) -> list[bool]:
    """A list of single names ("Given, Breen, Staunton, Irwin, Quinn") naming several people of the
    article by surname is a list of people: its other members are people too.
    """
    surnames = {
        c.tokens[-1].text.casefold()
        for (c, _), ok in zip(found, flags, strict=True)
        if ok and len(c.tokens) > 1
    }
    flags = list(flags)
    for members in _single_name_lists(found, text):
        known = sum(1 for i in members if found[i][0].tokens[0].text.casefold() in surnames)
        if known >= 2 and known / len(members) >= 0.3:
            for i in members:
                flags[i] = flags[i] or not is_excluded(found[i][0])
    return flags


def _single_name_lists(found: list[tuple[Candidate, bool]], text: str) -> list[list[int]]:
    """Indexes of runs of three or more one-word names written as a list."""
    lists: list[list[int]] = []
    current: list[int] = []
    for index, (candidate, _) in enumerate(found):
        single = len(candidate.tokens) == 1 and not candidate.title and not candidate.tokens[0].shout
        if single and current and _listed_together(found[current[-1]][0], candidate, text):
            current.append(index)
            continue
        if len(current) >= 3:
            lists.append(current)
        current = [index] if single else []
    if len(current) >= 3:
        lists.append(current)
    return lists


def _list_shaped(candidate: Candidate) -> bool:
    tokens = candidate.tokens
    return (
        2 <= len(tokens) <= 3
        and not candidate.title
        and not any(t.shout for t in tokens)
        and not is_excluded(candidate)
    )


def _listed_together(a: Candidate, b: Candidate, text: str) -> bool:
    first, second = (a, b) if a.tokens[0].start < b.tokens[0].start else (b, a)
    between = text[first.tokens[-1].end : second.tokens[0].start]
    separator = r"\s*(?:,|;|,?\s+and|,?\s+or)\s+(?:\d{1,3}\s*[-.)]\s*)?"
    if "\n" in between:  # a list goes on over a line break only after a comma ("Jim Smith,\nAl Jones")
        return bool(re.fullmatch(r",\s*\n\s*(?:\d{1,3}\s*[-.)]\s*)?", between))
    return bool(re.fullmatch(separator, between))
