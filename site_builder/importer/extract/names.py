"""People named in an article: canonical full names, stated roles and every mention's offsets.

No model is needed. Names are runs of capitalised words; a run is a person when it carries evidence:

- a title before it ("Mr", "President", "Foreign Minister") or a role noun ("spokesman Dmitry Peskov");
- a known given name first ("Donald Trump"; gender-guesser's 48,000 names plus our own list);
- initials ("P. Simmons");
- newswire context: "(Country)" after a ranked results line, an age (", 35,"), "who", a verb of saying,
  an apposition with a role (", leader of the ..."), "20-year-old ...", a name alone on its line;
- being listed with people ("Mariano Duncan, Darryl Strawberry and Jim Leyritz"; a team sheet of
  surnames of which several are people of the article).

Weak evidence does not count for runs made of words the article also writes in lower case ("Star
Wars"). Runs holding an organisation or place word, a country, a nationality, or a known organisation
("Morgan Stanley", "White House", "Kremlin") are never people. Short mentions ("Mr Peskov", "Trump's",
a headline's "TRUMP", "Trump-Putin") are then linked to the full name written in the same article.
The word lists live in data/ so they can be read and extended.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from site_builder.importer.extract import lexicon

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
_PARTICLES = {
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
_SPEECH = {
    "said",
    "says",
    "told",
    "added",
    "asked",
    "replied",
    "declared",
    "stated",
    "warned",
    "insisted",
    "explained",
    "argued",
    "claimed",
    "tweeted",
    "wrote",
    "noted",
    "announced",
    "admitted",
    "denied",
    "stressed",
    "urged",
    "acknowledged",
    "conceded",
    "confirmed",
    "quoted",
}
_JOINERS = {"of", "for"}  # only after a title or organisation word: "Secretary of State"
_SUFFIXES = {"Jr", "Jr.", "Sr", "Sr.", "Jnr", "Snr"}
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
_LOWER = re.compile(r"[^\W\d_A-Z]")  # any lower-case letter (not upper, digit or underscore)
_UPPER = re.compile(r"[A-Z]")
_CONTEXT = 120  # characters of context kept on each side of a name
_ROMAN = re.compile(r"^[IVX]{1,5}$")
_NOT_NAME_HYPHEN = re.compile(
    r"-(?:based|listed|owned|led|backed|born|made|run|controlled|style|era|type|like|related|linked|bound|"
    r"speaking|funded|sponsored|dominated|registered|designed|built|inspired|friendly|wide|level|class)$"
)
_HYPHEN_PARTICLES = {"ul", "ur", "ud", "ad", "al", "el", "bin", "ibn", "abu", "e", "i", "la", "le", "de"}
_NOT_NAME_WORD = re.compile(r"^(?:[A-Z]{2,}[a-z]{2,}\w*|[A-Z]{2,}s)$")  # "JPMorgan", "MPs"
_NAME_PREFIX = re.compile(r"^(?:al|el|bin|ibn|abu|d|de|di|da|du|ul|ur|ud)[-'’][A-Z]")
_POSSESSIVE = re.compile(r"['’][sS]$")
_AGE = re.compile(r"^,\s*\d{1,2}\s*,")
_BRACKET = re.compile(r"^\s*\(([A-Z][\w.' -]{1,30})\)")
_WHO = re.compile(r"^,\s*(?:who|whose)\b")
_RANK = re.compile(r"(?:^|\n)\s*\d{1,3}[.)-]?\s*$")


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


@dataclass
class Person:
    """A person found in the text: the fullest spelling, a role if stated, and all mention spans."""

    name: str
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    parts: tuple[str, ...] = ()

    @property
    def surname(self) -> str:
        return self.parts[-1] if self.parts else self.name.split()[-1]


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
        if kind == "word" and len(value) > 2 and _POSSESSIVE.search(value):
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


@dataclass
class _Candidate:
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
            and (token.text in _PARTICLES or (token.text in _JOINERS and _joins(run[-1])))
            and joined
            and index + 1 < len(tokens)
            and tokens[index + 1].capital
            and _adjacent(token, tokens[index + 1], text)
        ):
            run.append(token)
            continue
        if run:
            yield run
        run = [token] if token.capital else []
    if run:
        yield run


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
    titles, org, stop, demonyms = (
        lexicon.titles(),
        lexicon.org_words(),
        lexicon.stopwords(),
        lexicon.demonyms(),
    )
    while len(run) > 2 and run[-1].text in _SUFFIXES:
        run = run[:-1]
    while run and run[-1].text in stop and not run[-1].possessive:  # "Insulza Monday"
        run = run[:-1]
    if not run:
        return [], []
    cut = len(run)
    named = _given_name(run[0].text)
    while cut > 0:
        word = run[cut - 1].text
        bare = word.rstrip(".")
        last_title = (
            bare in titles and cut == len(run) and named and cut > 1
        )  # "John Major", "Billie Jean King"
        demonym = word in demonyms and not (named and cut > 1)  # "Richard Finn", "Viorel Moldovan"
        if demonym and cut == 1 and _demonym_first_name(run):  # "Christian Blanc", "German Villa"
            demonym = False
        acronym = len(word) > 1 and word.isupper() and "." not in word and not _ROMAN.match(word)
        acronym = acronym or word.startswith(("Ex-", "Former-", "Anti-", "Pro-"))  # "Ex-Yankee Randy Velarde"
        # "Man-of-the-match Duff", "Fly-half Charlie Hodgson" (but "Kim In-so", "Kang Young-hoon" end names)
        acronym = acronym or (cut < len(run) and _lower_compound(word))
        role = word.lower() in lexicon.role_nouns() and not (named and cut > 1)  # "Economist Joel Naroff"
        if (
            (bare in titles and not last_title)
            or role
            or acronym
            or word in org
            or word in stop
            or demonym
            or word in _JOINERS
        ):
            break
        if run[cut - 1].possessive and cut < len(run):
            break
        cut -= 1
    head, tail = run[:cut], run[cut:]
    if not tail:
        return [], []
    if head and head[-1].text not in _JOINERS and _has_title(head, titles):
        if _role_word_title(head, titles) and len(tail) == 1 and not _given_name(tail[0].text):
            return [], []  # "Mother Nature", "Wife Swap": a capitalised noun, not a title
        if len(tail) == 1 and _is_role_word(tail[0].text, titles):
            return [], []  # "The Lord Chancellor", "Chief Police Officers"
        return head, tail
    if head and head[-1].text in org:
        return [], []  # "Georgia Power Co Jim Smith" is not a title; the tail is unsafe too
    return [], tail


def _demonym_first_name(run: list[Token]) -> bool:
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
        part[:1].islower() and part not in _PARTICLES and part not in _HYPHEN_PARTICLES for part in parts
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


def candidates(text: str, tokens: list[Token]) -> Iterable[_Candidate]:
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
        yield _Candidate(rest, title, before, after)


def _words_before(before: str, count: int = 1) -> list[str]:
    """The last words before a name in the same sentence ("crime writer. Writers" has none)."""
    clause = re.split(r"[.!?;:]\s", before)[-1]
    return re.findall(r"[\w'’-]+", clause)[-count:]


def _words(text: str) -> list[str]:
    """A word list written as one string (easier to read and extend than a column of quotes)."""
    return text.split()


_NOT_AFTER_PERSON = {
    "airport",
    "stadium",
    "hotel",
    "street",
    "avenue",
    "road",
    "square",
    "bridge",
    "university",
    "college",
    "school",
    "hospital",
    "company",
    "group",
    "bank",
    "fund",
    "airline",
    "airlines",
    "foundation",
    "institute",
    "centre",
    "center",
    "prize",
    "award",
    "trophy",
    "cup",
    "memorial",
    "building",
    "tower",
    "park",
    "station",
    "index",
    "shares",
    "stock",
    "brand",
    "river",
    "doctrine",
    "plan",
    "report",
    "administration",
    "government",
    "era",
    "years",
    "carrier",
    "class",
    *_words(
        "magazine newspaper programme program show series film movie novel book album song label festival "
        "gallery museum theatre theater castle palace beach island channel network website blog act "
        "brothers sisters partners associates firm chain"
    ),
}


def _is_excluded(candidate: _Candidate) -> bool:
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
    first_ok = _demonym_first_name(candidate.tokens)
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
    return any(w.isupper() and len(w) > 1 and "." not in w and not _ROMAN.match(w) for w in words)


def _person_evidence(candidate: _Candidate) -> bool:
    """Whether a name-shaped run is a person (see the module docstring for the rules)."""
    tokens = candidate.tokens
    if any(t.shout for t in tokens):
        return False
    if len(tokens) == 1 and not candidate.title:  # a lone word is a person only after a role noun
        previous = _words_before(candidate.before)
        human = previous and previous[0] in lexicon.role_nouns() and previous[0] not in _SHARED_ROLES
        human = human and tokens[0].text.lower() not in _common_words(candidate.before + candidate.after)
        return bool(human) and not _CONTRACTION.match(tokens[0].text) and not _is_excluded(candidate)
    if _is_excluded(candidate):
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
    if _given_name(tokens[0].text):
        return True
    return _context_evidence(candidate)


def _whole_line(candidate: _Candidate) -> bool:
    """A two- or three-word name standing alone on its line: a reporter's sign-off or a byline."""
    return (
        2 <= len(candidate.tokens) <= 3 and not candidate.before.strip() and not candidate.after.strip(" .")
    )


