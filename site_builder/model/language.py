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
