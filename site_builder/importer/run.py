"""Import raw articles (plain text, saved web pages, Markdown) into the site's content/ folder.

Python API:

- :func:`extract_file` / :func:`extract_text` turn one source into an
  :class:`~site_builder.extract.ExtractedArticle` (title, date, authors, people with roles and mention
  offsets, quotes, tags, summary, Markdown body), writing nothing. ``site-builder extract FILE --json``
  prints ``ExtractedArticle.to_json_dict()`` for each file, one JSON object a line.
- :func:`import_sources` writes one Markdown file per article (YAML front matter through
  :func:`site_builder.frontmatter.dump_document`) and returns an :class:`ImportReport`.

Re-import is idempotent. Each written file's SHA-256 is kept in ``<site>/.site-cache/import-manifest.json``
with the source it came from; a file whose bytes no longer match what we wrote was edited by hand and is
left alone unless ``--force``. Sources with identical bytes are imported once and reported as duplicates.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import functools
import gzip
import hashlib
import html
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.errors import SiteError
from site_builder.importer.extract import ExtractedArticle, ExtractedPerson
from site_builder.importer.extract.boilerplate import BoilerplateRules, load_rules, remove_boilerplate
from site_builder.importer.extract.dates import find_date, is_dateline, iso
from site_builder.importer.extract.images import lead_image
from site_builder.importer.extract.names import Person, find_people
from site_builder.importer.extract.quotes import find_quotes
from site_builder.importer.extract.tags import find_tags
from site_builder.importer.extract.text import normalise, parse_plain_text, to_markdown
from site_builder.model.people import PeopleDirectory, load_people_directory
from site_builder.model.slugs import slugify, unique_slug
from site_builder.sources.frontmatter import dump_document, parse_document

MAX_SOURCE_BYTES = 10 * 1024 * 1024
SUFFIXES = (".txt", ".text", ".html", ".htm", ".html.gz", ".htm.gz", ".md", ".markdown")
MANIFEST = Path(".site-cache") / "import-manifest.json"
SUMMARY_CHARS = 280


class SkipSource(Exception):
    """A source that cannot be imported; the message is the reason shown in the summary."""


# ---------------------------------------------------------------- reading sources


def source_kind(path: Path) -> str | None:
    """ "text", "html" or "markdown" from the file name, or None for files we do not import."""
    name = path.name.lower()
    if name.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    if name.endswith((".txt", ".text")):
        return "text"
    return None


def read_source(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """The raw bytes of *path* (gunzipped for .gz); SkipSource when empty, too big or unreadable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SkipSource(f"larger than {max_bytes:,} bytes ({size:,})")
        raw = path.read_bytes()
    except OSError as error:
        raise SkipSource(f"cannot read: {error.strerror or error}") from None
    if path.name.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise SkipSource(f"not a valid gzip file ({error})") from None
        if len(raw) > max_bytes:
            raise SkipSource(f"larger than {max_bytes:,} bytes once decompressed")
    if not raw.strip():
        raise SkipSource("empty")
    return raw


def decode_text(raw: bytes) -> tuple[str, list[str]]:
    """UTF-8 text, or Latin-1 (as Windows-1252) with a note; SkipSource for binary data."""
    if b"\x00" in raw[:8192] or _control_ratio(raw[:8192]) > 0.05:
        raise SkipSource("binary data, not text")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        note = f"not valid UTF-8 (byte {error.start}); decoded as Latin-1"
    try:
        return raw.decode("cp1252"), [note]
    except UnicodeDecodeError:
        return raw.decode("latin-1"), [note]


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _control_ratio(sample: bytes) -> float:
    """Share of control bytes (not tab, newline, form feed, return): high in binary files."""
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / max(1, len(sample))


# ---------------------------------------------------------------- extraction


@dataclass(frozen=True)
class ExtractionContext:
    """What extraction needs from the site: the people directory and boilerplate rules."""

    directory: PeopleDirectory = field(default_factory=PeopleDirectory)
    rules: BoilerplateRules | None = None

    @classmethod
    def for_site(cls, site_dir: Path | None) -> ExtractionContext:
        if site_dir is None:
            return cls(PeopleDirectory(), load_rules(None))
        return cls(load_people_directory(site_dir), load_rules(site_dir))


