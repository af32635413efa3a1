"""Whether a name-shaped run is a person: evidence from its title, its words and its context.

A run with a title ("President"), after a role noun ("striker"), starting with initials or a known
given name is a person. So is an unknown two-to-five-word name with newswire context: a ranked result
with "(Country)", an age, "who", a verb of saying, an apposition naming a role (", a former editor"),
"his" or "her" right after it, a scorer's minute ("(57th)"), a scorecard ("c Smith b Jones", bowling
figures), a particle inside it ("Aravinda de Silva", "Inzamam-ul-Haq"). A single word is a person only
with strong evidence: a role noun before it, a role in apposition, a possessive kinship ("Smith's
wife"), a scorer's minute or a scorecard. Exclusions (organisations, places, teams) are in
:mod:`exclusions`.
"""

from __future__ import annotations

import re

from site_builder.importer.extract import lexicon
from site_builder.importer.extract.names.exclusions import CONTRACTION, is_excluded, word_list
from site_builder.importer.extract.names.runs import Candidate, is_given_name
from site_builder.importer.extract.names.tokens import PARTICLES

SPEECH = frozenset(
    word_list(
        "said says told added asked replied declared stated warned insisted explained argued claimed "
        "tweeted wrote noted announced admitted denied stressed urged acknowledged conceded confirmed "
        "quoted"
    )
)
KINSHIP = frozenset(
    word_list(
        "wife husband son daughter sons daughters mother father brother sister brothers sisters widow "
        "widower children parents family colleagues friends friend girlfriend boyfriend fiancee fiance "
        "grandson granddaughter uncle aunt nephew niece cousin"
    )
)
"""Nouns after a possessive that make its owner a person ("Levrentyeva's colleagues")."""
# Role nouns also said of companies and teams: "market leader Diageo", "key rival Sapporo".
SHARED_ROLES = frozenset(
    word_list(
        "leader rival partner owner winner champion seed head chief founder investor finalist runner-up "
        "producer host chair agent"
    )
)
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
_AGE = re.compile(r"^,\s*(?:\d{1,2}\s*,|(?:a|an|aged)\s+\d{1,3}[- ]year[- ]old\b)")
_BRACKET = re.compile(r"^\s*\(([A-Z][\w.' -]{1,30})\)")
_WHO = re.compile(r"^,\s*(?:who|whose)\b")
_BRACKET_ROLE = re.compile(r"^\s*\((?:captain|capt|vice-captain|coach|manager|c|wk)\)")
_YEAR_OLD = re.compile(r"\b\d{1,3}-year-old\s+$")
_SIGN_OFF = re.compile(r"^\s*--\s*$")
_APPOSITION = re.compile(
    r"^,\s+((?:[\w'’-]+\s+){0,5}?[\w'’-]+)\s*(?:[,.;]|$|\s(?:of|for|at|in|to|on|with|who)\b)"
)
_ARTICLES = frozenset(word_list("Le La Les L Un Une El Los Las Il Lo Gli I Der Die Das The De Du Des"))
_ADVERB = re.compile(r"(?:ally|ously|ively|fully|ately|ingly|edly|ently|antly|stly|ssly)$")
"""Endings of sentence adverbs ("Firstly, ...", "Simultaneously, ..."), not of surnames ("Kelly")."""
_FRONTED_PLACE = re.compile(r"(?:^|[.!?]\s+)(?:In|At|From|Across|Outside|Inside|Near|Around)\s+$")
_PREPOSITIONS = frozenset(word_list("of in at to from into with by for on near outside inside across via"))
_APPOSITION_START = frozenset(word_list("a an the former then now also another one his her its their"))
_NOT_IN_APPOSITION = frozenset(word_list("by with from to on into after before as under over than"))
_RANKED = re.compile(r"^\s*(?:\d{1,3}[.)]?|[-*•])\s+$")
_PRONOUN_AFTER = re.compile(
    r"^(?:,\s*(?:with|in)\s+|\s+(?!(?:for|to|by|from|on|in|at|of|with|and|or|as)\b)[a-z][\w'’-]*\s+)"
    r"(?:his|her|himself|herself)\b"
)
"""The name is the subject of "his"/"her" ("X retained his title", "X, with her son", "X, in his 20s")."""
_OF_ORGANISATION_SAID = re.compile(
    r"^\s+of\s+(?:the\s+)?[A-Z][^,.;:\"“”]{0,80}?\s(?:" + "|".join(SPEECH) + r")\b"
)
_LINE_UP_BEFORE = re.compile(r"(?:^|[-–:;,(]|\d)\s*$")
_SUBSTITUTE = re.compile(r"^,\s*\d{1,3}(?:st|nd|rd|th)?\)")
_MINUTE = re.compile(r"^\s*\(?\d{1,3}(?:st|nd|rd|th)\b")
_SCORECARD_BEFORE = re.compile(r"(?:^|[\s(])(?:c|b|st|lbw b|c and b|c & b)\s+$")
_SCORECARD_AFTER = re.compile(
    r"^\s+(?:(?:c|b|st|lbw|run out|not out|retired)\b|\d{1,2}(?:\.\d)?-\d{1,2}-\d{1,3}-\d{1,2}\b)"
)
_HYPHEN_PARTICLE = re.compile(r"^[A-Z][a-z]+-(?:ul|ur|ud|al|el|ad|bin|ibn|e|i)-[A-Z][a-z]+$")


