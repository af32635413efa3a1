"""Name-shaped runs of tokens, split into a leading title ("Foreign Minister") and the name itself.

A :class:`Candidate` is such a name with the text around it on its line, which the evidence rules read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

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
    """Nothing but a space between two tokens, or the full stop of a title ("Mr. Smith", "Dr. Lee")."""
    gap = text[left.end : right.start]
    if gap in ("", " ", "\t") or (left.kind == "initials" and gap.strip() == ""):
        return True
    return gap == ". " and left.text in lexicon.titles()


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
    named = len(run) > 1 and is_given_name(run[0].text)  # only matters inside a longer run
    context = _TitleContext(named, _regnal(run), _word_lists())
    while cut > 0 and not _ends_title(run, cut, context):
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
    if len(run) < 2 or run[-1].text[:1] not in "IVX" or not REGNAL_NUMBER.match(run[-1].text):
        return False
    return is_given_name(run[0].text) or any(t.text in lexicon.titles() for t in run[:-1])


class _WordLists(NamedTuple):
    titles: frozenset[str]
    demonyms: dict[str, str]
    roles: frozenset[str]
    never_in_name: frozenset[str]  # organisation words, sentence starters, "of"


@cache
def _word_lists() -> _WordLists:
    never = lexicon.org_words() | lexicon.stopwords() | frozenset(_JOINERS)
    return _WordLists(lexicon.titles(), lexicon.demonyms(), lexicon.role_nouns(), never)


class _TitleContext(NamedTuple):
    """What :func:`_ends_title` needs about the whole run, worked out once per run."""

    named: bool  # the run starts with a known given name
    regnal: bool  # the run ends with a regnal number ("Elizabeth II")
    lists: _WordLists


def _ends_title(run: list[Token], cut: int, context: _TitleContext) -> bool:
    """Whether ``run[cut - 1]`` cannot be part of the name, so the name starts after it.

    Checked for every word of every run, so the cheap set lookups come first.
    """
    token = run[cut - 1]
    word = token.text
    last = cut == len(run)
    if word in PARTICLES and word.islower() and cut > 1 and not last:
        return False  # "van", "der" inside "Joost van der Westhuizen"
    if last and context.regnal:
        return False
    lists = context.lists
    if word in lists.never_in_name:
        return True  # an organisation word, a sentence starter, "of"
    named_inside = context.named and cut > 1  # "John Major", "Richard Finn": not a title or nationality
    bare = word.rstrip(".")
    if bare in lists.titles and not (last and named_inside):
        return True
    if word in lists.demonyms and not named_inside and not (cut == 1 and demonym_first_name(run)):
        return True  # "Christian Blanc", "German Villa" start with a given name
    if word.lower() in lists.roles and not named_inside:
        return True  # "Economist Joel Naroff"
    if len(word) > 1 and word.isupper() and "." not in word and not ROMAN_NUMERAL.match(word):
        return True  # an acronym
    if word.startswith(("Ex-", "Former-", "Anti-", "Pro-")):
        return True  # "Ex-Yankee Randy Velarde"
    # "Man-of-the-match Duff", "Fly-half Charlie Hodgson" (but "Kim In-so", "Kang Young-hoon" end names)
    if not last and _lower_compound(word):
        return True
    return token.possessive and not last


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