def extract_file(
    path: Path, context: ExtractionContext | None = None, *, source: str | None = None
) -> ExtractedArticle:
    """Extract the article in *path* (any supported kind); raises SkipSource when it cannot."""
    context = context or ExtractionContext.for_site(None)
    kind = source_kind(path)
    if kind is None:
        raise SkipSource("not a .txt, .html, .html.gz or .md file")
    return extract_bytes(read_source(path), path, source if source is not None else str(path), context)


def extract_bytes(raw: bytes, path: Path, label: str, context: ExtractionContext) -> ExtractedArticle:
    """Extract an article from the (gunzipped) bytes of *path*; *label* becomes its ``source``."""
    kind = source_kind(path)
    if kind == "html":
        return extract_html_bytes(raw, label, context)
    text, notes = decode_text(raw)
    article = (
        extract_markdown(text, label, context) if kind == "markdown" else extract_text(text, label, context)
    )
    article.notes.extend(notes)
    return article


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
    try:
        from site_builder.importer.extract.html import extract_html
    except ImportError as error:  # the HTML extractor is a separate module (trafilatura)
        raise SkipSource(f"HTML import unavailable ({error})") from None
    page = extract_html(raw, source)
    if not (page.title or "").strip():
        raise SkipSource("no article title found in the page")
    date = page.date.isoformat() if page.date else None
    article = analyse(
        page.title.strip(), page.body or "", source, context, date=date, authors=list(page.authors or [])
    )
    article.source_url = page.source_url
    article.notes.extend(getattr(page, "warnings", ()) or ())
    image = lead_image(raw, page.source_url)  # a reference (URL), never downloaded
    if image:
        article.front_matter.setdefault("image", image)
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
) -> ExtractedArticle:
    """People, quotes, tags and summary of an article given its title and Markdown body.

    The headline is analysed with the body (its people count) but mention offsets are into the body.
    """
    combined = f"{title}\n\n{body}"
    shift = len(title) + 2
    found = find_people(combined)
    quotes = find_quotes(combined, found, min_position=shift)
    people, renamed = _apply_directory(found, context.directory, shift)
    quotes = [
        {"speaker": renamed[q["speaker"]], "text": q["text"]} for q in quotes if renamed.get(q["speaker"])
    ]
    tags = find_tags(title, body, people=frozenset(p.name for p in people))
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
            names = paragraph[3:].replace(" and ", ",").split(",")
            return [n.strip() for n in names if n.strip() and n.strip()[0].isupper()]
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


def unify_people(
    articles: Iterable[ExtractedArticle], directory: PeopleDirectory, known: Iterable[str] = ()
) -> None:
    """Across an archive, give a surname-only person the one full name that ends with it.

    "Putin" alone in one article becomes "Vladimir Putin" when that is the only full name with that
    surname among these articles and the *known* names (those already imported), so one person has
    one page. Names the editor listed are left alone.
    """
    articles = list(articles)
    full: dict[str, set[str]] = {}
    names = [person.name for article in articles for person in article.people]
    for name in [*names, *known]:
        words = name.split()
        if len(words) > 1:
            full.setdefault(words[-1].casefold(), set()).add(name)
    for article in articles:
        for person in article.people:
            if " " in person.name or person.name in directory.known_names():
                continue
            options = full.get(person.name.casefold(), set())
            if len(options) == 1:
                old, person.name = person.name, next(iter(options))
                person.slug = directory.slug(person.name)
                for quote in article.quotes:
                    if quote["speaker"] == old:
                        quote["speaker"] = person.name
        _merge_same_name(article)


def _merge_same_name(article: ExtractedArticle) -> None:
    merged: dict[str, ExtractedPerson] = {}
    for person in article.people:
        if person.name in merged:
            first = merged[person.name]
            first.mentions = sorted(set(first.mentions) | set(person.mentions))
            first.role = first.role or person.role
        else:
            merged[person.name] = person
    article.people = list(merged.values())


