"""The role a text states for a person: before the name ("US Secretary of State") or in apposition
after it (", leader of the party").

A role is a noun phrase in the name's own sentence: it never reaches back over a full stop ("... the
UK. Mr Vetham"), ends before a trailing form of address ("manager Sir Alex" -> "manager"), and a phrase
ending in "of" or "for" ("a spokeswoman for Jane Doe") is someone else's role.
"""

from __future__ import annotations

import re

from site_builder.importer.extract import lexicon
from site_builder.importer.extract.names.runs import Candidate
from site_builder.importer.extract.names.tokens import POSSESSIVE


def stated_role(candidate: Candidate) -> str | None:
    """The role written before the name ("US Secretary of State") or in apposition after it."""
    role = _role_before(candidate)
    return role or _role_after(candidate)


def _words(text: str) -> list[str]:
    return text.split()


_ROLE_STOP = re.compile(r"[,;:()\[\]“”\"!?]|(?<![A-Z])\.(?!\w)")
_LAST_WORD = re.compile(r"[\w'’.-]+$")
_ABBREVIATIONS = frozenset(
    _words("Mr Mrs Ms Dr Gen Sen Rep Gov Lt Col Capt Sgt Cpl St Rev Prof Jr Sr Inc Corp Co Ltd No vs Mt Ft")
)
_ADDRESS = frozenset(
    _words("Mr Mrs Ms Miss Mme Mlle Dr Sir Dame Lord Lady Sheikh Queen King Prince Princess")
)
_LEADING_ADVERBS = frozenset(_words("now then also and but currently"))
_NOT_A_ROLE_START = frozenset(
    _words("who which whose where and but is was are were has had will would said says")
)


def _sentence_tail(before: str) -> str:
    """The text after the last full stop: one after a word ("UK."), not after an initial, "U.S." or "Mr."."""
    stop = before.rfind(".")
    while stop > 0:
        if stop + 1 == len(before) or before[stop + 1].isspace():
            word = _LAST_WORD.search(before, max(0, stop - 40), stop)
            text = word.group() if word else ""
            if len(text) > 1 and text not in _ABBREVIATIONS and "." not in text:
                return before[stop + 1 :]
        stop = before.rfind(".", 0, stop)
    return before


def _role_before(candidate: Candidate) -> str | None:
    pieces = _ROLE_STOP.split(_sentence_tail(candidate.before))
    tail = pieces[-1] if pieces else ""
    words = tail.split()
    if words and words[-1] in ("of", "for") and not candidate.title:
        return None  # "a spokeswoman for Jane Doe": the role of someone else
    roles, titles = lexicon.role_nouns(), lexicon.titles()
    kept: list[str] = []
    for word in reversed(words):
        bare = POSSESSIVE.sub("", word)
        if word[:1].isupper() or word in roles or word in ("of", "for") or bare[:1].isupper():
            kept.insert(0, word)
            continue
        break
    while kept and kept[0] in ("of", "for"):
        kept.pop(0)
    title_words = [t.text for t in candidate.title]
    phrase_words = kept + title_words
    if not phrase_words:
        return None
    stop = lexicon.stopwords()
    while (
        phrase_words
        and (phrase_words[0] in stop or phrase_words[0] in _LEADING_ADVERBS)
        and (phrase_words[0] not in titles)
    ):
        phrase_words.pop(0)
    phrase_words = _without_address(phrase_words, roles, titles)
    has_role = any(w in roles or w.rstrip(".") in titles for w in phrase_words)
    if not has_role:
        return None
    phrase = " ".join(phrase_words).replace("’", "'")
    if phrase.rstrip(".") in lexicon.honorifics():
        return None
    words_only = phrase.split()
    if words_only and words_only[0].rstrip(".") in lexicon.honorifics() and len(words_only) == 1:
        return None
    return phrase


def _without_address(words: list[str], roles: frozenset[str], titles: frozenset[str]) -> list[str]:
    """ "Manchester United manager Sir" -> "Manchester United manager": a form of address that starts
    the name is not part of the role, when a role word is left."""
    kept = list(words)
    while len(kept) > 1 and kept[-1].rstrip(".") in _ADDRESS:
        kept.pop()
    has_role = any(w in roles or (w.rstrip(".") in titles and w.rstrip(".") not in _ADDRESS) for w in kept)
    return kept if has_role and kept != words else words


_APPOSITION = re.compile(r"^,\s+(?:the\s+|a\s+|an\s+)?([A-Za-z][\w'’ -]{2,60}?)\s*(?=[,.;]|$)")


def _role_after(candidate: Candidate) -> str | None:
    match = _APPOSITION.match(candidate.after)
    if not match:
        return None
    phrase = match.group(1).strip()
    words = phrase.split()
    if not words or len(words) > 7 or words[0] in _NOT_A_ROLE_START:
        return None
    if words[-1] in lexicon.role_nouns() or words[-1] in lexicon.titles():
        return phrase.replace("’", "'")
    return None
