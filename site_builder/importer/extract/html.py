"""Extract an article (title, date, authors, Markdown body) from a saved web page.

trafilatura finds the main text and a first guess at the metadata; htmldate (without its
extensive text search) dates the page. Both miss in ways that are common on news sites, and this
module corrects those misses with general rules, never with per-publisher hacks:

* titles: the page's structured headline (JSON-LD ``headline``) is preferred, then ``og:title``,
  ``twitter:title``, ``<title>`` and ``<h1>``; site-name suffixes and prefixes ("... | The Guardian",
  "BBC News - ...") and "| by Author" tails are cut, using the site names the page declares itself;
* authors: JSON-LD article authors (``@id`` references resolved through ``@graph``), then author meta
  tags, then a visible "By X" byline; bylines are split ("By X and Y", "A, B and C"), job titles,
  URLs, user-name slugs, publisher names and CMS accounts ("admin") are dropped;
* dates: JSON-LD ``datePublished`` and publication meta tags keep the time and zone the page gives;
  htmldate is the fallback;
* body: trafilatura's Markdown, with boilerplate paragraphs (share prompts, newsletter sign-ups,
  "Advertisement", ...) removed by the patterns in ``html_boilerplate.txt``.

trafilatura is a dependency of the package; should it be missing (a broken environment),
:func:`extract_html` raises
:class:`HtmlExtractionError` telling the user what to install.
"""

from __future__ import annotations

import codecs
import html as htmlmod
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from site_builder.errors import SiteError

MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024
"""A gzip page larger than this once inflated is refused (protects against gzip bombs)."""

INSTALL_HINT = (
    "HTML import needs trafilatura, a dependency of site-builder: reinstall it (pip install site-builder)"
)

ARTICLE_TYPE = re.compile(r"(article|posting|report)$", re.IGNORECASE)
"""schema.org types that describe the article itself (NewsArticle, BlogPosting, Report, ...)."""

TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-\u2013\u2014*\u2022\u00b7\u00bb/]|::)\s+")
"""Separators between a headline and the site name or section in ``<title>``-like strings."""

AUTHOR_META_KEYS = (
    "author",
    "article:author_name",
    "article:author",
    "og:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "cxenseparse:author",
    "byl",
)
DATE_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "pubdate",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
)
GENERIC_SITE_WORDS = {"news", "online", "com", "the", "newspaper", "magazine", "daily"}
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


class HtmlExtractionError(SiteError):
    """The page cannot be read (not HTML, corrupt gzip, too large) or trafilatura is missing."""

    def __reduce__(self):  # keep the subclass through pickling (process pools)
        return (HtmlExtractionError, (self.message, self.path, self.line, self.field))


@dataclass(frozen=True)
class HtmlExtraction:
    """What we know about one saved web page.

    ``date`` is timezone-aware when the page states a zone; when only the day is known it is midnight
    of that day, naive. ``warnings`` says when the bytes had to be decoded with a fallback charset.
    """

    title: str
    date: datetime | None
    authors: list[str]
    body: str
    source_url: str | None
    site_name: str | None
    language: str | None
    warnings: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- bytes -> text


@dataclass(frozen=True)
class DecodedHtml:
    """Page text plus how it was decoded (so the importer can report fallbacks)."""

    text: str
    encoding: str
    warning: str | None = None


def decode_html(raw: bytes) -> DecodedHtml:
    """Inflate gzip (detected by magic bytes) and decode by BOM, declared charset, UTF-8, then a guess."""
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(raw)
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, name in boms:
        if raw.startswith(bom):
            return DecodedHtml(raw.decode(name, errors="replace"), name)
    declared = _declared_charset(raw[:8192])
    order = (declared, "utf-8")
    if declared and _is_single_byte(declared) and not raw.isascii():
        # pages saved by a crawler are usually re-encoded to UTF-8 while keeping their old
        # <meta charset>; non-ASCII bytes that form valid UTF-8 are almost never real latin-1 text
        order = ("utf-8", declared)
    for name in dict.fromkeys(n for n in order if n):
        try:
            return DecodedHtml(raw.decode(name), name, _fallback_note(declared, name))
        except UnicodeDecodeError:
            continue
    guess = _guess_charset(raw) or "cp1252"
    note = f"not valid {declared or 'utf-8'}; decoded as {guess}"
    return DecodedHtml(raw.decode(guess, errors="replace"), guess, note)