# ---------------------------------------------------------------- writing content


@dataclass
class ImportOptions:
    """Options of ``site-builder import`` (see :func:`add_import_command`)."""

    into: Path
    site_dir: Path
    tags: tuple[str, ...] = ()
    tag_from_folder: bool = False
    date: dt.date | None = None
    dry_run: bool = False
    force: bool = False
    max_bytes: int = MAX_SOURCE_BYTES


@dataclass
class ImportReport:
    """What an import did, file by file."""

    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, same bytes as)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    undated: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (source, e.g. decoded as Latin-1)
    dry_run: bool = False

    def summary(self) -> str:
        """The closing summary printed by the command."""
        verb = "would import" if self.dry_run else "imported"
        lines = [
            f"{verb} {len(self.imported)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
            f"duplicates {len(self.duplicates)}, skipped {len(self.skipped)}, undated {len(self.undated)}"
        ]
        lines += [f"  note: {source}: {note}" for source, note in self.notes]
        lines += [f"  duplicate: {source} (same bytes as {first})" for source, first in self.duplicates]
        lines += [f"  skipped: {source}: {reason}" for source, reason in self.skipped]
        if self.undated:
            shown = self.undated[:20]
            more = f" and {len(self.undated) - len(shown)} more" if len(self.undated) > len(shown) else ""
            lines.append(f"  undated (no date found; use --date): {', '.join(shown)}{more}")
        return "\n".join(lines)


def collect_sources(sources: Iterable[Path], report: ImportReport) -> list[Path]:
    """Files to import: given files, and supported files under given folders, in a stable order."""
    found: dict[Path, None] = {}
    for source in sources:
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source).parts
                if not path.is_file() or not source_kind(path) or any(p.startswith(".") for p in relative):
                    continue
                if _NOT_ARTICLE.match(path.name):
                    report.skipped.append((str(path), "a README or licence file, not an article"))
                    continue
                found[path] = None
        elif source.is_file():
            if source_kind(source):
                found[source] = None
            else:
                report.skipped.append((str(source), "not a .txt, .html, .html.gz or .md file"))
        else:
            report.skipped.append((str(source), "no such file or folder"))
    return list(found)


_NOT_ARTICLE = re.compile(r"^(?:readme|license|licence|copying|changelog|source|authors)(?:\.\w+)?$", re.I)


