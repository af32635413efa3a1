"""Extraction: one source's text or page becomes an :class:`ExtractedArticle`.

The extractors in :mod:`site_builder.importer.extract` each find one thing (dates, people, quotes,
tags, an HTML page's main text and metadata); this module runs them in order for each kind of source,
applies the site's ``people.toml`` and boilerplate rules (:class:`ExtractionContext`) and what an
archive states about a record (:func:`apply_facts`). Nothing here writes a file.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.importer.extract import ExtractedArticle, ExtractedPerson
from site_builder.importer.extract.boilerplate import BoilerplateRules, load_rules, remove_boilerplate
from site_builder.importer.extract.dates import find_date, is_dateline, iso
from site_builder.importer.extract.figures import page_figures, place_figures
from site_builder.importer.extract.html import extract_html
from site_builder.importer.extract.html.bylines import clean_authors
from site_builder.importer.extract.images import lead_image_of, parse_page
from site_builder.importer.extract.names import Person, find_people
from site_builder.importer.extract.quotes import find_quotes
from site_builder.importer.extract.tags import find_tags
from site_builder.importer.extract.text import normalise, parse_plain_text, to_markdown
from site_builder.importer.extract.vocabulary import TagVocabulary, load_tag_vocabulary
from site_builder.importer.fragments import fragment_to_markdown
from site_builder.importer.items import ItemFacts, SourceItem
from site_builder.importer.reading import (
    ARCHIVE_KINDS,
    UNSUPPORTED,
    SkipSource,
    decode_text,
    detect_kind,
    read_source,
)
from site_builder.model.people import PeopleDirectory, load_people_directory
from site_builder.sources.frontmatter import parse_document
from site_builder.sources.reader import MAX_CONTENT_BYTES

SUMMARY_CHARS = 280


@dataclass(frozen=True)
class ExtractionContext:
    """What extraction needs from the site: the people directory, boilerplate rules, tag synonyms."""

    directory: PeopleDirectory = field(default_factory=PeopleDirectory)
    rules: BoilerplateRules | None = None
    tags: TagVocabulary = field(default_factory=TagVocabulary)

    @classmethod
    def for_site(cls, site_dir: Path | None) -> ExtractionContext:
        if site_dir is None:
            return cls(PeopleDirectory(), load_rules(None), load_tag_vocabulary(None))
        return cls(load_people_directory(site_dir), load_rules(site_dir), load_tag_vocabulary(site_dir))


def extract_file(
    path: Path, context: ExtractionContext | None = None, *, source: str | None = None
) -> ExtractedArticle:
    """Extract the article in *path* (a text, HTML or Markdown file); raises SkipSource when it cannot.

    An archive holds many articles: :func:`site_builder.importer.formats.read_items` reads them.
    """
    context = context or ExtractionContext.for_site(None)
    kind = detect_kind(path)
    if kind in ARCHIVE_KINDS:
        raise SkipSource(f"an archive of many articles ({kind}), not one article")
    if kind is None:
        raise SkipSource(UNSUPPORTED)
    return extract_bytes(read_source(path), kind, source if source is not None else str(path), context)


def extract_bytes(raw: bytes, kind: str, label: str, context: ExtractionContext) -> ExtractedArticle:
    """Extract an article of *kind* (text, markdown, html) from its bytes; *label* becomes its ``source``."""
    if kind == "html":
        return extract_html_bytes(raw, label, context)
    text, notes = decode_text(raw)
    article = (
        extract_markdown(text, label, context) if kind == "markdown" else extract_text(text, label, context)
    )
    article.notes.extend(notes)
    return article


def extract_item(item: SourceItem, context: ExtractionContext) -> ExtractedArticle:
    """Extract one import item: a file by its kind, an archive record with what the archive states."""
    if item.archive is None:
        return extract_bytes(item.raw, item.kind, item.key, context)
    facts = item.facts
    if item.kind == "fragment":
        fragment = fragment_to_markdown(item.raw.decode("utf-8"), facts.base_url, facts.title or "")
        title = facts.title or ""
        article = analyse(title, fragment.markdown, item.origin, context, date=facts.date)
        place_figures(article, list(fragment.figures))
        images = fragment.images
    else:
        article = extract_bytes(item.raw, item.kind, item.origin, context)
        images = []
    apply_facts(article, facts, images)
    return article


def apply_facts(article: ExtractedArticle, facts: ItemFacts, images: list[dict[str, str]]) -> None:
    """What the archive states wins over what extraction found; its lists come first."""
    article.title = facts.title or article.title
    if facts.date:
        article.date = facts.date
    elif not article.date and facts.date_fallback:
        article.date = facts.date_fallback
        article.front_matter["date_source"] = "capture"
    article.authors = list(facts.authors) or article.authors
    article.tags = list(dict.fromkeys([*facts.tags, *article.tags]))
    article.summary = facts.summary or article.summary
    article.source_url = facts.source_url or article.source_url
    if facts.aliases:
        article.front_matter["aliases"] = list(facts.aliases)
    attachments = [dict(a) for a in facts.attachments]
    known = {a["url"] for a in attachments}
    attachments += [dict(image) for image in images if image["url"] not in known]
    if attachments:
        article.front_matter["attachments"] = attachments
    featured = next((a for a in attachments if a.get("featured")), None)
    if featured is not None and "image" not in article.front_matter:  # WordPress's featured image leads
        lead = {"src": featured["url"], "alt": featured.get("alt"), "caption": featured.get("caption")}
        article.front_matter["image"] = {key: value for key, value in lead.items() if value}
    if facts.partial:
        article.front_matter["partial"] = True


_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")


def extract_text(text: str, source: str, context: ExtractionContext | None = None) -> ExtractedArticle:
    """Extract an article from raw plain text (title first line, then paragraphs)."""
    context = context or ExtractionContext.for_site(None)
    if _ENTITY.search(text):  # scraped text often keeps HTML entities ("&#163;1.8m"): they are characters
        text = html.unescape(text)
    parsed = parse_plain_text(text)
    paragraphs = remove_boilerplate(parsed.paragraphs, context.rules or load_rules(None))
    if not parsed.title:
        raise SkipSource("no text")
    date = find_date(paragraphs)
    authors = _byline(paragraphs)
    return analyse(parsed.title, to_markdown(paragraphs), source, context, date=iso(date), authors=authors)


def extract_html_bytes(raw: bytes, source: str, context: ExtractionContext) -> ExtractedArticle:
    """Extract a saved web page through the HTML extractor, then find people, quotes and tags."""
    page = extract_html(raw, source)
    if not (page.title or "").strip():
        raise SkipSource("no article title found in the page")
    date = page.date.isoformat() if page.date else None
    article = analyse(
        page.title.strip(),
        page.body or "",
        source,
        context,
        date=date,
        authors=list(page.authors),
        publishers=(page.site_name,) if page.site_name else (),
    )
    article.source_url = page.source_url
    if page.language:  # the page's declared language (<html lang>, Content-Language...) for the article
        article.front_matter["language"] = page.language
    article.notes.extend(page.warnings)
    tree = parse_page(raw)
    if tree is not None:  # images are references (URLs), never downloaded here
        image = lead_image_of(tree, page.source_url)
        if image:
            article.front_matter.setdefault("image", image)
        lead = article.front_matter.get("image")
        lead_src = lead.get("src") if isinstance(lead, dict) else lead
        place_figures(article, page_figures(tree, page.source_url, article.body, lead_src))
    return article


def extract_markdown(text: str, source: str, context: ExtractionContext) -> ExtractedArticle:
    """A Markdown article: its front matter is kept; people, quotes and tags are added when missing."""
    document = parse_document(normalise(text), source)
    meta = document.meta
    body = document.body.strip("\n")
    title = str(meta.get("title") or "").strip()
    if not title:
        first, _, rest = body.partition("\n")
        title, body = first.lstrip("#").strip(), rest.strip("\n")
    if not title:
        raise SkipSource("no title")
    date = meta.get("date")
    date_text = date.isoformat() if isinstance(date, dt.date) else (str(date) if date else None)
    article = analyse(title, body, source, context, date=date_text, authors=list(meta.get("authors") or []))
    if meta.get("tags"):
        article.tags = list(dict.fromkeys([*map(str, meta["tags"]), *article.tags]))
    if meta.get("summary"):
        article.summary = str(meta["summary"])
    article.front_matter = dict(meta)
    return article


def analyse(
    title: str,
    body: str,
    source: str,
    context: ExtractionContext,
    *,
    date: str | None = None,
    authors: list[str] | None = None,
    publishers: tuple[str, ...] = (),
) -> ExtractedArticle:
    """People, quotes, tags and summary of an article given its title and Markdown body.

    The headline is analysed with the body (its people count) but mention offsets are into the body.
    A body too large for a content file is refused first: the build would refuse the article, and
    finding people in megabytes of text takes minutes.
    """
    check_content_size(len(body.encode("utf-8")), "the article text")
    combined = f"{title}\n\n{body}"
    shift = len(title) + 2
    found = find_people(combined)
    quotes = find_quotes(combined, found, min_position=shift)
    people, renamed = _apply_directory(found, context.directory, shift)
    quotes = [
        {"speaker": renamed[q["speaker"]], "text": q["text"]} for q in quotes if renamed.get(q["speaker"])
    ]
    tags = find_tags(
        title, body, people=frozenset(p.name for p in people), publishers=publishers, vocabulary=context.tags
    )
    return ExtractedArticle(
        source=source,
        title=title,
        body=body,
        date=date,
        authors=authors or [],
        people=people,
        quotes=quotes,
        tags=tags,
        summary=summarise(body),
    )


def check_content_size(size: int, what: str) -> None:
    """SkipSource when *size* bytes exceed what the build accepts in one content file."""
    if size > MAX_CONTENT_BYTES:
        raise SkipSource(
            f"{what} is {size / 1048576:.1f} MB; content files are limited to "
            f"{MAX_CONTENT_BYTES / 1048576:.0f} MB and the build would refuse it"
        )


def _apply_directory(
    found: list[Person], directory: PeopleDirectory, shift: int
) -> tuple[list[ExtractedPerson], dict[str, str | None]]:
    """Canonical names from people.toml (aliases merged, non-people dropped), body offsets, slugs."""
    merged: dict[str, ExtractedPerson] = {}
    renamed: dict[str, str | None] = {}
    for person in found:
        name = directory.canonical(person.name)
        renamed[person.name] = name
        if name is None:
            continue
        mentions = [(s - shift, e - shift) for s, e in person.mentions if s >= shift]
        entry = merged.get(name)
        if entry is None:
            role = person.role or directory.role(name)
            merged[name] = ExtractedPerson(name, directory.slug(name), role, mentions)
        else:
            entry.mentions = sorted(set(entry.mentions) | set(mentions))
            entry.role = entry.role or person.role
    people = sorted(merged.values(), key=lambda p: (p.mentions[0][0] if p.mentions else -1, p.name))
    return people, renamed


def _byline(paragraphs: list[str]) -> list[str]:
    """Authors: a "By Jane Smith and John Doe" line, or a lone name right above a dateline (newswire)."""
    for index, paragraph in enumerate(paragraphs[:4]):
        if paragraph[:3].lower() == "by " and len(paragraph) < 80:
            return clean_authors([paragraph], [])
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        if _BYLINE_NAME.fullmatch(paragraph) and is_dateline(following):
            return [paragraph]
    return []


_BYLINE_NAME = re.compile(r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}")


def summarise(body: str) -> str:
    """The first real paragraph (not a dateline, byline or heading), cut at a sentence or word."""
    for paragraph in body.split("\n\n"):
        text = paragraph.strip()
        if len(text.split()) < 8 or text.startswith(("#", "|", "-", "*", ">")):
            continue
        if len(text) <= SUMMARY_CHARS:
            return text
        cut = text[:SUMMARY_CHARS]
        end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
        if end > SUMMARY_CHARS // 2:
            return cut[: end + 1]
        return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return ""
