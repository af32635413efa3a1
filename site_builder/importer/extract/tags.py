"""Tags found in an article: countries, organisations and topics, each in one canonical spelling.

Countries come from pycountry (ISO 3166) plus everyday aliases ("Britain", "U.S.") and nationality
adjectives ("Russian" -> Russia); organisations from capitalised phrases ending in an organisation word
("Security Council", "Labour Party") or a known name ("Kremlin", "Morgan Stanley"); topics from a small
keyword list in data/topics.txt. Only what an article is about makes it: the most frequent few.

A country is a tag when the article is about it: named twice, in the headline, or once as a place ("in
Jordan", "from France"); a given name that is also a country ("Jordan Henderson") and a capitalised
kicker or dateline do not count. Synonyms fold to one tag and the publisher is never one (see
:mod:`vocabulary`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from importlib import resources

from site_builder.importer.extract import lexicon
from site_builder.importer.extract.vocabulary import TagVocabulary, default_vocabulary

MAX_COUNTRIES = 4
MAX_ORGANISATIONS = 3
MAX_TOPICS = 2
_RUN = re.compile(r"[A-Z][\w'’.&-]*(?:[ \t]+(?:of|the|and|for|&|[A-Z][\w'’.&-]*))*")
_STRONG_ORG = {
    "Inc",
    "Corp",
    "Corporation",
    "Ltd",
    "Plc",
    "PLC",
    "Group",
    "Bank",
    "Party",
    "Council",
    "Ministry",
    "Commission",
    "Committee",
    "Agency",
    "University",
    "Association",
    "Federation",
    "Union",
    "Airlines",
    "Airways",
    "Motors",
    "Securities",
    "Institute",
    "Foundation",
    "Organisation",
    "Organization",
    "Parliament",
    "Congress",
    "Senate",
    "Assembly",
    "Court",
    "Army",
    "Police",
    "Department",
    "Authority",
    "Exchange",
    "Fund",
    "Club",
    "United",
    "League",
    "Office",
}


@cache
def _topics() -> tuple[tuple[str, tuple[str, ...]], ...]:
    text = resources.files(__package__).joinpath("data", "topics.txt").read_text(encoding="utf-8")
    topics = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, words = line.partition(":")
            topics.append((name.strip(), tuple(w.strip().lower() for w in words.split(",") if w.strip())))
    return tuple(topics)


def find_tags(
    title: str,
    body: str,
    *,
    people: set[str] | frozenset[str] = frozenset(),
    publishers: Iterable[str] = (),
    vocabulary: TagVocabulary | None = None,
) -> list[str]:
    """Countries, then organisations, then topics the article is about (canonical spellings)."""
    text = _without_names(f"{title}\n\n{body}", people)
    countries: Counter[str] = Counter()
    organisations: Counter[str] = Counter()
    places: set[str] = set()
    country_table, demonyms, known = lexicon.countries(), lexicon.demonyms(), lexicon.organisations()
    shouted = _shouted_lines(text)
    for match in _RUN.finditer(text):
        if shouted and any(start <= match.start() < end for start, end in shouted):
            continue  # "CHINA:" kicker, "ROME 1996-12-06" dateline: not what the article is about
        words = match.group().replace("’", "'").split()
        found: list[str] = []
        _count_ngrams(words, country_table, demonyms, known, found, organisations)
        if found:
            countries.update(found)
            if _PLACE_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
                places.update(found)
        organisation = _organisation(words)
        if organisation and organisation not in people:
            organisations[organisation] += 1
    headline = title if title != title.upper() else ""
    topical = [c for c, n in countries.most_common() if n >= 2 or c in places or c in headline]
    tags = topical[:MAX_COUNTRIES]
    in_title = {name for name in organisations if name in title}
    orgs = [name for name, count in organisations.most_common() if count >= 2 or name in in_title]
    tags += orgs[:MAX_ORGANISATIONS]
    tags += _topic_tags(text)
    return (vocabulary or default_vocabulary()).fold(tags, refused=[p for p in publishers if p])


_NO_ASCII_LOWER_LINE = re.compile(r"^[^a-z\n]{4,}$", re.MULTILINE)
_LETTERS = re.compile(r"[^\W\d_]")
_PLACE_BEFORE = re.compile(
    r"\b(?:in|from|to|into|across|throughout|inside|outside|near|visit(?:ed|ing|s)?)\s+(?:the\s+)?\Z"
)


def _without_names(text: str, people: Iterable[str]) -> str:
    """The text with people's names blanked out: "Jordan Henderson" mentions no country."""
    for name in sorted((p for p in people if " " in p and p in text), key=len, reverse=True):
        text = text.replace(name, " " * len(name))
    return text