def _gunzip(raw: bytes) -> bytes:
    """Inflate with a hard size cap: a saved page never needs more than MAX_DECOMPRESSED_BYTES."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(raw, MAX_DECOMPRESSED_BYTES)
    except zlib.error as err:
        raise HtmlExtractionError(f"corrupt gzip data: {err}") from err
    if inflater.unconsumed_tail:
        raise HtmlExtractionError(f"gzip page inflates to more than {MAX_DECOMPRESSED_BYTES} bytes")
    if not inflater.eof:
        raise HtmlExtractionError("truncated or corrupt gzip data")
    return data


CHARSET_DECL = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""",
    re.IGNORECASE,
)


def _declared_charset(head: bytes) -> str | None:
    """The charset the page declares, as a Python codec name (WHATWG: latin-1 means cp1252)."""
    match = CHARSET_DECL.search(head)
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _is_single_byte(name: str) -> bool:
    return name.startswith(("cp12", "iso8859", "latin", "koi8", "mac-")) or name in {"cp437", "cp850"}


def _fallback_note(declared: str | None, used: str) -> str | None:
    return None if declared in (None, used) else f"page declares {declared} but is {used}; decoded as {used}"


def _guess_charset(raw: bytes) -> str | None:
    """Ask charset_normalizer (a trafilatura dependency) when it is installed."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - comes with trafilatura
        return None
    best = from_bytes(raw[:65536]).best()
    return best.encoding if best else None


# --------------------------------------------------------------------------- page metadata


@dataclass(frozen=True)
class PageMeta:
    """The page's own statements about itself: meta tags, JSON-LD objects, headings."""

    meta: dict[str, list[str]]
    ld_objects: list[dict[str, Any]]
    ld_by_id: dict[str, dict[str, Any]]
    h1: list[str]
    title_tag: str | None
    html_lang: str | None
    canonical: str | None
    article: dict[str, Any] | None
    """The JSON-LD object describing this page's article (see :func:`main_article`)."""

    def first(self, *keys: str) -> str | None:
        """First non-empty meta value among ``keys`` (names and properties, case-insensitive)."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return clean_text(value)
        return None

    def resolve(self, obj: Any) -> Any:
        """Follow a JSON-LD ``{"@id": ...}`` reference to the full object in the page's graph."""
        if isinstance(obj, dict) and set(obj) <= {"@id", "@type"} and obj.get("@id") in self.ld_by_id:
            return self.ld_by_id[obj["@id"]]
        return obj


def read_page_meta(tree: Any) -> PageMeta:
    """Collect meta tags, JSON-LD objects, h1 texts, <title> and the declared language from the tree."""
    meta: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        # microdata itemprops are scoped to their item (an image's "author" is its photographer),
        # so only those of the page's own item (no enclosing itemscope but the article) count
        key = node.get("property") or node.get("name") or node.get("http-equiv") or _own_itemprop(node)
        content = node.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), []).append(content)
    found = list(_json_ld_objects(tree))
    objects = [obj for obj, _ in found]
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and len(o) > 1}
    h1 = [t for t in (clean_text(h.text_content()) for h in tree.iter("h1")) if t]
    titles = [clean_text(t.text_content()) for t in tree.xpath("//head/title") or tree.xpath("//title")]
    canonical = _canonical_url(tree, meta)
    return PageMeta(
        meta=meta,
        ld_objects=objects,
        ld_by_id=by_id,
        h1=h1,
        title_tag=titles[0] if titles else None,
        html_lang=tree.getroottree().getroot().get("lang"),
        canonical=canonical,
        article=main_article(found, canonical),
    )


NESTED_KEYS = {
    "itemlistelement",
    "relatedlink",
    "ispartof",
    "haspart",
    "liveblogupdate",
    "mentions",
    "citation",
    "subjectof",
    "about",
    "review",
    "comment",
}
"""JSON-LD properties whose objects are other works (related stories, live-blog entries), not the page."""


def main_article(found: list[tuple[dict[str, Any], bool]], canonical: str | None) -> dict[str, Any] | None:
    """The JSON-LD object for this page's article.

    Candidates have an article type (NewsArticle, BlogPosting, Report, ...) and are not nested in a
    list of other works; one whose URL is the page's canonical URL wins, else the first with a
    headline, else the first.
    """
    typed = [o for o, nested in found if not nested and any(ARTICLE_TYPE.search(t) for t in ld_types(o))]
    with_headline = [o for o in typed if isinstance(o.get("headline"), str) and o["headline"].strip()]
    if canonical:
        for obj in with_headline:
            if _same_url(canonical, _ld_url(obj)):
                return obj
    return (with_headline or typed or [None])[0]