def _words_before(before: str, count: int = 1) -> list[str]:
    """The last words before a name in the same sentence ("crime writer. Writers" has none)."""
    clause = re.split(r"[.!?;:]\s", before)[-1]
    return re.findall(r"[\w'’-]+", clause)[-count:]


def person_evidence(candidate: Candidate) -> bool:
    """Whether a name-shaped run is a person (see the module docstring for the rules)."""
    tokens = candidate.tokens
    if any(t.shout for t in tokens):
        return False
    if len(tokens) == 1 and not candidate.title:
        return _single_word_evidence(candidate)
    if is_excluded(candidate):
        return _country_surname(candidate)
    if candidate.title:
        return True
    previous = _words_before(candidate.before)
    if previous and previous[0] in lexicon.role_nouns():
        return True
    if tokens[0].kind == "initials":
        return len(tokens) >= 2
    if len(tokens) < 2 or len(tokens) > 5:
        return False
    if is_given_name(tokens[0].text) or _particle_inside(candidate):
        return True
    return _context_evidence(candidate) or _sports_evidence(candidate)


def _single_word_evidence(candidate: Candidate) -> bool:
    """A lone word is a person after a role noun, with a role in apposition, a possessive kinship, a
    scorer's minute, in a scorecard, or when shaped like "Inzamam-ul-Haq"."""
    word = candidate.tokens[0].text
    if CONTRACTION.match(word) or is_excluded(candidate):
        return False
    if _HYPHEN_PARTICLE.match(word) or _sports_evidence(candidate):
        return True
    if word.lower() in lower_case_words(candidate.before + candidate.after):
        return False
    previous = _words_before(candidate.before)
    if previous and previous[0] in lexicon.role_nouns() and previous[0] not in SHARED_ROLES:
        return True
    if _kinship(candidate):
        return True
    if _after_preposition(candidate) or _ADVERB.search(word):
        return False  # "run out of London, the mayor of ...", "Firstly, the chairman ..."
    return _apposition_role(candidate.after, shared=False)


def _after_preposition(candidate: Candidate) -> bool:
    """The run is the object of a preposition ("out of London", "In Bethnal Green"): a place, mostly."""
    previous = _words_before(candidate.before)
    return bool(previous) and previous[0].lower() in _PREPOSITIONS


def _country_surname(candidate: Candidate) -> bool:
    """ "director Neil Jordan", "Trevor Holland, a 52-year-old": a given name and a country as surname,
    a person only with a title, a role or an apposition (else "Atlas Bangladesh" would be one)."""
    words = [t.text for t in candidate.tokens]
    countries = lexicon.countries()
    if not (len(words) in (2, 3) and is_given_name(words[0]) and words[-1] in countries):
        return False
    if words[0] in countries or any(w in lexicon.org_words() for w in words):
        return False
    previous = _words_before(candidate.before)
    role_before = bool(previous) and previous[0] in lexicon.role_nouns()
    return (
        bool(candidate.title)
        or role_before
        or _apposition_role(candidate.after)
        or bool(_AGE.match(candidate.after))
    )


