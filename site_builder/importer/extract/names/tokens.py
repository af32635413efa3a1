"""Tokens a name can be made of: capitalised words, initials and name particles, with offsets.

Other words are never tokens, so two tokens are adjacent only when nothing but spaces separates them.
Words of all-capitals lines (headlines) are marked: they only link to names found elsewhere.
"""

from __future__ import annotations

import re

# A word (letters, inner apostrophes and hyphens), a run of initials ("P. ", "J.R. "), or anything else.
# Only the tokens a name can be made of: initials ("P. ", "J.R. "), capitalised words (also "al-Saadani"),
# and the lower-case particles and joiners allowed inside names. Other words are never tokens, so two
# tokens are adjacent only when nothing but spaces separates them.
_UPPER_START = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u0391-\u03a9\u0400-\u042f"
_TOKEN = re.compile(
    r"(?P<initials>(?<![\w.])(?:[A-Z]\.[ \t]?){1,3}"
    r"(?=[A-Z][a-z'’]|(?:de|da|di|van|von|del|le|la)[ \t]?[A-Z]))"
    r"|(?<![\w'’-])(?P<word>(?:["
    + _UPPER_START
    + r"]|(?:al|el|bin|ibn|abu|d|de|di|da|du|ul|ur|ud)[-'’](?=[A-Z]))"
    r"[^\W_]*(?:['’\-][^\W_]+)*)"
    r"|(?<![\w'’-])(?P<part>(?:van|von|de|der|den|del|della|di|da|dos|das|du|le|la|bin|ibn|al|el|ter|ten|zu|af|y|wa"
    r"|of|for)\b)"
)
_ACRONYMS = {"U.S.", "U.N.", "U.K.", "E.U.", "U.S.A.", "U.A.E.", "A.M.", "P.M."}
PARTICLES = {
    "van",
    "von",
    "de",
    "der",
    "den",
    "del",
    "della",
    "di",
    "da",
    "dos",
    "das",
    "du",
    "le",
    "la",
    "bin",
    "ibn",
    "al",
    "el",
    "ter",
    "ten",
    "zu",
    "af",
    "y",
    "wa",
}
_LOWER = re.compile(r"[^\W\d_A-Z]")  # any lower-case letter (not upper, digit or underscore)
_UPPER = re.compile(r"[A-Z]")
_NAME_PREFIX = re.compile(r"^(?:al|el|bin|ibn|abu|d|de|di|da|du|ul|ur|ud)[-'’][A-Z]")
POSSESSIVE = re.compile(r"['’][sS]$")


class Token:
    """One word of the text with its character span and what we know about it (slots: many per text)."""

    __slots__ = ("text", "start", "end", "kind", "possessive", "shout", "capital")

    def __init__(self, text: str, start: int, end: int, kind: str) -> None:
        self.text, self.start, self.end, self.kind = text, start, end, kind
        self.possessive = False
        self.shout = False  # from an all-capitals line (a headline): only linked, never a new person
        self.capital = kind == "initials" or (
            kind == "word" and (text[:1].isupper() or bool(_NAME_PREFIX.match(text)))
        )

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


def tokenize(text: str) -> list[Token]:
    """Split *text* into tokens, marking possessives and words of all-capitals lines."""
    tokens: list[Token] = []
    shout_lines = _shout_line_ranges(text)
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        value, start, end = match.group(), match.start(), match.end()
        if kind == "part":
            kind = "word"
        elif kind == "word" and not (value[:1].isupper() or _NAME_PREFIX.match(value)):
            continue  # a lower-case letter in the Latin Extended range
        if kind == "initials":
            value = value.rstrip()
            end = start + len(value)
            if value.replace(" ", "") in _ACRONYMS:
                kind = "word"
        token = Token(value, start, end, kind)
        if kind == "word" and len(value) > 2 and POSSESSIVE.search(value):
            token.text, token.end, token.possessive = value[:-2], end - 2, True
        if shout_lines and kind == "word" and _inside(start, shout_lines):
            token.shout = True
            token.text = _title_case(token.text)
        tokens.append(token)
    return tokens


def _shout_line_ranges(text: str) -> list[tuple[int, int]]:
    """Spans of lines written all in capitals (headlines), whose words are not names as written."""
    ranges = []
    offset = 0
    for line in text.split("\n"):
        if not _LOWER.search(line) and len(_UPPER.findall(line)) >= 4:
            ranges.append((offset, offset + len(line)))
        offset += len(line) + 1
    return ranges


def _inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in ranges)


def _title_case(word: str) -> str:
    """ "MCCARTHY" -> "Mccarthy" would never match; keep the case-folded form for linking instead."""
    return word[:1] + word[1:].lower()
