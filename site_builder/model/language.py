"""Language tags (BCP 47, as in ``<html lang>``): the site's ``language`` and an article's own."""

from __future__ import annotations

import re

_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def language_tag(value: object) -> str | None:
    """*value* as a BCP 47 tag in its usual spelling ("de-AT", "zh-Hant-TW", "sr-Latn"), or None when it
    is not one. Underscores (``de_AT``, as locales are written on Unix) are accepted."""
    if not isinstance(value, str) or not _TAG.fullmatch(value.strip()):
        return None
    first, *rest = value.strip().replace("_", "-").split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            parts.append(part.title())  # script: Latn, Hant, Arab
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            parts.append(part.upper())  # region: AT, EG, 419
        else:
            parts.append(part.lower())
    return "-".join(parts)


def base_language(tag: str) -> str:
    """The language subtag alone: "de" for "de-AT"."""
    return tag.split("-", 1)[0]


def unknown_subtags(tag: str) -> list[str]:
    """The subtags of a well-formed *tag* that CLDR (Babel) does not know as a language, script or
    region: ``xx`` in ``xx-AT``, ``QQ`` in ``de-QQ``. Variants and extensions are not checked."""
    from babel import Locale  # only when a setting is checked: reading the model needs no CLDR data

    english = Locale("en")
    first, *rest = tag.split("-")
    unknown = [] if first in english.languages else [first]
    for part in rest:
        script = len(part) == 4 and part.isalpha()
        region = (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit())
        known = english.scripts if script else english.territories if region else None
        if known is not None and part not in known:
            unknown.append(part)
    return unknown


def tags_named(name: object) -> list[str]:
    """Language tags whose English name is *name* ("German" -> ["de"]), to suggest the tag meant."""
    from babel import Locale

    if not isinstance(name, str):
        return []
    wanted = name.strip().casefold()
    return sorted(code for code, english in Locale("en").languages.items() if english.casefold() == wanted)