def _ld_url(obj: dict[str, Any]) -> str | None:
    for key in ("url", "mainEntityOfPage", "@id"):
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.startswith("http"):
            return value
    return None


def _same_url(a: str, b: str | None) -> bool:
    """Same page: scheme, query, fragment, "www." and a trailing slash do not matter."""
    if not b:
        return False
    parts = [urlsplit(u) for u in (a, b)]
    keys = [((p.hostname or "").removeprefix("www."), p.path.rstrip("/")) for p in parts]
    return keys[0] == keys[1]


def _canonical_url(tree: Any, meta: dict[str, list[str]]) -> str | None:
    """<link rel=canonical>, else og:url; only absolute http(s) URLs."""
    for link in tree.iter("link"):
        href = (link.get("href") or "").strip()
        if "canonical" in (link.get("rel") or "").lower().split() and href.startswith("http"):
            return href
    url = next((u.strip() for u in meta.get("og:url", []) if u.strip().startswith("http")), None)
    return url


def _own_itemprop(node: Any) -> str | None:
    """The itemprop of a <meta> unless it sits inside an image/video/person item."""
    scope = next(node.iterancestors(), None)
    for ancestor in node.iterancestors():
        if ancestor.get("itemscope") is not None:
            scope = ancestor
            break
    kind = (scope.get("itemtype") or "").lower() if scope is not None else ""
    if any(word in kind for word in ("image", "video", "person", "organization", "comment")):
        return None
    return node.get("itemprop")


def _json_ld_objects(tree: Any) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every dict in every ``application/ld+json`` script, in document order (``@graph`` flattened),
    with whether it sits under a property that holds other works (:data:`NESTED_KEYS`)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        text = script.text.strip().removeprefix("<!--").removesuffix("-->").strip()
        text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        yield from _walk_dicts(data)


def _walk_dicts(data: Any, nested: bool = False) -> Iterator[tuple[dict[str, Any], bool]]:
    if isinstance(data, dict):
        yield data, nested
        for key, value in data.items():
            yield from _walk_dicts(value, nested or str(key).lower() in NESTED_KEYS)
    elif isinstance(data, list):
        for value in data:
            yield from _walk_dicts(value, nested)


def ld_types(obj: dict[str, Any]) -> list[str]:
    """An object's ``@type`` as a list of bare names ("NewsArticle", not "schema:NewsArticle")."""
    raw = obj.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return [str(n).rsplit(":", 1)[-1].rsplit("/", 1)[-1] for n in names if n]


def clean_text(value: Any) -> str:
    """Unescape HTML entities (JSON-LD often carries them) and fold whitespace."""
    text = htmlmod.unescape(str(value)) if value is not None else ""
    return " ".join(text.split())


# --------------------------------------------------------------------------- site names


def site_names(page: PageMeta, url: str | None, fallback: str | None) -> list[str]:
    """Names the site goes by: og:site_name, application-name, JSON-LD publisher/WebSite, host name."""
    names = [page.first("og:site_name"), page.first("application-name"), page.first("twitter:site")]
    article = page.article or {}
    publisher = page.resolve(article.get("publisher"))
    if isinstance(publisher, dict):
        names.append(clean_text(publisher.get("name")) or None)
    names += [clean_text(o.get("name")) for o in page.ld_objects if "WebSite" in ld_types(o)]
    names.append(fallback)
    host = urlsplit(url).hostname if url else None
    if host:
        host = host.removeprefix("www.")
        names += [host, host.split(".")[0]]
    return [n.lstrip("@") for n in dict.fromkeys(n for n in names if n)]


def name_key(text: str) -> str:
    """Compare site names loosely: "The Washington Times" == "washingtontimes"."""
    key = re.sub(r"[\W_]+", "", text.casefold())
    return key.removeprefix("the") if len(key) > 6 else key


def is_site_name(text: str, names: Iterable[str]) -> bool:
    """True when ``text`` is one of the site's names, give or take "News"/"Online"/".com"."""
    key = name_key(text)
    if not key:
        return False
    for name in names:
        other = name_key(name)
        if not other:
            continue
        if key == other:
            return True
        longer, shorter = (key, other) if len(key) > len(other) else (other, key)
        rest = longer.replace(shorter, "", 1)
        if longer.startswith(shorter) or longer.endswith(shorter):
            words = [w for w in re.split(r"\W+", text.casefold()) if w]
            if rest in GENERIC_SITE_WORDS or (rest and all(w in GENERIC_SITE_WORDS for w in words[-1:])):
                return len(shorter) >= 3
    return False


