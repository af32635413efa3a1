"""Byline text to author names, the way a person reads a byline.

"By Jane Doe and John Smith | Updated 2 hours ago" is two people; so is "Anna Schmidt und Peter Müller"
and "Mathatisi Sebusi/Mohalenyane Phakela". "Doe, Jane" is one person, written "Jane Doe". Dates,
times and relative times glued to a name ("Jane DoeMarch 3, 2024", "vor 3 Stunden") are cut, with the
page language's month and day names from Babel; job titles ("Chief Political Correspondent"), places
("in Brussels"), URLs, e-mail addresses, handles, user-name slugs, navigation text ("Home", "Share this
article") and the site's own name are dropped. Organisations keep their whole name ("Marks & Spencer",
"Center for Public Integrity"); all-capital names are put in name case ("Bill MCCARTHY" -> "Bill
McCarthy") while agency codes stay ("AFP", "dpa"). The word lists are data (../data/bylines.txt).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from urllib.parse import urlsplit

from site_builder.importer.extract import lexicon
from site_builder.importer.extract.html.meta import clean_text
from site_builder.importer.extract.html.site_names import is_site_name, name_key

ACCOUNT_NAMES = {"admin", "administrator", "webmaster", "editor", "redaktion", "staff", "user", "guest"}
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:[Ww]ritten\s+)?(?:[Bb]y|BY|[Vv]on|[Pp]or|[Pp]ar|di|[Dd]oor|[Aa][vf])\s+"
    r"|(?i:authors?|autor(?:in|en)?|auteur)\b:?\s*)"
)
"""A byline's lead word; case-sensitive where a name could start with it ("Di Wang")."""
LEAD_INSIDE = re.compile(r"^(?:\S+\s+){1,2}?(?:By|BY|Von|Par|Por|Door)\s+(?=\S+\s+\S)")
"""A lead word after a kicker ("Capital Von Jemima Kelly"), followed by at least two words."""
ROLE_SUFFIX = re.compile(r"\s+(?:기자|특파원|記者|特派員)$")
AGENCY_CODE = re.compile(r"[^\W\d_]{3}|[^\W\d_a-z]{2,5}")
"""A news agency's short name: capitals ("AP", "ANSA") or three letters ("dpa"); a longer
lower-case word is a user name ("jdoe")."""
URL_OR_EMAIL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|\(?@\w+\)?")
URLISH = re.compile(r"(https?://|www\.|\.(?:com|org|net|co\.\w\w)\b|@\w)", re.IGNORECASE)
SEPARATORS = re.compile(r"\s*(?:;|\||/|\s&\s)\s*")
INITIALS_TAIL = re.compile(r"\s*\([\w.]{1,6}\)\s*$")
"""A newsroom's short code after a name: "Elena Muster (emu)"."""
PLACE_TAIL = re.compile(r"\s+(?:in|at)\s+(?:the\s+)?[A-Z][\w. ]*$")
OUTLET_TAIL = re.compile(r"\s+(?:for|from)\s+(?:the\s+)?[A-Z][\w. ]*$")
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
    "ter",
}
MAX_NAME_LENGTH = 60
VOWEL = re.compile(r"[AEIOUYÀ-ÆÈ-ÏÒ-ÖØ-Ý]")


def clean_authors(raw: Iterable[str], site: list[str], language: str | None = None) -> list[str]:
    """Turn raw author strings into distinct person (or agency) names; see the module docstring."""
    out: list[str] = []
    seen: set[str] = set()
    hosts = {n.lower().removeprefix("www.") for n in site if "." in n and " " not in n}
    for value in raw:
        names = split_byline(clean_text(value), language)
        if _links_to(value, hosts) and not any(is_person_name(n, site) for n in names):
            continue  # "Deutsche Welle (www.dw.com)": the publisher signing with its own address
        for name in names:
            key = re.sub(r"[\W_]+", "", name.casefold())
            if key and key not in seen and not is_site_name(name, site):
                seen.add(key)
                out.append(name)
    return out


def _links_to(value: str, hosts: set[str]) -> bool:
    for match in URL_OR_EMAIL.finditer(value):
        text = match.group().lower().split("@")[-1]
        host = urlsplit(text if "//" in text else "//" + text).hostname or ""
        if host.removeprefix("www.") in hosts:
            return True
    return False


def split_byline(text: str, language: str | None = None) -> list[str]:
    """The names in one byline string, in order (see the module docstring)."""
    if not text or URLISH.search(text) and " " not in text.strip():
        return []
    text = " ".join(URL_OR_EMAIL.sub(" ", text).split())
    text = LEAD_INSIDE.sub("", text, count=1) if not BYLINE_PREFIX.match(text) else text
    text = BYLINE_PREFIX.sub("", text)
    text = cut_timestamp(text, language)
    names: list[str] = []
    for chunk in _coauthor_chunks(text):
        names += _comma_parts(chunk)
    return [n for n in (_trim_name(n) for n in names) if n]


