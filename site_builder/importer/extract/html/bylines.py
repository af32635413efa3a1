"""Byline text to author names: split co-authors, drop job titles, URLs, user names and the site's name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from site_builder.importer.extract.html.meta import clean_text
from site_builder.importer.extract.html.site_names import is_site_name

JOB_TITLE_WORDS = re.compile(
    r"\b(reporter|correspondent|editor|writer|columnist|contributor|journalist|staff|producer|"
    r"freelance|analyst|photographer|desk|bureau|chief|senior|deputy)\b",
    re.IGNORECASE,
)
ACCOUNT_NAMES = {"admin", "administrator", "webmaster", "editor", "redaktion", "staff", "user", "guest"}
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:[Ww]ritten\s+)?(?:[Bb]y|BY|[Vv]on|[Pp]or|[Pp]ar|di|[Dd]oor|[Aa][vf])\s+"
    r"|(?i:authors?|autor(?:in|en)?|auteur)\b:?\s*)"
)
"""A byline's lead word; case-sensitive where a name could start with it ("Di Wang")."""
ROLE_SUFFIX = re.compile(r"\s+(?:기자|특파원|記者|特派員)$")
AGENCY_CODE = re.compile(r"[^\W\d_]{3,4}")
"""A news agency's short name, often lower-case ("dpa", "AFP", "APA"): not a user-name slug."""
URL_OR_EMAIL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
URLISH = re.compile(r"(https?://|www\.|\.(?:com|org|net|co\.\w\w)\b|@\w)", re.IGNORECASE)


SPLIT_ALWAYS = re.compile(r"\s*(?:;|\||/|&|\b(?:and|und|y|et|og|och|en|e)\b)\s*", re.IGNORECASE)
"""Separators between names in one byline ("and" in a few languages)."""
BYLINE_END = re.compile(
    r"\s*(?:\b(?:updated|published|posted|veröffentlicht|aktualisiert|publié|mis à jour|publicado|"
    r"actualizado|pubblicato|aggiornato)\b|\|\s*\d|\d{1,2}:\d\d|\d{4}-\d\d|\d{1,2}\.\d{1,2}\.\d{2,4})",
    re.IGNORECASE,
)
"""Where a visible byline runs into its timestamp ("By X | Updated 10:42")."""


def clean_authors(raw: Iterable[str], site: list[str]) -> list[str]:
    """Turn raw author strings into distinct person (or agency) names.

    Splits "By X and Y" and "A, B and C", cuts job titles ("X, Reporter"), places ("X in Valencia"),
    and drops URLs, e-mail addresses, user-name slugs ("sophie-foster") and the site's own name.
    """
    out: list[str] = []
    seen: set[str] = set()
    hosts = {n.lower().removeprefix("www.") for n in site if "." in n and " " not in n}
    for value in raw:
        if _links_to(value, hosts):
            continue  # "Deutsche Welle (www.dw.com)": the publisher signing with its own address
        for name in split_byline(clean_text(value)):
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


def split_byline(text: str) -> list[str]:
    if not text or URLISH.search(text) and " " not in text.strip():
        return []
    text = BYLINE_PREFIX.sub("", URL_OR_EMAIL.sub(" ", text))
    text = BYLINE_END.split(text, maxsplit=1)[0]
    names: list[str] = []
    for chunk in SPLIT_ALWAYS.split(text):
        parts = [p.strip() for p in chunk.split(",")]
        if len(parts) > 1 and not all(looks_like_name(p) or AGENCY_CODE.fullmatch(p) for p in parts if p):
            parts = parts[:1]  # "Jane Doe, Senior Reporter": the rest is a role
        names += parts
    return [n for n in (_trim_name(n) for n in names) if n]


def _trim_name(name: str) -> str | None:
    name = re.sub(r"\s+(?:in|at|for|from)\s+[A-Z][\w. ]*$", "", name.strip(" .,:-\u2013\u2014"))
    name = ROLE_SUFFIX.sub("", BYLINE_PREFIX.sub("", name)).strip(" .,:-")
    if not name or len(name) > 60 or URLISH.search(name) or re.search(r"[():@]", name):
        return None
    if not re.search(r"[^\W\d_]", name):
        return None  # no letter at all
    if " " not in name and name == name.lower() and name != name.upper() and not AGENCY_CODE.fullmatch(name):
        return None  # a user name or slug, e.g. "sophie-foster", "aligharib"
    if name.lower() in ACCOUNT_NAMES or JOB_TITLE_WORDS.fullmatch(name) or re.search(r"(?i)\bauth?or", name):
        return None
    return name


def looks_like_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 5 and not JOB_TITLE_WORDS.search(text) and words[0][:1].isupper()