def _shouted_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines written in capitals (kickers, datelines, wire headlines)."""
    return [
        match.span()
        for match in _NO_ASCII_LOWER_LINE.finditer(text)
        if match.group() == match.group().upper() and len(_LETTERS.findall(match.group())) >= 4
    ]


def _count_ngrams(words, country_table, demonyms, known, countries: list[str], organisations) -> None:
    """Collect country spellings and nationality adjectives (as countries) and count known
    organisations among the words."""
    index = 0
    starts = _first_words()
    while index < len(words):
        if _bare(words[index]) not in starts:
            index += 1  # no country, nationality or known organisation begins with this word
            continue
        for width in range(min(4, len(words) - index), 0, -1):
            raw = " ".join(words[index : index + width]).rstrip(",").removesuffix("'s")
            phrase = raw.rstrip(".")
            country = country_table.get(raw, country_table.get(phrase))  # "U.S." keeps its full stop
            if country is None and phrase in demonyms:
                country = demonyms[phrase]
            if country is not None:
                if country:
                    countries.append(country)
                index += width
                break
            if phrase.lower() in known and width > 0:
                organisations[known[phrase.lower()]] += 1
                index += width
                break
        else:
            index += 1


def _bare(word: str) -> str:
    return word.rstrip(",").removesuffix("'s").rstrip(".").lower()


@cache
def _first_words() -> frozenset[str]:
    """First words (lower case) of every country spelling, nationality and known organisation."""
    phrases = [*lexicon.countries(), *lexicon.demonyms(), *lexicon.organisations()]
    return frozenset(_bare(phrase.split()[0]) for phrase in phrases if phrase.strip())


def _organisation(words: list[str]) -> str | None:
    """ "the Security Council" -> "Security Council": a capitalised phrase ending in an org word."""
    stop = lexicon.stopwords()
    while words and (words[0] in stop or words[0].lower() in ("of", "the", "and", "for")):
        words = words[1:]
    while words and words[-1].lower() in ("of", "the", "and", "for", "&"):
        words = words[:-1]
    if len(words) < 2 or len(words) > 6:
        return None
    last = words[-1].rstrip(".,").removesuffix("'s")
    if last not in _STRONG_ORG:
        return None
    return " ".join([*words[:-1], last])


def _topic_tags(text: str) -> list[str]:
    """Topics whose keywords occur at least three times (two of them distinct).

    Short keywords match whole words ("war" is not "warn"), longer ones word beginnings ("econom").
    """
    lowered = text.lower()
    exact, prefixes, phrases = _topic_index()
    hits: dict[str, list[str]] = {}
    for word in re.findall(r"[a-z]+", lowered):
        for name, keyword in exact.get(word, ()):
            hits.setdefault(name, []).append(keyword)
        for name, keyword in prefixes.get(word[:5], ()):
            if word.startswith(keyword):
                hits.setdefault(name, []).append(keyword)
    for phrase, name in phrases:
        hits.setdefault(name, []).extend([phrase] * lowered.count(phrase))
    scored = sorted(
        (-len(found), name) for name, found in hits.items() if len(found) >= 3 and len(set(found)) >= 2
    )
    return [name for _, name in scored[:MAX_TOPICS]]


@cache
def _topic_index():
    """Keyword lookup tables: exact words, 5-letter beginnings, and multi-word phrases."""
    exact: dict[str, list[tuple[str, str]]] = {}
    prefixes: dict[str, list[tuple[str, str]]] = {}
    phrases: list[tuple[str, str]] = []
    for name, keywords in _topics():
        for keyword in keywords:
            if " " in keyword:
                phrases.append((keyword, name))
            elif len(keyword) < 5:
                exact.setdefault(keyword, []).append((name, keyword))
                exact.setdefault(keyword + "s", []).append((name, keyword))
            else:
                prefixes.setdefault(keyword[:5], []).append((name, keyword))
    return exact, prefixes, tuple(phrases)