# --------------------------------------------------------------------------- title


def strip_site_name(title: str, names: list[str]) -> str:
    """Cut site-name segments (and "by Author" tails) off either end of a title."""
    parts = TITLE_SEPARATOR.split(title)
    seps = TITLE_SEPARATOR.findall(title)
    changed = True
    while changed and len(parts) > 1:
        changed = False
        if _names_site(parts[-1], names) or BYLINE_PREFIX.match(parts[-1]):
            parts, seps, changed = parts[:-1], seps[:-1], True
        elif _names_site(parts[0], names):
            parts, seps, changed = parts[1:], seps[1:], True
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=True):
        out += sep + part
    return out.strip()


def _names_site(segment: str, names: list[str]) -> bool:
    """A title segment naming the site, also in a longer form ("Die Neue Südtiroler Tageszeitung")."""
    if is_site_name(segment, names):
        return True
    words = segment.split()
    keys = {name_key(n) for n in names if len(name_key(n)) >= 3}
    return 1 < len(words) <= 5 and bool({name_key(words[0]), name_key(words[-1])} & keys)


def choose_title(page: PageMeta, names: list[str], fallback: str | None) -> str:
    """The headline: JSON-LD first, then og/twitter/<title>/h1, each without the site name.

    JSON-LD ``headline`` is what most news CMSs fill with the real headline. Google limits it to 110
    characters, so some sites shorten it and put the full title in the article's ``name``; when that
    longer ``name`` is confirmed by og:title or the h1 it wins.
    """
    article = page.article or {}
    headline = clean_text(article.get("headline")) if isinstance(article.get("headline"), str) else ""
    others = [page.first("og:title"), page.first("twitter:title"), page.title_tag, *page.h1[:3], fallback]
    cleaned = [strip_site_name(t, names) for t in others if t]
    if headline:
        headline = strip_site_name(headline, names)
        name = clean_text(article.get("name")) if isinstance(article.get("name"), str) else ""
        name = strip_site_name(name, names) if name else ""
        if name and len(name) > len(headline) and _folded(name) in {_folded(t) for t in cleaned}:
            return name
        return _prefix_agreement(headline, cleaned)
    if not cleaned:
        return ""
    return _prefix_agreement(cleaned[0], cleaned[1:])


def _prefix_agreement(title: str, others: list[str]) -> str:
    """If another source equals ``title`` minus trailing separated segments ("- National"), use it.

    A section name left behind after the site name was cut ("... - National") cannot be told from a
    headline clause by itself; agreement with the h1 or another tag settles it.
    """
    folded = _folded(title)
    for other in others:
        candidate = _folded(other)
        if candidate and candidate != folded and folded.startswith(candidate):
            rest = folded[len(candidate) :]
            # a section is a word or two, never most of the title ("Trump - the comeback" stays)
            if TITLE_SEPARATOR.match(rest) and len(rest.split()) <= 4 and len(rest) < len(candidate):
                return other
    return title


def _folded(text: str) -> str:
    """Compare titles ignoring quote style and whitespace."""
    text = re.sub("[\u2018\u2019\u201a\u2032]", "'", re.sub("[\u201c\u201d\u201e\u2033]", '"', text))
    return " ".join(text.split()).casefold()


# --------------------------------------------------------------------------- authors


def choose_authors(page: PageMeta, tree: Any, names: list[str], fallback: str | None) -> list[str]:
    """Authors from the first source that yields real names: JSON-LD, meta tags, visible byline.

    JSON-LD organisations stay beside the people (bylines credit agencies: "Jane Doe and AP").
    """
    sources: list[list[str]] = [_ld_authors(page)]
    sources += [page.meta.get(key, []) for key in AUTHOR_META_KEYS]
    sources.append(_visible_byline(tree))
    sources.append([fallback] if fallback else [])
    for raw in sources:
        authors = clean_authors(raw, names)
        if authors:
            return authors
    # the article's structured data credits only the publisher itself (agency copy, staff
    # stories): that is the byline, not a CMS default
    return clean_authors(sources[0], [])


def _ld_authors(page: PageMeta) -> list[str]:
    """Names of the JSON-LD article's authors; CMS accounts (``/author/admin/``) are not bylines."""
    article = page.article
    if not article:
        return []
    raw = article.get("author") or article.get("creator") or []
    names: list[str] = []
    for item in raw if isinstance(raw, list) else [raw]:
        item = page.resolve(item)
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and not _is_account(item):
            names.extend(_person_names(item))
    return names


