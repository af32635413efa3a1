"""Import: raw articles (plain text, saved web pages, Markdown) and archives (WordPress exports, RSS and
Atom feeds, WARC) become content files with extracted metadata.

The Python API:

- ``extract_file(path, ExtractionContext.for_site(site_dir))`` extracts one source into an
  :class:`ExtractedArticle` (title, date, authors, people with roles and mention offsets, quotes, tags,
  summary, Markdown body) and writes nothing; ``to_json_dict()`` is what ``site-builder extract --json``
  prints. It raises :class:`SkipSource` (with the reason) for a file that cannot be imported.
- ``import_sources(paths, ImportOptions(into=content_dir, site_dir=site))`` imports files, archives
  and folders into the content folder and returns an :class:`ImportReport` (imported, updated,
  unchanged, duplicates, skipped with reasons, left out of archives, partial, undated). Re-import is
  idempotent and hand-edited files are kept unless ``force=True``; with ``strict=True`` a skipped
  source raises :class:`ImportIncomplete`, a :class:`~site_builder.errors.SiteError`, after the other
  sources are imported.

The modules, in the order an import runs: ``reading`` (which files are sources, their bytes),
``formats`` (archives read as streams of items: WordPress exports, feeds, WARC), ``items`` (the unit of
an import), ``analysis`` and ``fragments`` (extraction), ``parallel`` and ``spool`` (extraction in worker
processes, results kept on disk), ``people`` (one name per person across an archive), ``writing`` (the
import), ``documents`` (front matter, atomic writes) and ``manifest`` (what earlier imports wrote);
``extract`` holds the extractors themselves.
"""

from site_builder.importer.analysis import ExtractionContext, extract_file, extract_text
from site_builder.importer.extract import ExtractedArticle, ExtractedPerson
from site_builder.importer.options import ImportOptions
from site_builder.importer.reading import SkipSource
from site_builder.importer.writing import ImportIncomplete, ImportReport, import_sources

__all__ = [
    "ExtractedArticle",
    "ExtractedPerson",
    "ExtractionContext",
    "ImportIncomplete",
    "ImportOptions",
    "ImportReport",
    "SkipSource",
    "extract_file",
    "extract_text",
    "import_sources",
]
