"""Name-shaped runs that are never people: organisations, places, nationalities, teams and venues.

A run is excluded by its words (an organisation or place word, a country, a nationality, a known
organisation, a place prefix such as "St" or "Fort") or by its context: a thing-noun right after it
("Jackson Hole symposium", "Zycie Warszawy daily"), a definite article right before it ("the Cleveland
Indians"), "v" before it ("v Minor Counties XI") or a score on both sides ("Wigan 42 Bradford Bulls 36").
"""

from __future__ import annotations

import re

from site_builder.importer.extract import lexicon
from site_builder.importer.extract.names.runs import (
    ROMAN_NUMERAL,
    Candidate,
    demonym_first_name,
    is_given_name,
)


def word_list(text: str) -> list[str]:
    """A word list written as one string (easier to read and extend than a column of quotes)."""
    return text.split()


NOT_AFTER_PERSON = frozenset(
    word_list(
        "airport stadium hotel street avenue road square bridge university college school hospital "
        "company group bank fund airline airlines foundation institute centre center prize award trophy "
        "cup memorial building tower park station index shares stock brand river doctrine plan report "
        "administration government era years carrier class magazine newspaper programme program show "
        "series film movie novel book album song label festival gallery museum theatre theater castle "
        "palace beach island channel network website blog act brothers sisters partners associates firm "
        "chain daily weekly symposium conference summit forum"
    )
)
"""Nouns that make the run before them a thing named after someone ("Wembley stadium")."""
PLACE_PREFIXES = frozenset(
    word_list(
        "St St. Ste Ste. San Santa Fort Port Mount Mt Mt. Lake Cape New North South East West Los Las El"
    )
)
"""First words of place names ("St Louis", "Fort Worth", "Cape Town")."""
CONTRACTION = re.compile(r"^[A-Z][a-z]*['’](?:ve|ll|re|m|d|t|s)$")
_NOT_NAME_HYPHEN = re.compile(
    r"-(?:based|listed|owned|led|backed|born|made|run|controlled|style|era|type|like|related|linked|bound|"
    r"speaking|funded|sponsored|dominated|registered|designed|built|inspired|friendly|wide|level|class)$"
)
_NOT_NAME_WORD = re.compile(r"^(?:[A-Z]{2,}[a-z]{2,}\w*|[A-Z]{2,}s)$")  # "JPMorgan", "MPs"
_DEFINITE = re.compile(r"(?:^|[\s(])[Tt]he\s+$")
_ATTRIBUTIVE_NOUN = re.compile(
    r"^\s+(?!(?:and|or|but|of|in|on|at|to|for|with|by|from|as|is|was|are|were|has|had|have|will|would|"
    r"said|says|who|which|that)\b)[a-z][a-z-]+\b(?<!ed)"
)
_VERSUS = re.compile(r"(?:^|\s)(?:v|vs\.?|versus)\s+$")
_SCORE_BEFORE = re.compile(r"[\w)]\s+\d{1,3}\s+$")
_SCORE_AFTER = re.compile(r"^\s+(?:\([^)]{1,30}\)\s+)?\d{1,3}(?:\s|$|[,;.])")


def is_excluded(candidate: Candidate) -> bool:
    """Organisations, places, nationalities, teams and boilerplate are never people."""
    words = [t.text for t in candidate.tokens]
    joined = " ".join(words)
    if joined.lower() in lexicon.organisations() or joined in lexicon.places():
        return True
    if words[0] in PLACE_PREFIXES or _excluded_word(candidate, words):
        return True
    if candidate.after.lstrip().startswith("&") or candidate.before.rstrip().endswith("&"):
        return True
    return _team_or_thing_context(candidate)


def _excluded_word(candidate: Candidate, words: list[str]) -> bool:
    """A word that makes the run an organisation, place or nationality ("Georgia Power", "China Daily")."""
    org, stop, demonyms, countries = (
        lexicon.org_words(),
        lexicon.stopwords(),
        lexicon.demonyms(),
        lexicon.countries(),
    )
    named = words[0] in lexicon.first_names()
    first_ok = demonym_first_name(candidate.tokens)
    if any(
        word in org or (word in demonyms and not (named and i > 0) and not (i == 0 and first_ok))
        for i, word in enumerate(words)
    ):
        return True
    if words[-1] in stop or words[0] in stop:
        return True
    first_word = next((t.text for t in candidate.tokens if t.kind != "initials"), "")
    if _country_in_name(first_word, words, countries):  # "China Daily", "Tate Britain"
        return True
    if len(words) > 1 and len(words[-1]) == 1 and candidate.tokens[-1].kind == "word":  # "Cooper S"
        return True
    if any(_NOT_NAME_HYPHEN.search(word) for word in words):  # "Hong Kong-based"
        return True
    if any(_NOT_NAME_WORD.match(word) or CONTRACTION.match(word) for word in words):  # "JPMorgan", "MPs"
        return True
    return any(w.isupper() and len(w) > 1 and "." not in w and not ROMAN_NUMERAL.match(w) for w in words)


def _country_in_name(first_word: str, words: list[str], countries: dict[str, str]) -> bool:
    """A country first or last ("China Daily", "Tate Britain"), unless it is the given name of a two-
    or three-word name ("Chad Curtis"). A country as surname ("Neil Jordan") needs more evidence
    (see :func:`evidence.person_evidence`)."""
    if len(words) > 1 and words[-1] in countries:
        return True
    return first_word in countries and not (len(words) in (2, 3) and is_given_name(words[0]))


def names_a_thing(candidate: Candidate) -> bool:
    """A thing-noun right after the run ("Wembley stadium", "Zycie Warszawy daily")."""
    following = re.findall(r"[\w'’-]+", candidate.after)[:1]
    if not following or following[0] not in NOT_AFTER_PERSON:
        return False
    return not candidate.tokens[-1].possessive and not candidate.after.startswith(",")


def _team_shaped(candidate: Candidate) -> bool:
    """After "the": a team or thing ("the Minor Counties on Friday", "the Cleveland Indians defeated")
    unless a given name starts it and a noun follows: "the Marc Dutroux case", "the Howard Hughes film"."""
    return not (is_given_name(candidate.tokens[0].text) and _ATTRIBUTIVE_NOUN.match(candidate.after))


def _team_or_thing_context(candidate: Candidate) -> bool:
    """The run names a team, venue or thing by its context (see the module docstring)."""
    if names_a_thing(candidate):
        return True
    if candidate.title:
        return False
    before = candidate.before
    if _VERSUS.search(before) or (_DEFINITE.search(before) and _team_shaped(candidate)):
        return True
    return bool(_SCORE_BEFORE.search(before) and _SCORE_AFTER.match(candidate.after))