def _person_names(item: dict[str, Any]) -> list[str]:
    name = item.get("name")
    if not name:
        parts = (item.get(k) for k in ("givenName", "familyName"))
        name = " ".join(p for p in parts if isinstance(p, str))
    if isinstance(name, list):
        return [n for n in name if isinstance(n, str)]
    return [name] if isinstance(name, str) and name else []


def _is_account(person: dict[str, Any]) -> bool:
    """A CMS login ("admin") published as author: its profile URL or name says so."""
    for key in ("@id", "url"):
        value = person.get(key)
        if isinstance(value, str):
            segments = [s for s in urlsplit(value).path.lower().split("/") if s]
            if segments and segments[-1] in ACCOUNT_NAMES:
                return True
    return str(person.get("name", "")).strip().lower() in ACCOUNT_NAMES


BYLINE_XPATHS = (
    "//*[@rel='author' or @itemprop='author']",
    "//*[contains(translate(@class,'BYLINE','byline'),'byline')]",
    "//*[contains(concat(' ',translate(normalize-space(@class),'AUTHOR','author'),' '),' author ')"
    " or contains(translate(@class,'AUTHOR','author'),'author-name')]",
    "//a[contains(@href,'/author/') or contains(@href,'/authors/') or contains(@href,'/autor')]",
)
"""Where pages put a visible byline, most specific first."""


def _visible_byline(tree: Any) -> list[str]:
    """A "By X" line among the first text after the h1, else a byline element, when metadata has none."""
    texts = _texts_after_h1(tree)
    for i, text in enumerate(texts):
        if len(text) < 120 and BYLINE_PREFIX.match(text + " "):
            if BYLINE_PREFIX.fullmatch(text + " ") and i + 1 < len(texts):
                text = f"{text} {texts[i + 1]}"  # "von" and the linked name are separate nodes
            return [text]
    for xpath in BYLINE_XPATHS:
        for node in tree.xpath(xpath)[:3]:
            text = clean_text(node.get("content") or node.text_content())
            if text and len(text) < 120 and any(_looks_like_name(n) for n in _split_byline(text)):
                return [text]
    return []


def _texts_after_h1(tree: Any) -> list[str]:
    """The first visible text pieces that follow the page's first h1 (where bylines sit)."""
    h1 = next(tree.iter("h1"), None)
    texts: list[str] = []
    if h1 is None:
        return texts
    for node in h1.itersiblings():
        texts += _texts(node)
        if len(texts) > 40:
            break
    parent = h1.getparent()
    if not texts and parent is not None:
        texts = _texts(parent)[:40]
    return texts


def _texts(node: Any) -> list[str]:
    """Visible text pieces under an element (not scripts, styles or comments)."""
    if not isinstance(node.tag, str):
        return []
    pieces = node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
    return [p.strip() for p in pieces if p.strip()]


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
        for name in _split_byline(clean_text(value)):
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


def _split_byline(text: str) -> list[str]:
    if not text or URLISH.search(text) and " " not in text.strip():
        return []
    text = BYLINE_PREFIX.sub("", URL_OR_EMAIL.sub(" ", text))
    text = BYLINE_END.split(text, maxsplit=1)[0]
    names: list[str] = []
    for chunk in SPLIT_ALWAYS.split(text):
        parts = [p.strip() for p in chunk.split(",")]
        if len(parts) > 1 and not all(_looks_like_name(p) or AGENCY_CODE.fullmatch(p) for p in parts if p):
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


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 5 and not JOB_TITLE_WORDS.search(text) and words[0][:1].isupper()


# --------------------------------------------------------------------------- date


def choose_date(page: PageMeta, tree: Any, url: str | None) -> datetime | None:
    """Publication time from JSON-LD / meta tags (keeping their zone), else htmldate's day."""
    article = page.article or {}
    candidates = [article.get("datePublished"), article.get("dateCreated")]
    candidates += [page.first(key) for key in DATE_META_KEYS]
    for node in tree.xpath("//time[@itemprop='datePublished' or @pubdate][@datetime]")[:1]:
        candidates.append(node.get("datetime"))
    for value in candidates:
        parsed = parse_datetime(value)
        if parsed:
            return parsed
    return _htmldate(tree, url)


