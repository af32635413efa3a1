"""Import: raw articles (plain text, saved web pages, Markdown) become content files with extracted metadata.

The Python API:

- ``extract_file(path, ExtractionContext.for_site(site_dir))`` extracts one source into an
  :class:`ExtractedArticle` (title, date, authors, people with roles and mention offsets, quotes, tags,
  summary, Markdown body) and writes nothing; ``to_json_dict()`` is what ``site-builder extract --json``
  prints. It raises :class:`SkipSource` (with the reason) for a file that cannot be imported.
- ``import_sources(paths, ImportOptions(into=content_dir, site_dir=site))`` imports files and folders into
  the content folder and returns an :class:`ImportReport` (imported, updated, unchanged, duplicates,
  skipped with reasons, undated). Re-import is idempotent and hand-edited files are kept unless
  ``force=True``; with ``strict=True`` a skipped source raises :class:`ImportIncomplete`, a
  :class:`~site_builder.errors.SiteError`, after the other sources are imported.

The modules, in the order an import runs: :mod:`~site_builder.importer.reading` (sources and bytes),
:mod:`~site_builder.importer.analysis` (extraction), :mod:`~site_builder.importer.writing` (the import),
:mod:`~site_builder.importer.manifest` (what was written, front matter); :mod:`~site_builder.importer.extract`
holds the extractors themselves.
"""

from site_builder.importer.analysis import ExtractionContext, extract_file, extract_text
from site_builder.importer.extract import ExtractedArticle, ExtractedPerson
from site_builder.importer.reading import SkipSource
from site_builder.importer.writing import ImportIncomplete, ImportOptions, ImportReport, import_sources

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