def _given_name(word: str) -> bool:
    """A known given name, also as the first part of a hyphenated one ("Joe-Max", "Jean-Michel")."""
    names = lexicon.first_names()
    return word in names or ("-" in word and word.split("-", 1)[0] in names)


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


def _context_evidence(candidate: _Candidate) -> bool:
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


def _strong(candidate: _Candidate) -> bool:
    """Evidence that survives common words in the name: a title, a given name, initials."""
    first = candidate.tokens[0]
    return bool(candidate.title) or first.kind == "initials" or _given_name(first.text)


def _common_words(text: str) -> frozenset[str]:
    """Words the article writes in lower case: capitalised, they are probably not names ("Star Wars")."""
    return frozenset(_LOWER_WORD.findall(text))


def _has_common_word(candidate: _Candidate, common: frozenset[str]) -> bool:
    return any(t.capital and t.kind == "word" and t.text.lower() in common for t in candidate.tokens)


def _coordinated(found: list[tuple[_Candidate, bool]], text: str, common: frozenset[str]) -> list[bool]:
    """Names listed with a person ("Mariano Duncan, Darryl Strawberry and Jim Leyritz") are people.

    Only two-to-three-word runs with nothing excluded qualify; the rule repeats along the list.
    """
    flags = [ok for _, ok in found]
    changed = True
    while changed:
        changed = False
        for index, (candidate, _) in enumerate(found):
            if flags[index] or not _list_shaped(candidate) or _has_common_word(candidate, common):
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