def parse_datetime(value: Any) -> datetime | None:
    """Parse an ISO 8601-like timestamp ("2024-05-02T20:53:56.000Z", "...+0200"); None if not one."""
    if not isinstance(value, str) or not re.match(r"\s*\d{4}-\d\d-\d\d", value):
        return None
    text = value.strip().replace(" ", "T", 1)
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text.replace("Z", "+00:00"))
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            return None


def _htmldate(tree: Any, url: str | None) -> datetime | None:
    """htmldate's day, called directly: trafilatura returns no metadata when it finds no main text."""
    from htmldate import find_date

    found = find_date(tree, extensive_search=False, original_date=True, url=url, outputformat="%Y-%m-%d")
    return datetime.fromisoformat(found) if found else None


# --------------------------------------------------------------------------- body


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    """Paragraph patterns from ``html_boilerplate.txt`` (one regex a line, ``#`` comments)."""
    text = resources.files(__package__).joinpath("html_boilerplate.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(re.compile(line, re.IGNORECASE) for line in lines if line and not line.startswith("#"))


INLINE_TAG = re.compile(r"</?(?:u|ins|del|s|sup|sub|span|small|mark|font|abbr|cite)>", re.IGNORECASE)
"""Presentational tags trafilatura leaves in its Markdown; their text is kept, the tags are not."""


def clean_body(markdown: str, titles: Iterable[str]) -> str:
    """Normalise headings to ``##``, drop boilerplate paragraphs and repeated titles.

    ``titles`` are the page's headline variants (chosen title, og:title, h1s): a paragraph or heading
    repeating one of them, with or without a trailing ellipsis, is furniture.
    """
    repeated = {_folded(t).rstrip(".… ") for t in titles if t}
    paragraphs = []
    for block in re.split(r"\n\s*\n", markdown):
        block = block.strip()
        if not block:
            continue
        block = re.sub(r"^#{1,6}\s+", "## ", block)
        block = INLINE_TAG.sub("", block)
        plain = " ".join(re.sub(r"[*_#>`\[\]]", "", block).split())
        if _folded(plain).rstrip(".… ") in repeated or any(
            p.fullmatch(plain) for p in boilerplate_patterns()
        ):
            continue
        paragraphs.append(block)
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------- entry point


def extract_html(raw: bytes, source: str) -> HtmlExtraction:
    """Extract title, date, authors, Markdown body, canonical URL, site name and language from a page.

    ``raw`` is the saved file's bytes (``.html`` or ``.html.gz``); ``source`` names it in errors.
    """
    try:
        import lxml.html
        import trafilatura
        from trafilatura.xml import xmltotxt
    except ImportError as err:
        raise HtmlExtractionError(f"{INSTALL_HINT} ({err})", path=source) from err
    try:
        decoded = decode_html(raw)
    except HtmlExtractionError as err:
        raise HtmlExtractionError(err.message, path=source) from None
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decoded.text)
    if not text.strip():
        raise HtmlExtractionError("empty page", path=source)
    if "\x00" in text[:4096] or not re.search(r"<\s*[a-zA-Z!?]", text[:65536]):
        raise HtmlExtractionError("not an HTML page (binary data or no markup)", path=source)
    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as err:
        raise HtmlExtractionError(f"not an HTML page ({err})", path=source) from err
    page = read_page_meta(tree)
    doc = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    url = page.canonical or (doc.url if doc else None)
    names = site_names(page, url, doc.sitename if doc else None)
    title = choose_title(page, names, doc.title if doc else None)
    authors = choose_authors(page, tree, names, doc.author if doc else None)
    titles = [title, clean_text((page.article or {}).get("headline")), page.first("og:title"), *page.h1[:3]]
    body = clean_body(xmltotxt(doc.body, include_formatting=True) if doc else "", filter(None, titles))
    return HtmlExtraction(
        title=title,
        date=choose_date(page, tree, url),
        authors=authors,
        body=body,
        source_url=url,
        site_name=names[0] if names else None,
        language=_language(page),
        warnings=(decoded.warning,) if decoded.warning else (),
    )


def _language(page: PageMeta) -> str | None:
    """BCP 47 tag from <html lang>, Content-Language, og:locale or JSON-LD inLanguage ("en-GB")."""
    article = page.article or {}
    declared = (page.html_lang, page.first("content-language"), page.first("og:locale"))
    for value in (*declared, article.get("inLanguage")):
        if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*", value.strip()):
            parts = value.strip().replace("_", "-").split("-")
            return "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])
    return None