class Manifest:
    """``.site-cache/import-manifest.json``: per content file, its source and the hash we wrote."""

    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir / MANIFEST
        self.entries: dict[str, dict[str, Any]] = {}
        self.recovered = False
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.entries = dict(data.get("files", {}))
            except (ValueError, OSError):
                self.entries = {}

    def by_source(self) -> dict[str, str]:
        return {entry["source"]: name for name, entry in self.entries.items() if "source" in entry}

    def by_sha(self) -> dict[str, str]:
        return {entry["sha256"]: entry["source"] for entry in self.entries.values() if "sha256" in entry}

    def recover(self, content_dir: Path) -> None:
        """Re-learn imported files from their front matter (``source``) when the cache was deleted.

        What we wrote is unknown then, so a recovered file counts as possibly edited: it is left alone
        unless the new output is byte-identical or ``--force`` is given.
        """
        if not content_dir.is_dir():
            return
        for path in sorted(content_dir.glob("*.md")):
            if path.name in self.entries:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if "\nsource:" not in text:  # not written by the importer: no need to parse it
                continue
            try:
                source = parse_document(text, str(path)).meta.get("source")
            except SiteError:
                continue
            if isinstance(source, dict) and isinstance(source.get("path"), str):
                self.entries[path.name] = {"source": source["path"], "sha256": str(source.get("sha256", ""))}
                self.recovered = True

    def people(self) -> set[str]:
        """Full names (two words or more) of the people in the articles already imported."""
        return {name for entry in self.entries.values() for name in entry.get("people", ())}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": 1, "files": dict(sorted(self.entries.items()))}
        _atomic_write(self.path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _source_key(path: Path, site_dir: Path) -> str:
    """How a source is remembered: its path relative to the site, POSIX separators."""
    return Path(os.path.relpath(path.resolve(), site_dir.resolve())).as_posix()


def front_matter(article: ExtractedArticle, source_key: str, sha256: str, slug: str) -> dict:
    """The front matter fields of an imported article, in a fixed order (deterministic bytes).

    The slug is written out: two articles with the same headline get distinct file names and URLs.
    """
    meta: dict = {"title": article.title, "slug": slug}
    if article.date:
        meta["date"] = article.date
    if article.authors:
        meta["authors"] = list(article.authors)
    if article.people:
        meta["people"] = [_person_meta(p) for p in article.people]
    if article.quotes:
        meta["quotes"] = [dict(q) for q in article.quotes]
    if article.tags:
        meta["tags"] = list(article.tags)
    if article.summary:
        meta["summary"] = article.summary
    if article.source_url:
        meta["source_url"] = article.source_url
    for key, value in article.front_matter.items():  # a Markdown source's own fields win
        if key not in ("source", "slug"):
            meta[key] = value
    meta["source"] = {"path": source_key, "sha256": sha256}
    return meta


def _person_meta(person: ExtractedPerson) -> dict:
    entry: dict = {"name": person.name, "slug": person.slug}
    if person.role:
        entry["role"] = person.role
    entry["mentions"] = [list(m) for m in person.mentions]
    return entry


@dataclass
class _Pending:
    path: Path
    key: str
    sha256: str
    article: ExtractedArticle


def import_sources(
    sources: Iterable[Path], options: ImportOptions, *, progress: bool = False
) -> ImportReport:
    """Import *sources* (files or folders) into ``options.into``; see the module docstring."""
    report = ImportReport(dry_run=options.dry_run)
    files = collect_sources(sources, report)
    context = ExtractionContext.for_site(options.site_dir)
    manifest = Manifest(options.site_dir)
    manifest.recover(options.into)
    pending = list(_extract_all(files, options, context, manifest, report, progress))
    unify_people([p.article for p in pending], context.directory, manifest.people())
    _write_all(pending, options, manifest, report)
    if not options.dry_run and (report.imported or report.updated or manifest.recovered):
        manifest.save()
    return report


PARALLEL_MIN_FILES = 64  # below this, starting worker processes costs more than it saves


def _extract_all(files, options, context, manifest, report, progress) -> Iterator[_Pending]:
    """Read and de-duplicate sources here, extract them (in worker processes for large imports)."""
    known_sha = manifest.by_sha()
    seen: dict[str, str] = {}
    queue: list[tuple[Path, str, str, bytes]] = []
    for path in files:
        key = _source_key(path, options.site_dir)
        try:
            raw = read_source(path, options.max_bytes)
        except SkipSource as reason:
            report.skipped.append((str(path), str(reason)))
            continue
        sha = hashlib.sha256(raw).hexdigest()
        first = seen.get(sha) or (known_sha.get(sha) if known_sha.get(sha) != key else None)
        if first is not None:
            report.duplicates.append((str(path), first))
            continue
        seen[sha] = str(path)
        queue.append((path, key, sha, raw))
    work = functools.partial(_extract_queued, context=context)
    for (path, key, sha, _), result in zip(
        queue, _progress(_map(work, queue), progress, len(queue)), strict=True
    ):
        if isinstance(result, str):
            report.skipped.append((str(path), result))
            continue
        report.notes.extend((str(path), note) for note in result.notes)
        _complete(result, path, options)
        if not result.date:
            report.undated.append(str(path))
        yield _Pending(path, key, sha, result)


def _map(function, items: list) -> Iterator:
    """map() over *items*, in worker processes when there are many and more than one CPU."""
    workers = min(4, os.cpu_count() or 1)
    if len(items) < PARALLEL_MIN_FILES or workers < 2:
        return map(function, items)
    executor = concurrent.futures.ProcessPoolExecutor(max_workers=workers)
    return _drain(executor, executor.map(function, items, chunksize=16))


def _drain(executor: concurrent.futures.Executor, results: Iterator) -> Iterator:
    with executor:
        yield from results


def _extract_queued(item: tuple[Path, str, str, bytes], context: ExtractionContext) -> ExtractedArticle | str:
    """Extract one queued source; the reason as a string when it cannot be imported."""
    path, key, _, raw = item
    try:
        return extract_bytes(raw, path, key, context)
    except SkipSource as reason:
        return str(reason)
    except SiteError as error:
        return error.message
    except Exception as error:  # noqa: BLE001 - one broken source must not stop the import
        return f"extraction failed ({type(error).__name__}: {error})"


def _complete(article: ExtractedArticle, path: Path, options: ImportOptions) -> None:
    """Apply --date, --tag and --tag-from-folder."""
    if not article.date and options.date is not None:
        article.date = options.date.isoformat()
    extra = list(options.tags)
    if options.tag_from_folder and path.parent.name:
        extra.append(path.parent.name)
    if extra:
        article.tags = _dedupe_tags([*article.tags, *extra])


def _dedupe_tags(tags: list[str]) -> list[str]:
    """One spelling per tag slug (the first seen)."""
    kept: dict[str, str] = {}
    for tag in tags:
        kept.setdefault(slugify(tag), tag)
    return list(kept.values())


def _progress(items: Iterable, enabled: bool, total: int) -> Iterable:
    """A tqdm progress bar on an interactive terminal, else *items* unchanged."""
    if not enabled or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit="file", desc="import", file=sys.stderr)