def _listed_surnames(found: list[tuple[_Candidate, bool]], flags: list[bool], text: str) -> list[bool]:
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
                flags[i] = flags[i] or not _is_excluded(found[i][0])
    return flags


def _single_name_lists(found: list[tuple[_Candidate, bool]], text: str) -> list[list[int]]:
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


def _list_shaped(candidate: _Candidate) -> bool:
    tokens = candidate.tokens
    return (
        2 <= len(tokens) <= 3
        and not candidate.title
        and not any(t.shout for t in tokens)
        and not _is_excluded(candidate)
    )


def _listed_together(a: _Candidate, b: _Candidate, text: str) -> bool:
    first, second = (a, b) if a.tokens[0].start < b.tokens[0].start else (b, a)
    between = text[first.tokens[-1].end : second.tokens[0].start]
    separator = r"\s*(?:,|;|,?\s+and|,?\s+or)\s+(?:\d{1,3}\s*[-.)]\s*)?"
    return bool(re.fullmatch(separator, between)) and "\n" not in between


def _role(candidate: _Candidate) -> str | None:
    """The role written before the name ("US Secretary of State") or in apposition after it."""
    role = _role_before(candidate)
    return role or _role_after(candidate)


_ROLE_STOP = re.compile(r"[,;:()\[\]“”\"!?]|(?<![A-Z])\.(?!\w)")


def _role_before(candidate: _Candidate) -> str | None:
    pieces = _ROLE_STOP.split(candidate.before)
    tail = pieces[-1] if pieces else ""
    words = tail.split()
    roles, titles = lexicon.role_nouns(), lexicon.titles()
    kept: list[str] = []
    for word in reversed(words):
        bare = _POSSESSIVE.sub("", word)
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


def _role_after(candidate: _Candidate) -> str | None:
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


def find_people(text: str) -> list[Person]:
    """People in *text*, ordered by first mention, with all mention spans (offsets into *text*)."""
    tokens = tokenize(text)
    found = [(candidate, _person_evidence(candidate)) for candidate in candidates(text, tokens)]
    common = _common_words(text)
    found = [(c, ok and (_strong(c) or not _has_common_word(c, common))) for c, ok in found]
    flags = _coordinated(found, text, common)
    flags = _listed_surnames(found, flags, text)
    people: dict[tuple[str, ...], Person] = {}
    order: list[tuple[str, ...]] = []
    for (candidate, _), is_person in zip(found, flags, strict=True):
        if not is_person:
            continue
        key = tuple(t.text for t in candidate.tokens)
        person = people.get(key)
        if person is None:
            start, end = candidate.tokens[0].start, candidate.tokens[-1].end
            person = Person(name=_spelling(text[start:end]), parts=key)
            people[key] = person
            order.append(key)
        if person.role is None:
            person.role = _role(candidate)
    merged = _merge_short_forms([people[key] for key in order])
    _link_mentions(tokens, merged)
    for person in merged:
        person.mentions = sorted(set(person.mentions))
    return sorted(merged, key=lambda p: p.mentions[0] if p.mentions else (len(text), 0))


def _spelling(raw: str) -> str:
    return " ".join(raw.split())


def _merge_short_forms(people: list[Person]) -> list[Person]:
    """Fold "Putin" (from "President Putin") into "Vladimir Putin" when the longer form exists."""
    people = sorted(people, key=lambda p: -len(p.parts))
    kept: list[Person] = []
    for person in people:
        target = next((k for k in kept if _is_short_form(person.parts, k.parts)), None)
        if target is None:
            kept.append(person)
        elif target.role is None:
            target.role = person.role
    return kept


def _is_short_form(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    if not short or short == full or short[-1] != full[-1]:
        return False
    return set(short) <= set(full) or (len(short) == 1)


def _link_mentions(tokens: list[Token], people: list[Person]) -> None:
    """Record every mention: full names, surnames alone, possessives, hyphen parts, headline caps."""
    by_first: dict[str, list[tuple[tuple[str, ...], Person]]] = {}
    by_surname: dict[str, list[Person]] = {}
    for person in sorted(people, key=lambda p: -len(p.parts)):
        folded = tuple(w.casefold() for w in person.parts)
        if len(folded) > 1:
            by_first.setdefault(folded[0], []).append((folded, person))
        by_surname.setdefault(person.surname.casefold(), []).append(person)
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
