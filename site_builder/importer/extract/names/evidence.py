"""Whether a name-shaped run is a person: exclusions (organisations, places, nationalities) and evidence
(titles, role nouns, given names, initials, newswire context). See the package docstring for the rules.
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


def _words(text: str) -> list[str]:
    """A word list written as one string (easier to read and extend than a column of quotes)."""
    return text.split()


_SPEECH = frozenset(
    _words(
        "said says told added asked replied declared stated warned insisted explained argued claimed "
        "tweeted wrote noted announced admitted denied stressed urged acknowledged conceded confirmed "
        "quoted"
    )
)
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
_NOT_NAME_HYPHEN = re.compile(
    r"-(?:based|listed|owned|led|backed|born|made|run|controlled|style|era|type|like|related|linked|bound|"
    r"speaking|funded|sponsored|dominated|registered|designed|built|inspired|friendly|wide|level|class)$"
)
_NOT_NAME_WORD = re.compile(r"^(?:[A-Z]{2,}[a-z]{2,}\w*|[A-Z]{2,}s)$")  # "JPMorgan", "MPs"
_AGE = re.compile(r"^,\s*\d{1,2}\s*,")
_BRACKET = re.compile(r"^\s*\(([A-Z][\w.' -]{1,30})\)")
_WHO = re.compile(r"^,\s*(?:who|whose)\b")


def _words_before(before: str, count: int = 1) -> list[str]:
    """The last words before a name in the same sentence ("crime writer. Writers" has none)."""
    clause = re.split(r"[.!?;:]\s", before)[-1]
    return re.findall(r"[\w'’-]+", clause)[-count:]


_NOT_AFTER_PERSON = frozenset(
    _words(
        "airport stadium hotel street avenue road square bridge university college school hospital "
        "company group bank fund airline airlines foundation institute centre center prize award trophy "
        "cup memorial building tower park station index shares stock brand river doctrine plan report "
        "administration government era years carrier class magazine newspaper programme program show "
        "series film movie novel book album song label festival gallery museum theatre theater castle "
        "palace beach island channel network website blog act brothers sisters partners associates firm "
        "chain"
    )
)


def is_excluded(candidate: Candidate) -> bool:
    """Organisations, places, nationalities and boilerplate are never people."""
    words = [t.text for t in candidate.tokens]
    joined = " ".join(words)
    if joined.lower() in lexicon.organisations() or joined in lexicon.places():
        return True
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
    if first_word in countries or (
        len(words) > 1 and words[-1] in countries
    ):  # "China Daily", "Tate Britain"
        return True
    if len(words) > 1 and len(words[-1]) == 1 and candidate.tokens[-1].kind == "word":  # "Cooper S"
        return True
    if any(_NOT_NAME_HYPHEN.search(word) for word in words):  # "Hong Kong-based"
        return True
    if any(_NOT_NAME_WORD.match(word) or _CONTRACTION.match(word) for word in words):  # "JPMorgan", "MPs"
        return True
    if candidate.after.lstrip().startswith("&") or candidate.before.rstrip().endswith("&"):
        return True
    following = re.findall(r"[\w'’-]+", candidate.after)[:1]
    possessive = candidate.tokens[-1].possessive
    if (
        following
        and following[0] in _NOT_AFTER_PERSON
        and not possessive
        and not candidate.after.startswith(",")
    ):
        return True
    return any(w.isupper() and len(w) > 1 and "." not in w and not ROMAN_NUMERAL.match(w) for w in words)


def person_evidence(candidate: Candidate) -> bool:
    """Whether a name-shaped run is a person (see the module docstring for the rules)."""
    tokens = candidate.tokens
    if any(t.shout for t in tokens):
        return False
    if len(tokens) == 1 and not candidate.title:  # a lone word is a person only after a role noun
        previous = _words_before(candidate.before)
        human = previous and previous[0] in lexicon.role_nouns() and previous[0] not in _SHARED_ROLES
        human = human and tokens[0].text.lower() not in lower_case_words(candidate.before + candidate.after)
        return bool(human) and not _CONTRACTION.match(tokens[0].text) and not is_excluded(candidate)
    if is_excluded(candidate):
        return False
    if candidate.title:
        return True
    previous = _words_before(candidate.before)
    if previous and previous[0] in lexicon.role_nouns():
        return True
    if tokens[0].kind == "initials":
        return len(tokens) >= 2
    if len(tokens) < 2 or len(tokens) > 5:
        return False
    if is_given_name(tokens[0].text):
        return True
    return _context_evidence(candidate)


def _whole_line(candidate: Candidate) -> bool:
    """A two- or three-word name standing alone on its line: a reporter's sign-off or a byline."""
    return (
        2 <= len(candidate.tokens) <= 3 and not candidate.before.strip() and not candidate.after.strip(" .")
    )


# Role nouns also said of companies and teams: "market leader Diageo", "key rival Sapporo".
_SHARED_ROLES = frozenset(
    _words(
        "leader rival partner owner winner champion seed head chief founder investor finalist runner-up "
        "producer host chair agent"
    )
)
_CONTRACTION = re.compile(r"^[A-Z][a-z]*['’](?:ve|ll|re|m|d|t|s)$")
_BRACKET_ROLE = re.compile(r"^\s*\((?:captain|capt|vice-captain|coach|manager|c|wk)\)")
_YEAR_OLD = re.compile(r"\b\d{1,3}-year-old\s+$")
_SIGN_OFF = re.compile(r"^\s*--\s*$")
_APPOSITION_ROLE = re.compile(
    r"^,\s+(?:the\s+|a\s+|an\s+|its\s+|his\s+|her\s+)?(?:[\w'’-]+\s+){0,3}?([a-z][\w-]+)\b"
)
_RANKED = re.compile(r"^\s*(?:\d{1,3}[.)]?|[-*•])\s+$")


def _context_evidence(candidate: Candidate) -> bool:
    """Newswire context around an unknown two-to-four-word name: rank + (Country), age, speech."""
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
    apposition = _APPOSITION_ROLE.match(after)
    if apposition and apposition.group(1) in lexicon.role_nouns():
        return True
    next_words = re.findall(r"[\w'’-]+", after)[:1]
    if next_words and next_words[0] in _SPEECH:
        return True
    previous = _words_before(before)
    return bool(previous and previous[0] in _SPEECH)


def strong_evidence(candidate: Candidate) -> bool:
    """Evidence that survives common words in the name: a title, a given name, initials."""
    first = candidate.tokens[0]
    return bool(candidate.title) or first.kind == "initials" or is_given_name(first.text)


def lower_case_words(text: str) -> frozenset[str]:
    """Words the article writes in lower case: capitalised, they are probably not names ("Star Wars")."""
    return frozenset(_LOWER_WORD.findall(text))


def has_common_word(candidate: Candidate, common: frozenset[str]) -> bool:
    return any(t.capital and t.kind == "word" and t.text.lower() in common for t in candidate.tokens)
