"""Reading content files into :class:`Article` values.

This is where front matter is validated: every wrong field becomes a :class:`SiteError` naming the file,
the line and the field, and saying what was expected.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import html
import re
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.model.article import Article, ArticleBody, Named, PersonMention, Quote
from site_builder.model.language import language_tag
from site_builder.model.slugs import slugify
from site_builder.sources.frontmatter import Document, parse_document
from site_builder.sources.images import body_pictures, read_lead_image
from site_builder.sources.markup import MarkdownRenderer, RenderTimeout
from site_builder.sources.summaries import render_summary, repeats_opening

CONTENT_SUFFIXES = (".md", ".markdown")
KNOWN_FIELDS = {
    "title", "date", "updated", "modified", "slug", "tags", "people", "authors", "author", "summary",
    "source_url", "draft", "status", "aliases", "quotes", "language", "translation_key", "image",
    "section", "category", "kind",
}  # fmt: skip
PAGES_FOLDER = "pages"  # content/pages/: About-style pages at /<slug>/ (as front matter ``kind: page``)
KINDS = ("article", "page")
# A news article is tens of kilobytes; Markdown renders about 0.5 MB/s, so this keeps one file's
# parse within seconds. A bigger file is almost certainly a mistake (a dump, an embedded image).
MAX_CONTENT_BYTES = 4 * 1024 * 1024
MAX_NESTING = 12  # front matter deeper than this is data, not metadata (and breaks pickling at ~500)
# What one article may carry: each tag and person gets pages listing the article, and some of what
# they show grows with the article's other tags and people (co-mentions, related tags), so an
# unbounded list costs the square of its length (10,000 people on one article took 72 s).
MAX_TAGS = 100
MAX_PEOPLE = 1000
# Characters that are not allowed in XML 1.0 or are parse errors in HTML: C0 controls but tab and
# newlines, DEL, C1 controls and noncharacters. Scraped text carries them (form feeds, stray escapes).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


_UNSAFE_URL = re.compile(r"[\x00-\x20\x7f]")
MAX_SEGMENT_BYTES = 255  # an alias becomes folders: NAME_MAX of every common file system
MAX_PATH_BYTES = 1024  # and a path well inside PATH_MAX once under output/ and the cache's staging


class FieldReader:
    """Validates the front matter fields of one document, with file and line in every error."""

    def __init__(self, doc: Document, path: str, zone: dt.tzinfo) -> None:
        self.doc, self.path, self.zone = doc, path, zone

    def error(self, name: str, message: str) -> SiteError:
        return SiteError(message, self.path, self.doc.meta_lines.get(name), name)

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.doc.meta.get(name)
        if isinstance(value, str):
            value = value.strip()  # a blank title is a missing title, not an empty <h1>
        if value is None or value == "":
            if required:
                line = self.doc.meta_lines.get(name, 1)
                raise SiteError(f"missing required field '{name}'", self.path, line, name)
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise self.error(name, f"expected text, got {type(value).__name__} {value!r}")
        return value

    def language(self, name: str) -> str | None:
        """A BCP 47 language tag, in its usual spelling ("de-AT")."""
        value = self.text(name)
        if value is None:
            return None
        tag = language_tag(value)
        if tag is None:
            raise self.error(name, f"expected a language tag such as 'de', 'fr-CA' or 'ar', got {value!r}")
        return tag

    def boolean(self, name: str) -> bool:
        value = self.doc.meta.get(name, False)
        if isinstance(value, str) and value.lower() in {"true", "yes", "false", "no"}:
            return value.lower() in {"true", "yes"}
        if not isinstance(value, bool):
            raise self.error(name, f"expected true or false, got {value!r}")
        return value

    def text_list(self, name: str) -> list[str]:
        value = self.doc.meta.get(name)
        if value is None:
            return []
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",")]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise self.error(name, f"expected a list of text, got {value!r}")
        return [str(v).strip() for v in value if str(v).strip()]

    def web_url(self, name: str) -> str | None:
        """An absolute http(s) URL: it becomes a link, and ``javascript:`` links run script."""
        value = self.text(name)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
            raise self.error(name, f"expected an absolute http(s) URL, got {value!r}")
        return value

    def alias(self, value: str, base_url: str) -> str:
        """An old URL of this site as a site path such as ``/old/story/``; never outside output/."""
        path = site_path(value, base_url)
        if path is None:
            raise self.error(
                "aliases",
                f"expected a path on this site such as /old/story/ (no '..' or query), got {value!r}",
            )
        too_long = [s for s in path.split("/") if len(s.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES]
        if too_long or len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
            raise self.error(
                "aliases",
                f"each part of an alias can be at most {MAX_SEGMENT_BYTES} bytes and the whole at most "
                f"{MAX_PATH_BYTES} (file systems refuse longer names), got {value[:80]!r}...",
            )
        return path

    def date(self, name: str) -> dt.datetime | None:
        value = self.doc.meta.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = dt.datetime(value.year, value.month, value.day)
        elif isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                raise self.error(
                    name, f"expected an ISO 8601 date such as 2017-04-13 or 2017-04-13T12:41, got {value!r}"
                ) from None
        else:
            raise self.error(name, f"expected an ISO 8601 date, got {value!r}")
        return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)

    def tags(self) -> tuple[Named, ...]:
        names = self.text_list("tags")
        self.at_most("tags", names, MAX_TAGS)
        tags = tuple(dict.fromkeys(Named(slugify(name), name) for name in names))
        self.warn_collapsed(tags)
        return tags

    def warn_collapsed(self, tags: tuple[Named, ...]) -> None:
        """Tags of one article that differ in more than case or spacing but share a slug ('C++', 'C#'
        and 'C' are all 'c') become one tag: said, since the author listed them apart."""
        spellings: dict[str, dict[str, str]] = {}
        for tag in tags:
            spellings.setdefault(tag.slug, {}).setdefault(" ".join(tag.name.casefold().split()), tag.name)
        for slug, names in spellings.items():
            if len(names) > 1:
                listed = ", ".join(repr(name) for name in names.values())
                where = f"{self.path}:{self.doc.meta_lines.get('tags', 1)}"
                warnings.warn(
                    f"{where}: field 'tags': {listed} all become the one tag tags/{slug}/; give them "
                    "names that differ in letters or digits (e.g. 'C plus plus') to keep them apart",
                    stacklevel=2,
                )

    def people(self) -> list[PersonMention]:
        value = self.doc.meta.get("people")
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(
                "people", f"expected a list of names or of {{name, role}} mappings, got {value!r}"
            )
        self.at_most("people", value, MAX_PEOPLE)
        return [self._person(item) for item in value]

    def at_most(self, name: str, items: list, limit: int) -> None:
        if len(items) > limit:
            message = f"{len(items)} entries; an article may carry at most {limit}"
            raise self.error(name, message + f" (is this really a list of {name}?)")

    def _person(self, item: Any) -> PersonMention:
        if isinstance(item, str) and item.strip():
            return PersonMention(name=item.strip(), slug=slugify(item))
        if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
            role = item.get("role")
            slug = item.get("slug") if isinstance(item.get("slug"), str) else None
            return PersonMention(
                name=item["name"].strip(),
                slug=slugify(slug or item["name"]),
                role=role.strip() if isinstance(role, str) and role.strip() else None,
                mentions=_offsets(item.get("mentions")),
            )
        raise self.error("people", f"expected a name or a mapping with a 'name', got {item!r}")

    def quotes(self) -> list[Quote]:
        value = self.doc.meta.get("quotes") or []
        if not isinstance(value, list):
            raise self.error("quotes", "expected a list of {speaker, text} mappings")
        quotes = []
        for item in value:
            if not (isinstance(item, dict) and isinstance(item.get("text"), str)):
                raise self.error("quotes", f"expected a mapping with 'speaker' and 'text', got {item!r}")
            quotes.append(Quote(speaker=str(item.get("speaker") or ""), text=item["text"]))
        return quotes


def _offsets(value: Any) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, list):
        return ()
    pairs = []
    for pair in value:  # offsets into the body: whole numbers, start before end (others are dropped)
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            continue
        if all(isinstance(n, int) and not isinstance(n, bool) for n in pair) and 0 <= pair[0] < pair[1]:
            pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def site_path(url: str, base_url: str) -> str | None:
    """*url* (a path, or an absolute URL on *base_url*'s host) as a clean site path, or None.

    None for other hosts and schemes (``//evil``, ``javascript:``), dot segments, queries, fragments
    and control characters: a redirect page is written at this path, so it must stay in output/.
    """
    parts, base = urlsplit(url), urlsplit(base_url)
    path = parts.path
    if parts.scheme or parts.netloc:
        same_site = parts.scheme.lower() in {"http", "https"} and parts.netloc.lower() == base.netloc.lower()
        if not (same_site and path.startswith(base.path)):
            return None
        path = "/" + path[len(base.path) :]
    path = unquote(path)
    segments = path.strip("/").split("/")
    if parts.query or parts.fragment or _UNSAFE_URL.search(path) or "\\" in path:
        return None
    if any(segment in {"", ".", ".."} for segment in segments):
        return None
    return "/" + "/".join(segments) + ("" if path.endswith(".html") else "/")


def content_key(data: bytes, config: SiteConfig, renderer_version: str) -> str:
    """Identify a rendered body: same bytes, same renderer, same settings, same result."""
    digest = hashlib.sha256(data)
    digest.update(f"\0{renderer_version}\0{config.reader_fingerprint}".encode())
    return digest.hexdigest()


def decode_source(data: bytes, path: str, max_bytes: int = MAX_CONTENT_BYTES) -> str:
    """Content bytes as text: UTF-8 (a BOM is fine), no NUL, no control characters, bounded size."""
    if len(data) > max_bytes:
        raise SiteError(
            f"is {len(data) / 1048576:.1f} MB; content files are limited to {max_bytes / 1048576:.0f} MB "
            "(is this really an article?)",
            path,
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SiteError(f"not valid UTF-8 (byte {error.start}); save the file as UTF-8", path, line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SiteError("contains a NUL byte; is this a binary file?", path, line)
    return _CONTROL.sub(" ", text)  # same length, so mention offsets into the body stay right


def _decode_utf16(data: bytes, path: str) -> str:
    """Windows editors save "Unicode" as UTF-16 with a byte order mark: unambiguous, so accept it."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as error:
        raise SiteError(f"not valid UTF-16 (byte {error.start}); save the file as UTF-8", path) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SiteError("contains a NUL character; is this a binary file?", path, line)
    return _CONTROL.sub(" ", text)


def clean_text(text: str) -> str:
    """Drop control characters that would make a feed invalid XML (form feeds become spaces).

    For front matter values, which YAML and TOML escapes ("\\x01") can fill with them; the file's raw
    text had them replaced by spaces in :func:`decode_source`.
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", text)


def clean_meta(meta: dict[str, Any], path: str, lines: dict[str, int]) -> dict[str, Any]:
    """Front matter values as plain, deterministic data: clean text, text keys, lists for sets.

    YAML escapes ("\\x01") can bring back what :func:`decode_source` removed; a ``!!set`` would make
    page fingerprints (and the order of values in pages) depend on hash randomisation; nesting
    thousands deep breaks pickling.
    """
    return {key: _clean_value(value, key, path, lines, 1) for key, value in meta.items()}


def _clean_value(value: Any, key: str, path: str, lines: dict[str, int], depth: int) -> Any:
    if depth > MAX_NESTING:
        raise SiteError(f"nested more than {MAX_NESTING} levels deep", path, lines.get(key), key)
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=repr)
    if isinstance(value, (list, tuple)):
        return [_clean_value(v, key, path, lines, depth + 1) for v in value]
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_value(v, key, path, lines, depth + 1) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        raise SiteError("binary (!!binary) values are not supported", path, lines.get(key), key)
    return value


def read_article(
    data: bytes, source: str, config: SiteConfig, renderer: MarkdownRenderer, key: str
) -> tuple[Article, ArticleBody]:
    """Parse one content file (*source* is its path relative to content/) into article and body."""
    display_path = str(Path(config.content_dir.name) / source)
    doc = parse_document(decode_source(data, display_path), display_path)
    meta = clean_meta(doc.meta, display_path, doc.meta_lines)
    doc = Document(meta, doc.body, doc.body_line, doc.meta_lines)
    fields = FieldReader(doc, display_path, config.zone)
    title = fields.text("title", required=True)
    kind = _kind(fields, source)
    named = bundle_name(source) or (source.rpartition("/")[2].rsplit(".", 1)[0] if kind == "page" else None)
    slug = slugify(fields.text("slug") or named or title)  # a page is named after its file: about.md
    date = fields.date("date")
    try:
        body = renderer.render(doc.body)
    except RenderTimeout as error:
        raise SiteError(str(error), display_path, doc.body_line) from None
    given_summary = fields.text("summary")
    summary, summary_html = derive_summary(body.html, config.summary_length), ""
    if given_summary:
        try:
            summary, summary_html = render_summary(given_summary, renderer)
        except RenderTimeout as error:
            raise SiteError(str(error), display_path, doc.meta_lines.get("summary")) from None
    status = (fields.text("status") or "").lower()
    authors = fields.text_list("authors") or fields.text_list("author")
    extra = {k: v for k, v in doc.meta.items() if k not in KNOWN_FIELDS}
    language = fields.language("language")
    image = read_lead_image(
        meta.get("image"), source, doc.meta_lines.get("image"), lambda message: fields.error("image", message)
    )
    article = Article(
        source=source,
        key=key,
        title=title,
        slug=slug,
        url=f"{slug}/" if kind == "page" else article_url(config, slug, date, language),
        date=date,
        updated=fields.date("updated") or fields.date("modified"),
        summary=summary,
        summary_derived=not given_summary or repeats_opening(summary, body.html),
        summary_html=summary_html,
        tags=fields.tags(),
        people=tuple(fields.people()),
        authors=tuple(authors),
        quotes=tuple(fields.quotes()),
        source_url=fields.web_url("source_url"),
        draft=fields.boolean("draft") or status == "draft",
        aliases=tuple(fields.alias(a, config.base_url) for a in fields.text_list("aliases")),
        word_count=len(_TAG.sub(" ", body.html).split()),
        language=language,
        translation_key=fields.text("translation_key"),
        image=image,
        figures=body_pictures(body.html, doc.body, doc.body_line, source, display_path),
        section=None if kind == "page" else _section(fields, source, config.sections_from_folders),
        kind=kind,
        extra=extra,
    )
    return article, body


def _kind(fields: FieldReader, source: str) -> str:
    """The kind of a content file: "page" under content/pages/ or with ``kind: page``, else "article"."""
    given = fields.text("kind")
    if given is None:
        return "page" if source.startswith(PAGES_FOLDER + "/") else "article"
    if given.lower() not in KINDS:
        raise fields.error("kind", f"expected 'article' or 'page', got {given!r}")
    return given.lower()


def _category(fields: FieldReader) -> str | None:
    """Pelican's ``Category:`` (read as a comma-separated list): one section."""
    names = fields.text_list("category")
    if len(names) > 1:
        raise fields.error("category", f"an article has one section; got {', '.join(names)}")
    return names[0] if names else None


def _section(fields: FieldReader, source: str, from_folders: bool) -> Named | None:
    """The ``section`` field (Pelican's ``Category``), else the top-level folder when the site asks
    (a page bundle's own folder is not a section: ``harbour/index.md`` has none)."""
    name = fields.text("section") or _category(fields)
    if name is None and from_folders:
        parts = source.split("/")
        if len(parts) >= 3 or (len(parts) == 2 and bundle_name(source) is None):
            name = parts[0].replace("-", " ").replace("_", " ")
            name = name.title() if name.islower() else name
    if not name:
        return None
    slug = slugify(name)
    if not slug:
        field = "section" if fields.text("section") else "category"
        raise fields.error(field, f"{name!r} has no letters or digits for a URL")
    return Named(slug, name)


def bundle_name(source: str) -> str | None:
    """The folder of a page bundle's ``index.md`` (``world/vote/index.md``: ``vote``), which names the
    article when its front matter gives no slug; None for any other file."""
    folder, _, name = source.rpartition("/")
    if folder and name.rsplit(".", 1)[0] == "index":
        return folder.rpartition("/")[2]
    return None


def article_url(config: SiteConfig, slug: str, date: dt.datetime | None, language: str | None) -> str:
    """The article's URL: its permalink, in its language tree's folder on a multilingual site."""
    url = permalink(config.permalink, slug, date)
    return config.trees.prefix_of(language) + url if config.trees is not None else url


def permalink(pattern: str, slug: str, date: dt.datetime | None) -> str:
    """Expand the permalink pattern; undated articles go under undated/ rather than an invented date."""
    if date is None:
        if re.search(r"\{(year|month|day)\}", pattern):
            pattern = re.sub(r"(\{(year|month|day)\}/)+", "undated/", pattern, count=1)
            pattern = re.sub(r"\{(year|month|day)\}/", "", pattern)
        return pattern.replace("{slug}", slug)
    return pattern.format(
        slug=slug, year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}"
    )


_TAG = re.compile(r"<[^>]+>")
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def derive_summary(body_html: str, length: int) -> str:
    """First paragraph as plain text, cut at a word boundary."""
    match = _FIRST_PARAGRAPH.search(body_html)
    text = html.unescape(_TAG.sub("", match.group(1) if match else body_html))
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