def _write_all(
    pending: list[_Pending], options: ImportOptions, manifest: Manifest, report: ImportReport
) -> None:
    by_source = manifest.by_source()
    taken = {p.stem for p in options.into.glob("*.md")} if options.into.is_dir() else set()
    taken |= {Path(name).stem for name in manifest.entries}
    for item in pending:
        name = by_source.get(item.key)
        if name is None:
            slug = unique_slug(slugify(item.article.title), taken)
            taken.add(slug)
            name = f"{slug}.md"
        target = options.into / name
        meta = front_matter(item.article, item.key, item.sha256, Path(name).stem)
        text = dump_document(meta, item.article.body)
        data = text.encode("utf-8")
        outcome = _write_one(target, data, manifest.entries.get(name), options)
        if outcome == "edited":
            report.skipped.append((str(item.path), f"{target} was edited by hand (use --force to overwrite)"))
            continue
        getattr(report, outcome).append(str(item.path))
        if outcome != "unchanged":
            manifest.entries[name] = {
                "source": item.key,
                "sha256": item.sha256,
                "written_sha256": hashlib.sha256(data).hexdigest(),
                "people": sorted(p.name for p in item.article.people if " " in p.name),
            }


def _write_one(target: Path, data: bytes, entry: dict | None, options: ImportOptions) -> str:
    """Write *data* to *target* unless unchanged or hand-edited; returns the outcome's report field."""
    if target.is_file():
        current = target.read_bytes()
        if current == data:
            return "unchanged"
        ours = entry is not None and hashlib.sha256(current).hexdigest() == entry.get("written_sha256")
        if not ours and not options.force:
            return "edited"
        outcome = "updated"
    else:
        outcome = "imported"
    if not options.dry_run:
        _atomic_write(target, data)
    return outcome


# ---------------------------------------------------------------- command line


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2017-04-13, got {text!r}") from None


