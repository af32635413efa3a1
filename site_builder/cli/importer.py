"""The ``import`` and ``extract`` commands: arguments in, :mod:`site_builder.importer` called, lines out."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from site_builder.importer import (
    ExtractedArticle,
    ExtractionContext,
    ImportIncomplete,
    ImportOptions,
    extract_file,
    import_sources,
)
from site_builder.importer.analysis import extract_item
from site_builder.importer.downloads import MAX_IMAGE_BYTES
from site_builder.importer.formats import read_items
from site_builder.importer.items import Excluded, Skipped, SourceItem
from site_builder.importer.parallel import ordered_map
from site_builder.importer.reading import ARCHIVE_KINDS, MAX_SOURCE_BYTES, detect_kind
from site_builder.importer.writing import extraction_or_reason


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
        help="import raw articles (.txt, .html, .md) and archives (WordPress, RSS/Atom, WARC) into content/",
        description=(
            "Import raw articles (.txt, .html, .html.gz, .md) and archives (WordPress exports, RSS and Atom "
            "feeds, WARC files, recognised by their content) into content/ as Markdown with people, "
            "quotes, tags and dates."
        ),
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
    parser.add_argument(
        "--max-size",
        type=int,
        default=MAX_SOURCE_BYTES,
        help="skip larger sources, and larger records of an archive (bytes)",
    )
    parser.add_argument("--pages", action="store_true", help="also import the pages of a WordPress export")
    parser.add_argument(
        "--download-images",
        action="store_true",
        help="fetch each article's lead image and figures into its page bundle (content/<slug>/index.md)",
    )
    parser.add_argument(
        "--max-image-size",
        type=int,
        default=MAX_IMAGE_BYTES,
        help="skip downloaded or copied images larger than this (bytes)",
    )
    if common is None:
        parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.set_defaults(handler=cmd_import)
    return parser


def cmd_import(args: argparse.Namespace) -> int:
    """The ``import`` command: returns the exit code (1 with --strict when something was skipped)."""
    site = args.site or (args.into.parent if args.into is not None else Path("."))
    options = ImportOptions(
        into=args.into if args.into is not None else _content_dir(site),
        site_dir=site,
        tags=tuple(args.tag),
        tag_from_folder=args.tag_from_folder,
        date=args.date,
        dry_run=args.dry_run,
        force=args.force,
        strict=args.strict,
        max_bytes=args.max_size,
        pages=args.pages,
        download_images=args.download_images,
        max_image_bytes=args.max_image_size,
    )
    quiet = getattr(args, "quiet", False)
    try:
        report = import_sources(args.sources, options, progress=not quiet)
    except ImportIncomplete as error:
        if not quiet:
            print(error.report.summary())
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not quiet:
        print(report.summary())
    return 0


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
    parser.set_defaults(handler=cmd_extract)
    return parser


def cmd_extract(args: argparse.Namespace) -> int:
    """The ``extract`` command: one line per article (every record of an archive); what cannot be
    extracted is reported on stderr (exit 1)."""
    context = ExtractionContext.for_site(args.site)
    options = ImportOptions(into=args.site / "content", site_dir=args.site)
    failed = 0
    work = functools.partial(_extract_unit, context=context)
    units = _units(args.files, options)
    for unit, result in ordered_map(work, units, weight=lambda unit: len(getattr(unit, "raw", b""))):
        if isinstance(result, str):
            print(f"skipped: {getattr(unit, 'origin', unit)}: {result}", file=sys.stderr)
            failed += 1
        elif args.json:
            sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(_describe(result) + "\n")
    return 1 if failed else 0


def _units(files: list[Path], options: ImportOptions) -> Iterator[Path | SourceItem | Skipped]:
    """What to extract: each file, or each record of an archive (those left out by design are not)."""
    for path in files:
        kind = detect_kind(path) if path.is_file() else None
        if kind not in ARCHIVE_KINDS:
            yield path
            continue
        for result in read_items(path, kind, options):
            if not isinstance(result, Excluded):
                yield result


def _extract_unit(unit: Path | SourceItem | Skipped, context: ExtractionContext) -> ExtractedArticle | str:
    if isinstance(unit, Skipped):
        return unit.reason
    if isinstance(unit, SourceItem):
        return extraction_or_reason(functools.partial(extract_item, unit, context))
    return extraction_or_reason(functools.partial(extract_file, unit, context))


def _describe(article: ExtractedArticle) -> str:
    lines = [f"{article.source}: {article.title}", f"  date: {article.date or '-'}"]
    for person in article.people:
        role = f" ({person.role})" if person.role else ""
        lines.append(f"  person: {person.name}{role}, {len(person.mentions)} mentions")
    lines += [f"  quote: {q['speaker']}: {q['text'][:70]}" for q in article.quotes]
    lines.append(f"  tags: {', '.join(article.tags) or '-'}")
    return "\n".join(lines)