def _particle_inside(candidate: Candidate) -> bool:
    """ "Aravinda de Silva", "Joost van der Westhuizen": one or two given names, particles, a surname.

    Titles of works and institutions have the same shape but start with an article ("Le Roi de
    Lahore") or hold more words ("Banca Nazionale del Lavoro", "Un Long Dimanche de Fiancailles").
    """
    words = [t.text for t in candidate.tokens]
    if len(words) < 3 or words[0] in _ARTICLES or words[-1] in lexicon.places():
        return False
    first_particle = next((i for i, w in enumerate(words) if w in PARTICLES and w.islower()), None)
    if first_particle is None or not 1 <= first_particle <= 2:
        return False
    particles = [w for w in words[first_particle:-1]]
    return all(w in PARTICLES and w.islower() for w in particles)


def _kinship(candidate: Candidate) -> bool:
    """ "Smith's wife", "Levrentyeva's colleagues"."""
    following = re.findall(r"[\w'’-]+", candidate.after)[:1]
    return candidate.tokens[-1].possessive and bool(following) and following[0] in KINSHIP


def _apposition_role(after: str, *, shared: bool = True) -> bool:
    """ ", a former editor of ...", ", the Northern Ireland-born actor": a role noun in the apposition."""
    match = _APPOSITION.match(after)
    if not match:
        return False
    words = match.group(1).split()
    roles = lexicon.role_nouns()
    first = words[0]
    if first not in _APPOSITION_START and first not in roles and not first[:1].isupper():
        return False  # ", including best actor ...", ", aka British rapper": not a noun phrase about the name
    if any(w in _NOT_IN_APPOSITION for w in words):
        return False  # ", controlled by a son of ...": the role is someone else's
    return any(w in roles and (shared or w not in SHARED_ROLES) for w in words)


def _context_evidence(candidate: Candidate) -> bool:
    """Newswire context around an unknown two-to-five-word name: rank + (Country), age, speech."""
    after, before = candidate.after, candidate.before
    bracket = _BRACKET.match(after)
    if bracket:
        inside = bracket.group(1).strip()
        if _RANKED.match(before) or inside in lexicon.places() or inside in lexicon.demonyms():
            return True
    if _BRACKET_ROLE.match(after) or _whole_line(candidate):
        return True
    if _AGE.match(after) or _WHO.match(after) or _YEAR_OLD.search(before) or _SIGN_OFF.match(before):
        return True
    fronted_place = _FRONTED_PLACE.search(before)  # "In Bethnal Green, former MP ...": a place
    if (_apposition_role(after) and not fronted_place) or _PRONOUN_AFTER.match(after) or _kinship(candidate):
        return True
    next_words = re.findall(r"[\w'’-]+", after)[:1]
    if (next_words and next_words[0] in SPEECH) or _OF_ORGANISATION_SAID.match(after):
        return True
    previous = _words_before(before)
    return bool(previous and previous[0] in SPEECH)


def _sports_evidence(candidate: Candidate) -> bool:
    """A scorer's minute ("Gomez 86th", "(57th)") or a cricket scorecard ("c Smith b Jones 33").

    A single word needs the minute in a line-up ("Netherlands - Gastel (90th)", "(16 - Gomez 86th)"):
    a ranked list ("toy Tamagotchi (86th)") looks the same otherwise.
    """
    after, before = candidate.after, candidate.before
    if candidate.tokens[-1].possessive:
        return False
    if len(candidate.tokens) == 1 and _MINUTE.match(after) and not _LINE_UP_BEFORE.search(before):
        return bool(_SCORECARD_BEFORE.search(before) or _SCORECARD_AFTER.match(after))
    substitute = before.endswith("(") and _SUBSTITUTE.match(after)  # "(Alama Ieremia, 70)"
    return bool(
        _MINUTE.match(after)
        or substitute
        or _SCORECARD_BEFORE.search(before)
        or _SCORECARD_AFTER.match(after)
    )


def _whole_line(candidate: Candidate) -> bool:
    """A two- or three-word name standing alone on its line: a reporter's sign-off or a byline."""
    return (
        2 <= len(candidate.tokens) <= 3 and not candidate.before.strip() and not candidate.after.strip(" .")
    )


def strong_evidence(candidate: Candidate) -> bool:
    """Evidence that survives common words in the name: a title, a given name, initials."""
    first = candidate.tokens[0]
    return bool(candidate.title) or first.kind == "initials" or is_given_name(first.text)


def lower_case_words(text: str) -> frozenset[str]:
    """Words the article writes in lower case: capitalised, they are probably not names ("Star Wars")."""
    return frozenset(_LOWER_WORD.findall(text))


def has_common_word(candidate: Candidate, common: frozenset[str]) -> bool:
    return any(t.capital and t.kind == "word" and t.text.lower() in common for t in candidate.tokens)