def cut_timestamp(text: str, language: str | None = None) -> str:
    """The byline before its date, time, relative time or "Updated" label, without dangling words."""
    text = _unglue(text, language)
    words = text.split(" ")
    calendar = calendar_words(language)
    labels = _label_start()
    for index, word in enumerate(words):
        bare = word.strip(".,;:()|").casefold()
        if word[:1].isdigit():
            return _strip_dangling(" ".join(words[:index]))
        if bare in calendar and any(w[:1].isdigit() for w in words[index + 1 : index + 3]):
            return _strip_dangling(" ".join(words[:index]))
        if index and labels.match(" ".join(words[index:]).casefold()):
            return _strip_dangling(" ".join(words[:index]))
    return text


def _unglue(text: str, language: str | None) -> str:
    """Space between a name and what was glued to it: "Doe2 hours", "DoeMarch 3", "DoeUpdated"."""
    text = re.sub(r"(?<=[a-z\u00df-\u00ff,;|])(?=\d)", " ", text)
    return _glue_pattern(language).sub(" ", text)


@lru_cache(maxsize=32)
def _glue_pattern(language: str | None) -> re.Pattern[str]:
    """A lower-case letter directly followed by a capitalised month, day, label or relative day."""
    words = {w for w in calendar_words(language) if len(w) > 2} | {*_words("label"), *_words("relative")}
    glued = sorted((w for w in words if w[:1].isalpha()), key=len, reverse=True)
    alternatives = "|".join(re.escape(w[:1].upper() + w[1:]) for w in glued)
    return re.compile(f"(?<=[a-z\u00e0-\u00ff])(?=(?:{alternatives})\\b)")


def _strip_dangling(text: str) -> str:
    """Drop trailing connectors and punctuation left before a cut timestamp ("Max Muster vor")."""
    words = text.split()
    while words and (words[-1][:1].islower() or not re.search(r"[^\W\d_]", words[-1])):
        words.pop()
    return " ".join(words).strip(" ,;:|-\u2013\u2014")


def _coauthor_chunks(text: str) -> list[str]:
    """Split on separators and on conjunctions in several languages; "&" only between full names."""
    conjunctions = "|".join(re.escape(c) for c in _words("conjunction"))
    pieces = re.split(f"\\s+(?:{conjunctions})\\s+", text)
    chunks: list[str] = []
    for piece in pieces:
        for part in re.split(r"\s*(?:;|\||/)\s*", piece):
            chunks += _split_ampersand(part)
    return [c.strip() for c in chunks if c.strip()]


def _split_ampersand(text: str) -> list[str]:
    """ "Jane Doe & John Smith" is two people; "Marks & Spencer" is one organisation."""
    parts = [p.strip() for p in re.split(r"\s*&\s*", text)]
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        return parts
    return [text]


def _comma_parts(chunk: str) -> list[str]:
    """ "Doe, Jane" is one person; "Jane Doe, Senior Reporter" is a name and a role; else a list."""
    parts = [p.strip() for p in chunk.split(",") if p.strip()]
    if len(parts) == 2 and _is_last_first(parts[0], parts[1]):
        return [f"{parts[1]} {parts[0]}"]
    if len(parts) > 1 and not all(looks_like_name(p) or AGENCY_CODE.fullmatch(p) for p in parts):
        return parts[:1]
    return parts


def _is_last_first(last: str, first: str) -> bool:
    """ "Doe, Jane", "Müller, Anna-Lena", "Doe, J.": a single surname, then given names or initials."""
    if len(last.split()) != 1 or not 1 <= len(first.split()) <= 2 or not last[:1].isupper():
        return False
    names = lexicon.first_names()
    given = [w for w in first.split() if w[:1].isupper()]
    if len(given) != len(first.split()) or last in names:
        return False
    return all(re.fullmatch(r"[A-Z]\.", w) or w in names or w.split("-")[0] in names for w in given)


def _trim_name(name: str) -> str | None:
    """One name without place, outlet, role and navigation words; None when nothing of a name is left."""
    name = PLACE_TAIL.sub("", INITIALS_TAIL.sub("", name).strip(" .,:-\u2013\u2014"))
    outlet = OUTLET_TAIL.search(name)
    if outlet and is_person_name(name[: outlet.start()], []):
        name = name[: outlet.start()]
    name = _strip_roles(ROLE_SUFFIX.sub("", BYLINE_PREFIX.sub("", name)).strip(" .,:-"))
    name = _strip_navigation(name)
    if not name or len(name) > MAX_NAME_LENGTH or URLISH.search(name) or re.search(r"[():@]", name):
        return None
    if not re.search(r"[^\W\d_]", name):
        return None  # no letter at all
    if " " not in name and name == name.lower() and name != name.upper() and not AGENCY_CODE.fullmatch(name):
        return None  # a user name or slug, e.g. "sophie-foster", "aligharib"
    if name.lower() in ACCOUNT_NAMES or _is_role_phrase(name) or re.search(r"(?i)\bauth?or", name):
        return None
    return name_case(name)


