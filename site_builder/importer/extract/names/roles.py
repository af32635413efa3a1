"""The role a text states for a person: before the name ("US Secretary of State") or in apposition
after it (", leader of the party").
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


_ROLE_STOP = re.compile(r"[,;:()\[\]“”\"!?]|(?<![A-Z])\.(?!\w)")


def _role_before(candidate: Candidate) -> str | None:
    pieces = _ROLE_STOP.split(candidate.before)
    tail = pieces[-1] if pieces else ""
    words = tail.split()
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
    while phrase_words and phrase_words[0] in stop and phrase_words[0] not in titles:
        phrase_words.pop(0)
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


_APPOSITION = re.compile(r"^,\s+(?:the\s+|a\s+|an\s+)?([A-Za-z][\w'’ -]{2,60}?)\s*(?=[,.;]|$)")


def _role_after(candidate: Candidate) -> str | None:
    match = _APPOSITION.match(candidate.after)
    if not match:
        return None
    phrase = match.group(1).strip()
    words = phrase.split()
    if not words or len(words) > 7 or words[0] in ("who", "which", "whose", "where", "and", "but"):
        return None
    if words[-1] in lexicon.role_nouns() or words[-1] in lexicon.titles():
        return phrase.replace("’", "'")
    return None
