"""The import itself: sources in, one Markdown content file per article out.

:func:`import_sources` streams items from the sources (files, and the records of archives), drops
duplicates, extracts them (in worker processes for large imports) into a spool on disk while learning
every full name, then gives one person one name across the archive and writes each article whose bytes
changed, keeping files an editor changed by hand. Memory stays bounded by a few items in flight plus
one small record per article (its names, its manifest entry), whatever the size of the archive. It
returns an :class:`ImportReport`; with ``ImportOptions.strict`` a skipped source or record makes it
raise :class:`ImportIncomplete` (a SiteError) once the rest is imported.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.config import SiteConfig, load_config
from site_builder.errors import SiteError
from site_builder.importer.analysis import ExtractionContext, check_content_size, extract_item
from site_builder.importer.bundles import gather_bundle
from site_builder.importer.documents import (
    atomic_write,
    front_matter,
    remove_stale_temporaries,
    source_field,
)
from site_builder.importer.extract import ExtractedArticle
from site_builder.importer.extract.vocabulary import TagVocabulary, folder_tag
from site_builder.importer.formats import read_items
from site_builder.importer.items import Excluded, Skipped, SourceItem
from site_builder.importer.manifest import Manifest
from site_builder.importer.options import ImportOptions
from site_builder.importer.parallel import ordered_map
from site_builder.importer.people import FullNames
from site_builder.importer.reading import ARCHIVE_KINDS, SkipSource, collect_sources
from site_builder.importer.spool import open_spool
from site_builder.model.slugs import slugify, unique_slug
from site_builder.sources.frontmatter import dump_document
from site_builder.sources.reader import decode_source, permalink


@dataclass
class ImportReport:
    """What an import did, source by source (a file's path, or an archive record's position)."""

    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, same as)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    excluded: Counter[str] = field(default_factory=Counter)  # archive records left out, by reason
    partial: list[str] = field(default_factory=list)  # feed entries imported from their summary
    undated: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (source, e.g. decoded as Latin-1)
    dry_run: bool = False

    def summary(self) -> str:
        """The closing summary printed by the command."""
        verb = "would import" if self.dry_run else "imported"
        first = (
            f"{verb} {len(self.imported)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
            f"duplicates {len(self.duplicates)}, skipped {len(self.skipped)}, undated {len(self.undated)}"
        )
        lines = [first + (f", partial {len(self.partial)}" if self.partial else "")]
        if self.excluded:
            counts = ", ".join(f"{count} {reason}" for reason, count in sorted(self.excluded.items()))
            lines.append(f"  left out of archives: {counts}")
        lines += [f"  note: {source}: {note}" for source, note in self.notes]
        lines += [f"  duplicate: {source} (same as {first})" for source, first in self.duplicates]
        lines += [f"  skipped: {source}: {reason}" for source, reason in self.skipped]
        lines += _listed("partial (only a summary; see source_url)", self.partial)
        lines += _listed("undated (no date found; use --date)", self.undated)
        return "\n".join(lines)


def _listed(label: str, sources: list[str], shown: int = 20) -> list[str]:
    if not sources:
        return []
    more = f" and {len(sources) - shown} more" if len(sources) > shown else ""
    return [f"  {label}: {', '.join(sources[:shown])}{more}"]


class ImportIncomplete(SiteError):
    """``strict``: some sources were skipped (the others were imported); ``report`` says which and why."""

    def __init__(self, report: ImportReport) -> None:
        source, reason = report.skipped[0]
        more = f" (and {len(report.skipped) - 1} more skipped)" if len(report.skipped) > 1 else ""
        super().__init__(f"{reason}{more}", source)
        self.report = report


@dataclass
class _Extracted:
    """An extracted article waiting in the spool, with what writing it needs to know of its item."""

    origin: str
    key: str
    archive: str | None
    sha256: str
    article: ExtractedArticle


def import_sources(
    sources: Iterable[Path], options: ImportOptions, *, progress: bool = False
) -> ImportReport:
    """Import *sources* (files, archives or folders) into ``options.into``; see the module docstring.

    *progress* shows a progress bar (items and items/s) on an interactive terminal.
    """
    report = ImportReport(dry_run=options.dry_run)
    found, report.skipped = collect_sources(sources)
    context = ExtractionContext.for_site(options.site_dir)
    if not options.dry_run:
        remove_stale_temporaries(options.into)
        remove_stale_temporaries(options.site_dir / ".site-cache")
    manifest = Manifest(options.site_dir, dry_run=options.dry_run)
    try:
        manifest.recover(options.into)
        names = FullNames(context.directory, manifest.people())
        total = None if any(kind in ARCHIVE_KINDS for _, kind in found) else len(found)
        with open_spool(_spool_folder(options)) as spool:
            items = _unique(_items(found, options, report), manifest, report)
            for extracted in _progress(_extract_all(items, options, context, report), progress, total):
                names.add(extracted.article)
                spool.append(extracted)
            _write_all(spool, names, options, manifest, report)
    finally:  # also when interrupted: what was written is remembered
        manifest.close()
    if options.strict and report.skipped:
        raise ImportIncomplete(report)
    return report


def _spool_folder(options: ImportOptions) -> Path | None:
    """Beside the manifest (the site's disk, not a RAM-backed /tmp) unless this is a dry run."""
    if options.dry_run:
        return None
    folder = options.site_dir / ".site-cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _items(
    found: list[tuple[Path, str]], options: ImportOptions, report: ImportReport
) -> Iterator[SourceItem]:
    """Every item of every source, in order; excluded and unreadable records go to the report."""
    for path, kind in found:
        for result in read_items(path, kind, options):
            if isinstance(result, Excluded):
                report.excluded[result.reason] += 1
            elif isinstance(result, Skipped):
                report.skipped.append((result.origin, result.reason))
            else:
                yield result