def _strip_roles(name: str) -> str:
    """ "Chief Political Correspondent Jane Doe" and "Jane Doe Political Correspondent" -> "Jane Doe"."""
    words = name.split()
    roles = set(_words("role"))
    found = [i for i, w in enumerate(words) if w.casefold().strip(".,") in roles]
    if not found or len(words) < 3:
        return name
    if found[-1] <= len(words) - 3:  # the role comes first, then a name of two words or more
        return " ".join(words[found[-1] + 1 :])
    head = words[: found[0]]
    if not all(w[:1].isupper() for w in head):
        return name  # a newsroom credit ("Guardian staff reporter"), not a person and a role
    modifiers = set(_words("role-modifier"))
    while len(head) > 2 and head[-1].casefold() in modifiers:
        head.pop()
    return " ".join(head) if len(head) >= 2 else name


def _is_role_phrase(name: str) -> bool:
    """A job title with no name ("Senior Reporter", "Staff"): every word a role or its modifier."""
    words = {*_words("role"), *_words("role-modifier")}
    return all(w.casefold() in words for w in name.split())


def _strip_navigation(name: str) -> str:
    """Navigation text is no name ("Home", "Share this article"); "Follow Jane Doe" is "Jane Doe"."""
    navigation = set(_words("navigation"))
    folded = name.casefold()
    if folded in navigation:
        return ""
    words = name.split()
    for width in (3, 2, 1):
        if len(words) > width and " ".join(words[:width]).casefold() in navigation:
            rest = words[width:]
            return "" if all(w[:1].islower() for w in rest) else " ".join(rest)
    return name


def looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 5
        and not _is_role_phrase(text)
        and words[0][:1].isupper()
        and not any(w.casefold() in _words("role") for w in words)
    )


def name_case(name: str) -> str:
    """All-capital names in name case ("JAN VAN DER BERG" -> "Jan van der Berg", "Bill MCCARTHY" ->
    "Bill McCarthy"); agency codes and organisations ("AFP", "MDR THÜRINGEN", "n-tv NACHRICHTEN")
    and names already in mixed case stay as written."""
    words = name.split()
    if len(words) == 1 or any(len(w) <= 3 and w.isupper() and not VOWEL.search(w) for w in words):
        return name
    if name.isupper():
        return " ".join(_word_case(w, first=i == 0) for i, w in enumerate(words))
    if not all(w.isupper() or w[:1].isupper() and w[1:] == w[1:].lower() or w in PARTICLES for w in words):
        return name
    return " ".join(
        _word_case(w, first=i == 0) if w.isupper() and len(w) > 3 else w for i, w in enumerate(words)
    )


def _word_case(word: str, *, first: bool) -> str:
    if not first and word.lower() in PARTICLES:
        return word.lower()
    parts = re.split(r"([-'’])", word.lower())
    cased = "".join(p[:1].upper() + p[1:] if p not in "-'’" else p for p in parts)
    return re.sub(r"^Mc([a-z])", lambda m: "Mc" + m.group(1).upper(), cased)


def is_person_name(name: str, site: list[str]) -> bool:
    """A named person rather than an agency, a newsroom, an organisation or the site itself.

    Single words are not counted as persons: a surname alone, a pen name and an agency look alike.
    """
    words = name.split()
    if not 2 <= len(words) <= 5 or is_site_name(name, site) or _starts_with_site(name, site):
        return False
    org, staff = lexicon.org_words(), set(_words("staff"))
    if any(w in org or w.casefold() in staff for w in words) or name.casefold() in staff:
        return False
    if any(len(w) > 1 and w.isupper() and "." not in w for w in words):
        return False  # an acronym inside: "MDR THÜRINGEN" after name case is still an organisation
    return all(w[:1].isupper() or w in PARTICLES for w in words)


def _starts_with_site(name: str, site: list[str]) -> bool:
    """ "Harbour Gazette Staff", "Ilanga D": an account named after the site."""
    first = name_key(name.split()[0])
    return len(first) >= 4 and any(name_key(s) == first or name_key(s).startswith(first) for s in site)


@lru_cache(maxsize=32)
def calendar_words(language: str | None) -> frozenset[str]:
    """Month and day names (wide and abbreviated) in English and the page's language, from Babel."""
    from babel import Locale, UnknownLocaleError

    codes = {"en", (language or "en").replace("_", "-").split("-")[0].lower()}
    words: set[str] = set()
    for code in codes:
        try:
            locale = Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            continue
        for table in (locale.months, locale.days):
            for context in ("format", "stand-alone"):
                for width in ("wide", "abbreviated"):
                    words.update(n.casefold().rstrip(".") for n in table[context][width].values())
    return frozenset(words)


@cache
def _words(kind: str) -> tuple[str, ...]:
    return lexicon.byline_words().get(kind, ())


@cache
def _label_start() -> re.Pattern[str]:
    """A label or relative day ("updated", "yesterday") as whole words at the start of a string."""
    phrases = sorted({*_words("label"), *_words("relative")}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")
