"""The import itself: sources in, one Markdown content file per article out.

:func:`import_sources` reads and de-duplicates the sources, extracts them (in worker processes for large
imports), gives one person one name across the archive, then writes each article whose bytes changed,
keeping files an editor changed by hand. It returns an :class:`ImportReport`; with
``ImportOptions.strict`` a skipped source makes it raise :class:`ImportIncomplete` (a SiteError) once the
other sources are imported.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.errors import SiteError
from site_builder.importer.analysis import ExtractionContext, check_content_size, extract_bytes, unify_people
from site_builder.importer.extract import ExtractedArticle
from site_builder.importer.manifest import Manifest, atomic_write, front_matter, remove_stale_temporaries
from site_builder.importer.parallel import ordered_map
from site_builder.importer.reading import (
    MAX_SOURCE_BYTES,
    SkipSource,
    collect_sources,
    read_source,
    source_key,
)
from site_builder.model.slugs import slugify, unique_slug
from site_builder.sources.frontmatter import dump_document
from site_builder.sources.reader import decode_source


@dataclass
class ImportOptions:
    """Where and how to import: the content folder, the site (people.toml, manifest) and the choices of
    ``site-builder import`` (extra tags, a fallback date, --dry-run, --force, --strict, a size limit)."""

    into: Path
    site_dir: Path
    tags: tuple[str, ...] = ()
    tag_from_folder: bool = False
    date: dt.date | None = None
    dry_run: bool = False
    force: bool = False
    strict: bool = False
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


class ImportIncomplete(SiteError):
    """``strict``: some sources were skipped (the others were imported); ``report`` says which and why."""

    def __init__(self, report: ImportReport) -> None:
        source, reason = report.skipped[0]
        more = f" (and {len(report.skipped) - 1} more skipped)" if len(report.skipped) > 1 else ""
        super().__init__(f"{reason}{more}", source)
        self.report = report


@dataclass
class _Pending:
    path: Path
    key: str
    sha256: str
    article: ExtractedArticle


def import_sources(
    sources: Iterable[Path], options: ImportOptions, *, progress: bool = False
) -> ImportReport:
    """Import *sources* (files or folders) into ``options.into``; see the module docstring.

    *progress* shows a progress bar on an interactive terminal.
    """
    report = ImportReport(dry_run=options.dry_run)
    files, report.skipped = collect_sources(sources)
    context = ExtractionContext.for_site(options.site_dir)
    manifest = Manifest(options.site_dir)
    if not options.dry_run:
        remove_stale_temporaries(options.into)
        remove_stale_temporaries(manifest.path.parent)
    manifest.recover(options.into)
    pending = list(_extract_all(files, options, context, manifest, report, progress))
    unify_people([p.article for p in pending], context.directory, manifest.people())
    try:
        _write_all(pending, options, manifest, report)
    finally:  # also when interrupted: what was written is remembered
        if not options.dry_run and (report.imported or report.updated or manifest.recovered):
            manifest.save()
    if options.strict and report.skipped:
        raise ImportIncomplete(report)
    return report


def _extract_all(
    files: list[Path],
    options: ImportOptions,
    context: ExtractionContext,
    manifest: Manifest,
    report: ImportReport,
    progress: bool,
) -> Iterator[_Pending]:
    """Read and de-duplicate sources here, extract them (in worker processes for large imports)."""
    known_sha = manifest.by_sha()
    seen: dict[str, str] = {}
    queue: list[tuple[Path, str, str, bytes]] = []
    for path in files:
        key = source_key(path, options.site_dir)
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
    results = _progress(ordered_map(work, queue), progress, len(queue))
    for (path, key, sha, _), result in zip(queue, results, strict=True):
        if isinstance(result, str):
            report.skipped.append((str(path), result))
            continue
        report.notes.extend((str(path), note) for note in result.notes)
        _complete(result, path, options)
        if not result.date:
            report.undated.append(str(path))
        yield _Pending(path, key, sha, result)


def _extract_queued(item: tuple[Path, str, str, bytes], context: ExtractionContext) -> ExtractedArticle | str:
    """Extract one queued source; the reason as a string when it cannot be imported."""
    path, key, _, raw = item
    return extraction_or_reason(functools.partial(extract_bytes, raw, path, key, context))


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
    """Write each article to its file (the one its source had before, else a new unique slug)."""
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
        data = dump_document(meta, item.article.body).encode("utf-8")
        refusal = _refusal(data, target)
        if refusal is not None:
            report.skipped.append((str(item.path), refusal))
            continue
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
        atomic_write(target, data)
    return outcome