def _unique(
    items: Iterable[SourceItem], manifest: Manifest, report: ImportReport
) -> Iterator[tuple[SourceItem, str]]:
    """Items with their digest, less those with the bytes of an earlier one (in this import or an
    earlier one) or the key of an earlier one in this import (the first wins): those are duplicates."""
    for item in items:
        sha = item.digest()
        known = manifest.source_for(sha)
        first = manifest.first_seen(sha, item.key, item.origin) or (known if known != item.key else None)
        if first is not None:
            report.duplicates.append((item.origin, first))
            continue
        yield item, sha


def _extract_all(
    items: Iterable[tuple[SourceItem, str]],
    options: ImportOptions,
    context: ExtractionContext,
    report: ImportReport,
) -> Iterator[_Extracted]:
    """Extract the items (in worker processes for large imports), in order."""
    work = functools.partial(_extract_one, context=context)
    for (item, sha), result in ordered_map(work, items, weight=lambda queued: len(queued[0].raw)):
        if isinstance(result, str):
            report.skipped.append((item.origin, result))
            continue
        report.notes.extend((item.origin, note) for note in result.notes)
        _complete(result, item.folder, options, context.tags)
        if not result.date:
            report.undated.append(item.origin)
        if item.facts.partial:
            report.partial.append(item.origin)
        yield _Extracted(item.origin, item.key, item.archive, sha, result)


def _extract_one(queued: tuple[SourceItem, str], context: ExtractionContext) -> ExtractedArticle | str:
    """Extract one item in a worker; the reason as a string when it cannot be imported."""
    return extraction_or_reason(functools.partial(extract_item, queued[0], context))


def extraction_or_reason(extract: functools.partial[ExtractedArticle]) -> ExtractedArticle | str:
    """The article *extract* returns, or why it could not: one broken source never stops the others."""
    try:
        return extract()
    except SkipSource as reason:
        return str(reason)
    except SiteError as error:
        return error.message
    except Exception as error:  # noqa: BLE001 - a bug in one extractor must not lose the whole import
        return f"extraction failed ({type(error).__name__}: {error})"


def _complete(
    article: ExtractedArticle, folder: str, options: ImportOptions, vocabulary: TagVocabulary
) -> None:
    """Apply --date, --tag and --tag-from-folder (a folder's name shown title-cased, same slug)."""
    if not article.date and options.date is not None:
        article.date = options.date.isoformat()
    extra = list(options.tags)
    if options.tag_from_folder and folder:
        extra.append(folder_tag(folder))
    if extra:
        article.tags = _dedupe_tags(vocabulary.fold([*article.tags, *extra]))


def _dedupe_tags(tags: list[str]) -> list[str]:
    """One spelling per tag slug (the first seen)."""
    kept: dict[str, str] = {}
    for tag in tags:
        kept.setdefault(slugify(tag), tag)
    return list(kept.values())


def _progress(items: Iterable, enabled: bool, total: int | None) -> Iterable:
    """A tqdm progress bar (count, items/s) on an interactive terminal, else *items* unchanged."""
    if not enabled or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit=" articles", desc="import", file=sys.stderr)