def add_import_command(subparsers, common: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """Register ``site-builder import SRC... [--into content/] [--tag T] [--tag-from-folder] ...``."""
    parser = subparsers.add_parser(
        "import",
        parents=[common] if common is not None else [],
        help="import raw articles (.txt, .html, .html.gz, .md) into content/",
        description="Import raw articles into content/ as Markdown with people, quotes, tags and dates.",
    )
    parser.add_argument("sources", nargs="+", type=Path, metavar="SRC", help="files or folders (recursive)")
    parser.add_argument(
        "--site", type=Path, default=None, help="site folder (default: the parent of --into, else .)"
    )
    parser.add_argument(
        "--into", type=Path, default=None, help="content folder to write (default: <site>/content)"
    )
    parser.add_argument(
        "--tag", action="append", default=[], help="add this tag to every article (repeatable)"
    )
    parser.add_argument(
        "--tag-from-folder", action="store_true", help="tag each article with its folder's name"
    )
    parser.add_argument("--date", type=_parse_date, help="date for articles where none is found (YYYY-MM-DD)")
    parser.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
    parser.add_argument("--force", action="store_true", help="overwrite files that were edited by hand")
    parser.add_argument("--strict", action="store_true", help="exit non-zero when any source is skipped")
    parser.add_argument("--max-size", type=int, default=MAX_SOURCE_BYTES, help="skip larger sources (bytes)")
    if common is None:
        parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.set_defaults(handler=run_import_command)
    return parser


def run_import_command(args: argparse.Namespace) -> int:
    """The ``import`` command: returns the exit code (1 with --strict when something was skipped)."""
    site = args.site or (args.into.parent if args.into is not None else Path("."))
    into = args.into if args.into is not None else _content_dir(site)
    options = ImportOptions(
        into=into,
        site_dir=site,
        tags=tuple(args.tag),
        tag_from_folder=args.tag_from_folder,
        date=args.date,
        dry_run=args.dry_run,
        force=args.force,
        max_bytes=args.max_size,
    )
    quiet = getattr(args, "quiet", False)
    report = import_sources(args.sources, options, progress=not quiet)
    if not quiet:
        print(report.summary())
    return 1 if args.strict and report.skipped else 0


def _content_dir(site: Path) -> Path:
    """The site's content folder from site.toml when there is one, else <site>/content."""
    if (site / "site.toml").is_file():
        from site_builder.config import load_config

        return load_config(site).content_dir
    return site / "content"


def add_extract_command(subparsers, common: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """Register ``site-builder extract FILE... --json``: print what import would extract, write nothing."""
    parser = subparsers.add_parser(
        "extract",
        parents=[common] if common is not None else [],
        help="print what import would extract from files (one JSON object a line with --json)",
        description=(
            "Extract articles without writing anything. With --json, print one object a line with keys "
            "source, title, date, authors, people, quotes, tags, summary, body."
        ),
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help="one JSON object a line (the stable contract)")
    parser.add_argument(
        "--site", type=Path, default=Path("."), help="site whose people.toml and boilerplate.txt apply"
    )
    parser.set_defaults(handler=run_extract_command)
    return parser


def run_extract_command(args: argparse.Namespace) -> int:
    """The ``extract`` command: one line per file; skipped files are reported on stderr (exit 1)."""
    context = ExtractionContext.for_site(args.site)
    failed = 0
    work = functools.partial(_extract_path, context=context)
    for path, result in zip(args.files, _map(work, list(args.files)), strict=True):
        if isinstance(result, str):
            print(f"skipped: {path}: {result}", file=sys.stderr)
            failed += 1
        elif args.json:
            sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(_describe(result) + "\n")
    return 1 if failed else 0


def _extract_path(path: Path, context: ExtractionContext) -> ExtractedArticle | str:
    try:
        return extract_file(path, context)
    except SkipSource as reason:
        return str(reason)
    except SiteError as error:
        return str(error)
    except Exception as error:  # noqa: BLE001 - one broken file must not stop the others
        return f"extraction failed ({type(error).__name__}: {error})"


def _describe(article: ExtractedArticle) -> str:
    lines = [f"{article.source}: {article.title}", f"  date: {article.date or '-'}"]
    for person in article.people:
        role = f" ({person.role})" if person.role else ""
        lines.append(f"  person: {person.name}{role}, {len(person.mentions)} mentions")
    lines += [f"  quote: {q['speaker']}: {q['text'][:70]}" for q in article.quotes]
    lines.append(f"  tags: {', '.join(article.tags) or '-'}")
    return "\n".join(lines)
