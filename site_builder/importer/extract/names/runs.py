"""Name-shaped runs of tokens, split into a leading title ("Foreign Minister") and the name itself.

A :class:`Candidate` is such a name with the text around it on its line, which the evidence rules read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from site_builder.importer.extract import lexicon
from site_builder.importer.extract.names.tokens import PARTICLES, Token

_JOINERS = {"of", "for"}  # only after a title or organisation word: "Secretary of State"
_SUFFIXES = {"Jr", "Jr.", "Sr", "Sr.", "Jnr", "Snr"}
_CONTEXT = 120  # characters of context kept on each side of a name
ROMAN_NUMERAL = re.compile(r"^[IVX]{1,5}$")
_HYPHEN_PARTICLES = {"ul", "ur", "ud", "ad", "al", "el", "bin", "ibn", "abu", "e", "i", "la", "le", "de"}


@dataclass
class Candidate:
    """A name-shaped run: its name tokens, the title before them and the text around on the line."""

    tokens: list[Token]
    title: list[Token]  # title words inside the run before the name ("President", "Prime Minister")
    before: str  # text before the run on the same line
    after: str  # text after the run on the same line


def _runs(tokens: list[Token], text: str) -> Iterable[list[Token]]:
    """Maximal runs of capitalised words (with name particles) separated only by spaces."""
    run: list[Token] = []
    for index, token in enumerate(tokens):
        joined = bool(run) and _adjacent(run[-1], token, text)
        if token.capital and not (run and run[-1].possessive):
            if run and not joined:
                yield run
                run = []
            run.append(token)
            continue
        if (
            token.kind == "word"
            and run
            and (token.text in PARTICLES or (token.text in _JOINERS and _joins(run[-1])))
            and joined
            and _particles_then_name(tokens, index, text)
        ):
            run.append(token)
            continue
        if run:
            yield run
        run = [token] if token.capital else []
    if run:
        yield run


def _particles_then_name(tokens: list[Token], index: int, text: str) -> bool:
    """Whether particles from *index* on lead to a capitalised word ("van der Westhuizen")."""
    while index + 1 < len(tokens) and _adjacent(tokens[index], tokens[index + 1], text):
        following = tokens[index + 1]
        if following.capital:
            return True
        if following.text not in PARTICLES:
            return False
        index += 1
    return False


def _joins(previous: Token) -> bool:
    """ "of" continues a run only after a title or organisation word ("Bank of England")."""
    word = previous.text
    return word in lexicon.titles() or word in lexicon.org_words()


def _adjacent(left: Token, right: Token, text: str) -> bool:
    gap = text[left.end : right.start]
    return gap in ("", " ", "\t") or (left.kind == "initials" and gap.strip() == "")


def _split_title(run: list[Token]) -> tuple[list[Token], list[Token]]:
    """Split "Security Council President Tono Eitel" into (["...President"], ["Tono", "Eitel"]).

    The name is the longest tail of the run free of titles, organisation words, sentence starters,
    nationalities and "of"; the head counts as a title only when it contains a title word.
    """
    titles, org, stop = lexicon.titles(), lexicon.org_words(), lexicon.stopwords()
    while len(run) > 2 and run[-1].text in _SUFFIXES:
        run = run[:-1]
    while run and run[-1].text in stop and not run[-1].possessive:  # "Insulza Monday"
        run = run[:-1]
    if not run:
        return [], []
    cut = len(run)
    while cut > 0 and not _ends_title(run, cut):
        cut -= 1
    head, tail = run[:cut], run[cut:]
    if not tail:
        return [], []
    if head and head[-1].text not in _JOINERS and _has_title(head, titles):
        if _role_word_title(head, titles) and len(tail) == 1 and not is_given_name(tail[0].text):
            return [], []  # "Mother Nature", "Wife Swap": a capitalised noun, not a title
        if len(tail) == 1 and _is_role_word(tail[0].text, titles):
            return [], []  # "The Lord Chancellor", "Chief Police Officers"
        return head, tail
    if head and head[-1].text in org:
        return [], []  # "Georgia Power Co Jim Smith" is not a title; the tail is unsafe too
    return [], tail


REGNAL_NUMBER = re.compile(r"^(?:II|III|IV|V|VI|VII|VIII|IX|X)$")
"""A regnal number; "I" is left out, it is far more often the pronoun ("Mr Smith I think")."""


def _regnal(run: list[Token]) -> bool:
    """ "King Baudouin II", "Elizabeth II": a roman numeral after a titled or given name is part of it."""
    if len(run) < 2 or not REGNAL_NUMBER.match(run[-1].text):
        return False
    return is_given_name(run[0].text) or any(t.text in lexicon.titles() for t in run[:-1])


def _ends_title(run: list[Token], cut: int) -> bool:
    """Whether ``run[cut - 1]`` cannot be part of the name, so the name starts after it."""
    titles, demonyms = lexicon.titles(), lexicon.demonyms()
    named = is_given_name(run[0].text)
    word = run[cut - 1].text
    if word in PARTICLES and word.islower() and 1 < cut < len(run):
        return False  # "van", "der" inside "Joost van der Westhuizen"
    if cut == len(run) and _regnal(run):
        return False
    bare = word.rstrip(".")
    last_title = bare in titles and cut == len(run) and named and cut > 1  # "John Major", "Billie Jean King"
    demonym = word in demonyms and not (named and cut > 1)  # "Richard Finn", "Viorel Moldovan"
    if demonym and cut == 1 and demonym_first_name(run):  # "Christian Blanc", "German Villa"
        demonym = False
    acronym = len(word) > 1 and word.isupper() and "." not in word and not ROMAN_NUMERAL.match(word)
    acronym = acronym or word.startswith(("Ex-", "Former-", "Anti-", "Pro-"))  # "Ex-Yankee Randy Velarde"
    # "Man-of-the-match Duff", "Fly-half Charlie Hodgson" (but "Kim In-so", "Kang Young-hoon" end names)
    acronym = acronym or (cut < len(run) and _lower_compound(word))
    role = word.lower() in lexicon.role_nouns() and not (named and cut > 1)  # "Economist Joel Naroff"
    if (
        (bare in titles and not last_title)
        or role
        or acronym
        or word in lexicon.org_words()
        or word in lexicon.stopwords()
        or demonym
        or word in _JOINERS
    ):
        return True
    return run[cut - 1].possessive and cut < len(run)


def demonym_first_name(run: list[Token]) -> bool:
    """A nationality word that is also a given name, starting a short name ("Christian Blanc")."""
    words = [t.text for t in run]
    demonyms = lexicon.demonyms()
    return (
        len(words) == 2
        and words[0] in lexicon.first_names()
        and not any(w in demonyms or w in lexicon.org_words() for w in words[1:])
    )


def _lower_compound(word: str) -> bool:
    """A capitalised compound with a lower-case part that is not a name particle ("Fly-half")."""
    if "-" not in word:
        return False
    parts = word.split("-")[1:]
    return any(
        part[:1].islower() and part not in PARTICLES and part not in _HYPHEN_PARTICLES for part in parts
    )


def _role_word_title(head: list[Token], titles: frozenset[str]) -> bool:
    """The head is a title only through a capitalised role noun ("Economist", "Wife")."""
    word = head[-1].text.rstrip(".")
    return word not in titles and word.lower() in lexicon.role_nouns()


def _is_role_word(word: str, titles: frozenset[str]) -> bool:
    bare = word.rstrip(".")
    lowered = bare.lower()
    roles = lexicon.role_nouns()
    return bare in titles or lowered in roles or (lowered.endswith("s") and lowered[:-1] in roles)


def _has_title(head: list[Token], titles: frozenset[str]) -> bool:
    words = [t.text.rstrip(".") for t in head]
    if words[-1].lower() in lexicon.role_nouns():
        return True
    for width in (3, 2, 1):
        for index in range(len(words) - width + 1):
            if " ".join(words[index : index + width]) in titles:
                return True
    return False


def candidates(text: str, tokens: list[Token]) -> Iterable[Candidate]:
    """Name-shaped runs with their title words and surrounding text on the line."""
    for run in _runs(tokens, text):
        title, rest = _split_title(run)
        if not rest:
            continue
        line_start = text.rfind("\n", 0, rest[0].start) + 1
        line_end = text.find("\n", rest[-1].end)
        line_end = len(text) if line_end < 0 else line_end
        begin = title[0].start if title else rest[0].start
        before = text[max(line_start, begin - _CONTEXT) : begin]
        finish = rest[-1].end + (2 if rest[-1].possessive else 0)
        after = text[finish : min(line_end, finish + _CONTEXT)]
        yield Candidate(rest, title, before, after)


def is_given_name(word: str) -> bool:
    """A known given name, also as the first part of a hyphenated one ("Joe-Max", "Jean-Michel")."""
    names = lexicon.first_names()
    return word in names or ("-" in word and word.split("-", 1)[0] in names)
