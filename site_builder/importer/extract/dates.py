"""Publication dates written explicitly in an article's head: datelines and "Published ..." lines.

Only explicit calendar dates count. A relative word ("on Wednesday", "today") is never a publication
date, and we do not scan free text for anything date-like (dateparser.search_dates turns "the two-hour"
into a date): a date must be a whole dateline ("ROME 1996-12-06"), follow a Published/Posted/Updated
label, or stand alone on a line near the top.
"""

from __future__ import annotations

import datetime as dt
import re

HEAD_LINES = 12  # datelines and bylines live in the first lines

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME = r"(?:,?\s*(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?\s*(?P<ampm>[ap]\.?m\.?)?)?"
_ZONE = r"(?:\s*(?:GMT|UTC|BST|CET|CEST|EST|EDT|PST|PDT|[+-]\d{2}:?\d{2}))?"

_ISO = re.compile(
    r"(?P<year>(?:19|20)\d{2})-(?P<mon>\d{2})-(?P<day>\d{2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2}))?"
)
_DAY_MONTH = re.compile(
    _WEEKDAY
    + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH
    + r",?\s+(?P<year>(?:19|20)\d{2})"
    + _TIME,
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})" + _TIME,
    re.IGNORECASE,
)
_PATTERNS = (_ISO, _DAY_MONTH, _MONTH_DAY)
_LABEL = re.compile(
    r"^\s*(?:first\s+)?(?P<label>published|posted|updated|last updated|date|dated|created|issued)\b"
    r"(?:\s+on)?\s*:?\s*",
    re.IGNORECASE,
)
# "ROME 1996-12-06", "MILWAUKEE, Wisconsin 1996-08-29": an upper-case place, maybe ", Region", an ISO date
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'()/-]{1,40}(?:,\s*[A-Z][\w .'()-]{1,40})?\s+(?=(?:19|20)\d{2}-\d{2}-\d{2}\b)"
)


def find_date(lines: list[str]) -> dt.datetime | dt.date | None:
    """The publication date given explicitly in the first lines of an article, or None.

    A "Published" date wins over an "Updated" one; a dateline or a line holding only a date is used
    when no label is present.
    """
    updated = None
    fallback = None
    for line in lines[:HEAD_LINES]:
        label = _LABEL.match(line)
        if label:
            value = _parse_whole(line[label.end() :], allow_trailing=True)
            if value is not None:
                if "updated" in label.group("label").lower():
                    updated = updated or value
                else:
                    return value
            continue
        if fallback is None:
            fallback = _dateline(line) or _parse_whole(line, allow_trailing=False)
    return fallback or updated


def is_dateline(line: str) -> bool:
    """Whether *line* is a newswire dateline ("BERLIN 1996-08-30")."""
    return _dateline(line) is not None


def _dateline(line: str) -> dt.datetime | dt.date | None:
    """ "ROME 1996-12-06" or "ROME 1996-12-06 - The text..." (upper-case place, ISO date)."""
    match = _DATELINE.match(line)
    if not match:
        return None
    return _parse_at(line, match.end())


def _parse_at(line: str, position: int) -> dt.datetime | dt.date | None:
    match = _ISO.match(line, position)
    return _build(match) if match else None


def _parse_whole(text: str, *, allow_trailing: bool) -> dt.datetime | dt.date | None:
    """A date filling *text* (optionally followed by more words after a label like "Published")."""
    text = text.strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        rest = text[match.end() :]
        rest = re.sub(r"^" + _ZONE, "", rest).strip()
        if not rest or allow_trailing and re.match(r"^[|,;·•–—-]", rest):
            return _build(match)
        if allow_trailing and len(rest) < 80:
            return _build(match)
    return None


def _build(match: re.Match[str]) -> dt.datetime | dt.date | None:
    groups = match.groupdict()
    try:
        year, day = int(groups["year"]), int(groups["day"])
        month = int(groups["mon"]) if groups.get("mon") else _MONTHS[groups["month"].lower().rstrip(".")]
        if groups.get("hour") is None:
            return dt.date(year, month, day)
        hour, minute = int(groups["hour"]), int(groups["minute"])
        ampm = (groups.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        return dt.datetime(year, month, day, hour, minute)
    except (ValueError, KeyError):
        return None


def iso(value: dt.datetime | dt.date | None) -> str | None:
    """ISO 8601 text for front matter and JSON."""
    return value.isoformat() if value is not None else None