def _write_all(
    spool: Iterable[_Extracted],
    names: FullNames,
    options: ImportOptions,
    manifest: Manifest,
    report: ImportReport,
) -> None:
    """Write each article to its file (the one its source had before, else a new unique slug)."""
    taken = _TakenSlugs(options.into, manifest)
    pattern = _permalink_pattern(options.site_dir)
    for item in spool:
        names.unify(item.article)
        name = manifest.name_for(item.key)
        bundling = _may_bundle(name)  # an article imported as one file before keeps its images as links
        bundle = gather_bundle(
            item.article,
            Path(item.origin).parent if item.archive is None and bundling else None,
            download=options.download_images and not options.dry_run and bundling,
            max_bytes=options.max_image_bytes,
        )
        report.notes.extend((item.origin, note) for note in bundle.notes)
        if name is None:
            name = taken.claim(slugify(item.article.title), bundle=bool(bundle.files))
        target = options.into / name
        slug = name.removesuffix("/index.md").removesuffix(".md")
        _drop_own_url(item.article, slug, pattern)
        source = source_field(item.key, item.sha256, item.archive)
        meta = front_matter(item.article, source, slug)
        data = dump_document(meta, item.article.body).encode()
        refusal = _refusal(data, target)
        if refusal is not None:
            report.skipped.append((item.origin, refusal))
            continue
        written = manifest.written_sha256(name)
        if bundle.files and not options.dry_run and not _edited(target, written, options):
            for file_name, image in bundle.files.items():  # before the article: it never names a missing file
                atomic_write(target.parent / file_name, image)
        outcome = _write_one(target, data, written, options)
        if outcome == "edited":
            report.skipped.append((item.origin, f"{target} was edited by hand (use --force to overwrite)"))
            continue
        getattr(report, outcome).append(item.origin)
        if outcome != "unchanged":
            people = [p.name for p in item.article.people if " " in p.name]
            manifest.record(name, item.key, item.sha256, hashlib.sha256(data).hexdigest(), people)


class _TakenSlugs:
    """File names already used: in the content folder, in the manifest, or claimed by this import."""

    def __init__(self, folder: Path, manifest: Manifest) -> None:
        self.folder, self.manifest = folder, manifest
        self.claimed: set[str] = set()

    def __contains__(self, slug: str) -> bool:
        names = (f"{slug}.md", f"{slug}/index.md")
        if slug in self.claimed or any(name in self.manifest for name in names):
            return True
        return (self.folder / names[0]).exists() or (self.folder / slug).exists()

    def claim(self, slug: str, *, bundle: bool = False) -> str:
        """A file name for an article whose title makes *slug*: ``slug.md``, else ``slug-2.md``...
        (``slug/index.md`` for a page bundle)."""
        unique = unique_slug(slug, self)  # type: ignore[arg-type]  # only membership is asked
        self.claimed.add(unique)
        return f"{unique}/index.md" if bundle else f"{unique}.md"


def _may_bundle(name: str | None) -> bool:
    """May the article written as *name* (None: not written yet) get image files beside it?"""
    return name is None or name.endswith("/index.md")


def _edited(target: Path, written_sha256: str | None, options: ImportOptions) -> bool:
    """Was *target* changed by hand since this import wrote it (so it is left alone without --force)?"""
    if options.force or not target.is_file():
        return False
    return written_sha256 is None or hashlib.sha256(target.read_bytes()).hexdigest() != written_sha256


def _drop_own_url(article: ExtractedArticle, slug: str, pattern: str) -> None:
    """Drop an alias that is the article's own new URL (an old permalink the site's ``permalink``
    pattern reproduces): a redirect there would overwrite the article."""
    aliases = article.front_matter.get("aliases")
    if not aliases:
        return
    date = dt.datetime.fromisoformat(article.date) if article.date else None
    own = "/" + permalink(pattern, slug, date).strip("/") + "/"
    kept = [alias for alias in aliases if alias != own]
    if kept:
        article.front_matter["aliases"] = kept
    else:
        del article.front_matter["aliases"]


def _permalink_pattern(site_dir: Path) -> str:
    try:
        return load_config(site_dir).permalink
    except SiteError:  # a broken site.toml is the build's to report; the default pattern is a fine guess
        return SiteConfig(site_dir=site_dir).permalink


def _refusal(data: bytes, target: Path) -> str | None:
    """Why the build would refuse *data* as a content file (size, NUL bytes), or None: import writes
    nothing the build cannot read."""
    try:
        check_content_size(len(data), "the article")
        decode_source(data, str(target))
    except SkipSource as reason:
        return str(reason)
    except SiteError as error:
        return error.message
    return None


def _write_one(target: Path, data: bytes, written_sha256: str | None, options: ImportOptions) -> str:
    """Write *data* to *target* unless unchanged or hand-edited; returns the outcome's report field."""
    if target.is_file():
        current = target.read_bytes()
        if current == data:
            return "unchanged"
        ours = written_sha256 is not None and hashlib.sha256(current).hexdigest() == written_sha256
        if not ours and not options.force:
            return "edited"
        outcome = "updated"
    else:
        outcome = "imported"
    if not options.dry_run:
        atomic_write(target, data)
    return outcome
