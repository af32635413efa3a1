"""Word lists behind the extractors, loaded once from the data files in this package.

The lists are data, not code, so an editor can read and extend them; each loader is cached because
the files never change while the program runs (read-only, so the cache is not shared mutable state).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pycountry


def _lines(name: str) -> list[str]:
    """Non-comment, non-empty lines of data file *name*."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _pairs(name: str) -> dict[str, str]:
    """``key = value`` lines of data file *name*; a value "-" maps to the empty string."""
    pairs: dict[str, str] = {}
    for line in _lines(name):
        key, _, value = line.partition("=")
        value = value.strip()
        pairs[key.strip()] = "" if value == "-" else value
    return pairs


def _phrase_lists(name: str) -> dict[str, tuple[str, ...]]:
    """``kind: phrase | phrase`` lines of data file *name*, by kind (lower-cased; kinds may repeat)."""
    lists: dict[str, list[str]] = {}
    for line in _lines(name):
        kind, _, phrases = line.partition(":")
        words = (p.strip().casefold() for p in phrases.split("|"))
        lists.setdefault(kind.strip(), []).extend(w for w in words if w)
    return {kind: tuple(dict.fromkeys(words)) for kind, words in lists.items()}


@cache
def byline_words() -> dict[str, tuple[str, ...]]:
    """What bylines hold besides names, by kind: conjunctions, lead words, labels, relative days,
    job titles and their modifiers, newsroom credits and navigation text (data/bylines.txt)."""
    return _phrase_lists("bylines.txt")


@cache
def titles() -> frozenset[str]:
    """Capitalised titles written before a name ("Mr", "President", "Prime Minister")."""
    return frozenset(_lines("titles.txt"))


@cache
def honorifics() -> frozenset[str]:
    """Titles that say nothing about a role (a "Mr" is not a job)."""
    return frozenset({"Mr", "Mrs", "Ms", "Miss", "Mme", "Mlle", "Dr", "Sir", "Dame", "Lord", "Lady"})


@cache
def role_nouns() -> frozenset[str]:
    """Lower-case nouns naming what a person is ("spokesman", "striker")."""
    return frozenset(_lines("roles.txt"))


@cache
def org_words() -> frozenset[str]:
    """Capitalised words that make a phrase an organisation, place or event."""
    return frozenset(_lines("org_words.txt"))


@cache
def organisations() -> dict[str, str]:
    """Known organisations whose names could pass for people, by lower-cased name."""
    return {name.lower(): name for name in _lines("organisations.txt")}


@cache
def stopwords() -> frozenset[str]:
    """Capitalised words that are never part of a name (sentence starters, days, months)."""
    return frozenset(_lines("stopwords.txt"))


@cache
def demonyms() -> dict[str, str]:
    """Nationality adjective -> country tag ("" when it names no single country)."""
    return _pairs("demonyms.txt")


def _country_display(country) -> str:
    """The short everyday spelling of a pycountry country ("Iran", not "Iran, Islamic Republic of")."""
    name = getattr(country, "common_name", None) or country.name
    return name.split(",")[0].strip()


@cache
def countries() -> dict[str, str]:
    """Every spelling of every country (pycountry plus common aliases) -> canonical tag spelling."""
    table: dict[str, str] = {}
    for country in pycountry.countries:
        display = _country_display(country)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                table[value] = display
        table[display] = display
    aliases = _pairs("country_aliases.txt")
    canonical = {alias: target for alias, target in aliases.items() if target}
    # An alias can also rename a canonical spelling ("Russian Federation" -> "Russia").
    renamed = {old: new for old, new in canonical.items() if old in table and table[old] != new}
    for spelling, display in list(table.items()):
        table[spelling] = renamed.get(display, display)
    for alias, target in aliases.items():
        table[alias] = target
    return table


@cache
def places() -> frozenset[str]:
    """Names of countries and their subdivisions (states, provinces, regions): never people."""
    names = {name for name, target in countries().items()}
    names.update(sub.name for sub in pycountry.subdivisions)
    return frozenset(names)


@cache
def first_names() -> frozenset[str]:
    """Given names: our own general list, plus gender-guesser's 48,000 names when installed (GPL, an
    extra), else the US census names and the first names of Faker's 80-odd locales (both MIT)."""
    names = set(_lines("first_names.txt"))
    names.update(_gender_guesser_names() or (_census_names() | _faker_names()))
    return frozenset(names - set(_lines("not_first_names.txt")))


def _gender_guesser_names() -> set[str]:
    """Given names from the gender-guesser package's name dictionary (Jörg Michael's nam_dict)."""
    try:
        data = resources.files("gender_guesser").joinpath("data", "nam_dict.txt")
        text = data.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return set()
    names: set[str] = set()
    for line in text.splitlines():
        if not line or line[0] in "#=":
            continue
        parts = line.split()
        if len(parts) > 1 and "+" not in parts[1] and "-" not in parts[1]:
            names.add(parts[1])
    return names


def _census_names() -> set[str]:
    """Given names of the 1990 US census (public domain) from the ``names`` package, when installed.

    A permissively licensed alternative to gender-guesser (GPL): fewer and only US names, so recall on
    international news is lower (people F1 0.91 instead of 0.95 on conll2003-dev).
    """
    names: set[str] = set()
    for file_name in ("dist.male.first", "dist.female.first"):
        try:
            text = resources.files("names").joinpath(file_name).read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError, TypeError):
            return set()
        names.update(line.split()[0].capitalize() for line in text.splitlines() if line.strip())
    return names


def _faker_names() -> set[str]:
    """Latin-script first names of every locale Faker ships (MIT): international coverage that the US
    census list lacks (Dutch, Turkish, Polish, Spanish... given names in news)."""
    try:
        import faker.providers.person as people_providers
    except ModuleNotFoundError:
        return set()
    import importlib
    import pkgutil

    found: set[str] = set()
    for module_info in pkgutil.iter_modules(people_providers.__path__):
        try:
            provider = importlib.import_module(f"{people_providers.__name__}.{module_info.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            value = next((vars(k)[attribute] for k in provider.__mro__ if attribute in vars(k)), None)
            if isinstance(value, (dict, tuple, list)):
                found.update(name for name in value if _latin_name(name))
    return found


def _latin_name(name: object) -> bool:
    return (
        isinstance(name, str) and name.isalpha() and name[:1].isupper() and all(ord(c) < 0x250 for c in name)
    )
