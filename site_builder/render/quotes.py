"""The quotes box of an article page: only the quotes a reader has not just read in the body.

The importer lists every quote of an article with its speaker, and nearly all of them are in the body;
repeated in a box under it they made some pages twice as long. The box keeps the quotes the body does
not hold (given in front matter only, or reworded) and is left out when there are none.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

_TAG = re.compile(r"<[^>]+>")
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\xa0": " "})
_DASHES = re.compile(r"-{2,3}")  # what smarty makes an en or em dash
_EDGES = "\"' .,;:!?-…"


def comparable(text: str) -> str:
    """Text as compared: no markup, straight quotes and dashes, one space, one case."""
    plain = _DASHES.sub("-", html.unescape(_TAG.sub(" ", text)).translate(_PLAIN))
    return " ".join(plain.casefold().split())


def quotes_outside(quotes: Iterable[Mapping[str, Any]], body: str) -> list[Mapping[str, Any]]:
    """The *quotes* whose text is not in the rendered *body* (compared without typography)."""
    quotes = list(quotes)
    if not quotes:
        return []
    text = comparable(body)
    return [quote for quote in quotes if comparable(str(quote.get("text", ""))).strip(_EDGES) not in text]
