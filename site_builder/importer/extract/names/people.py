"""People of an article: candidates judged, merged to their fullest spelling, every mention linked."""

from __future__ import annotations

from dataclasses import dataclass, field

from site_builder.importer.extract.names.evidence import (
    has_common_word,
    lower_case_words,
    person_evidence,
    strong_evidence,
)
from site_builder.importer.extract.names.exclusions import names_a_thing
from site_builder.importer.extract.names.lists import listed_surnames, listed_with_people
from site_builder.importer.extract.names.roles import stated_role
from site_builder.importer.extract.names.runs import REGNAL_NUMBER, Candidate, candidates, is_given_name
from site_builder.importer.extract.names.tokens import Token, tokenize


@dataclass
class Person:
    """A person found in the text: the fullest spelling, a role if stated, and all mention spans."""

    name: str
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    parts: tuple[str, ...] = ()
    first_word_mentions: bool = False  # "Wang" alone is "Wang Donghai" (surname-first order)

    @property
    def surname(self) -> str:
        """The last name word; a regnal number is not one ("Elizabeth I" is found as "Elizabeth")."""
        parts = self.parts or tuple(self.name.split())
        return parts[-2] if len(parts) > 1 and REGNAL_NUMBER.match(parts[-1]) else parts[-1]


def find_people(text: str) -> list[Person]:
    """People in *text*, ordered by first mention, with all mention spans (offsets into *text*)."""
    tokens = tokenize(text)
    runs = list(candidates(text, tokens))
    things = {_key(c) for c in runs if names_a_thing(c)}  # "Zycie Warszawy daily" makes every one a thing
    found = [(c, person_evidence(c) and (strong_evidence(c) or _key(c) not in things)) for c in runs]
    common = lower_case_words(text)
    found = [(c, ok and (strong_evidence(c) or not has_common_word(c, common))) for c, ok in found]
    flags = listed_with_people(found, text, common)
    flags = listed_surnames(found, flags, text)
    people: dict[tuple[str, ...], Person] = {}
    order: list[tuple[str, ...]] = []
    for (candidate, _), is_person in zip(found, flags, strict=True):
        if not is_person:
            continue
        key = _key(candidate)
        person = people.get(key)
        if person is None:
            start, end = candidate.tokens[0].start, candidate.tokens[-1].end
            person = Person(name=_spelling(text[start:end]), parts=key)
            people[key] = person
            order.append(key)
        if person.role is None:
            person.role = stated_role(candidate)
    merged = _merge_short_forms([people[key] for key in order])
    _link_mentions(tokens, merged)
    for person in merged:
        person.mentions = sorted(set(person.mentions))
    return sorted(merged, key=lambda p: p.mentions[0] if p.mentions else (len(text), 0))


def _key(candidate: Candidate) -> tuple[str, ...]:
    return tuple(t.text for t in candidate.tokens)


def _spelling(raw: str) -> str:
    return " ".join(raw.split())


def _merge_short_forms(people: list[Person]) -> list[Person]:
    """Fold "Putin" (from "President Putin") into "Vladimir Putin" when the longer form exists, and a
    lone "Wang" into the one "Wang Donghai" of the article (names written surname first)."""
    people = sorted(people, key=lambda p: -len(p.parts))
    kept: list[Person] = []
    for person in people:
        target = next((k for k in kept if _is_short_form(person.parts, k.parts)), None)
        if target is None:
            target = _first_word_of(person.parts, kept)
            if target is not None:
                target.first_word_mentions = True
        if target is None:
            kept.append(person)
        elif target.role is None:
            target.role = person.role
    return kept


def _is_short_form(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    if not short or short == full or short[-1] != full[-1]:
        return False
    return set(short) <= set(full) or (len(short) == 1)


def _first_word_of(short: tuple[str, ...], kept: list[Person]) -> Person | None:
    """The one longer name of the article that begins with the lone word *short*, if exactly one."""
    if len(short) != 1:
        return None
    matches = [k for k in kept if len(k.parts) >= 2 and k.parts[0] == short[0]]
    return matches[0] if len(matches) == 1 else None


def _link_mentions(tokens: list[Token], people: list[Person]) -> None:
    """Record every mention: full names, surnames alone, possessives, hyphen parts, headline caps."""
    by_first: dict[str, list[tuple[tuple[str, ...], Person]]] = {}
    by_surname: dict[str, list[Person]] = {}
    for person in sorted(people, key=lambda p: -len(p.parts)):
        folded = tuple(w.casefold() for w in person.parts)
        if len(folded) > 1:
            by_first.setdefault(folded[0], []).append((folded, person))
        by_surname.setdefault(person.surname.casefold(), []).append(person)
        if person.first_word_mentions or _family_name_first(person, people):
            by_surname.setdefault(person.parts[0].casefold(), []).append(person)
    folded_tokens = [t.text.casefold() for t in tokens]
    last_seen: dict[str, Person] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        width = _full_mention(folded_tokens, index, by_first.get(folded_tokens[index], ()), last_seen, tokens)
        if width:
            index += width
            continue
        index += 1
        if token.kind != "word" or not token.capital:
            continue
        for part, start in _token_parts(token):
            candidates_ = by_surname.get(part.casefold())
            if candidates_:
                person = last_seen.get(part.casefold()) or candidates_[0]
                person.mentions.append((start, start + len(part)))


def _family_name_first(person: Person, people: list[Person]) -> bool:
    """ "Zhou Minghai": a first word that is no known given name and begins no other name of the
    article is a family name written first, so "Zhou" alone is this person."""
    if len(person.parts) < 2 or is_given_name(person.parts[0]):
        return False
    first = person.parts[0]
    return not any(p is not person and first in (p.parts[:1] + (p.surname,)) for p in people)


def _full_mention(folded, index, options, last_seen, tokens) -> int:
    """Width of the full name starting at *index* (longest first), recording the mention; 0 if none."""
    for parts, person in options:
        width = len(parts)
        if tuple(folded[index : index + width]) == parts:
            person.mentions.append((tokens[index].start, tokens[index + width - 1].end))
            last_seen[person.surname.casefold()] = person
            return width
    return 0


def _token_parts(token: Token) -> list[tuple[str, int]]:
    """A word, or the parts of a hyphenated one ("Trump-Putin" -> "Trump", "Putin")."""
    if "-" not in token.text:
        return [(token.text, token.start)]
    parts, offset = [], token.start
    for piece in token.text.split("-"):
        if piece[:1].isupper():
            parts.append((piece, offset))
        offset += len(piece) + 1
    return parts
