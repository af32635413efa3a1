"""Archives of many articles, read as streams of items: WordPress exports (WXR), RSS and Atom feeds, WARC.

Each reader yields, in archive order, a :class:`~site_builder.importer.items.SourceItem` per article,
an :class:`~site_builder.importer.items.Excluded` per record that is deliberately left out (drafts,
revisions, redirects...) and a :class:`~site_builder.importer.items.Skipped` per record it cannot read,
named by its position (item index, XML line, WARC offset). Memory stays bounded by one record, whatever
the archive's size: WXR is parsed with lxml's pull parser and each item cleared once read, a feed is
at most ``max_bytes``, a WARC is read record by record with warcio.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from site_builder.importer.formats.feeds import read_feed
from site_builder.importer.formats.warc import read_warc
from site_builder.importer.formats.wxr import read_wxr
from site_builder.importer.items import Skipped, SourceItem
from site_builder.importer.options import ImportOptions
from site_builder.importer.reading import SkipSource, read_source, source_key

ReadResult = SourceItem | Skipped
READERS = {"wxr": read_wxr, "feed": read_feed, "warc": read_warc}


def read_items(path: Path, kind: str, options: ImportOptions) -> Iterator:
    """The items of one source: every record of an archive, or the one article of a file."""
    reader = READERS.get(kind)
    if reader is not None:
        yield from reader(path, options)
        return
    try:
        raw = read_source(path, options.max_bytes)
    except SkipSource as reason:
        yield Skipped(str(path), str(reason))
        return
    key = source_key(path, options.site_dir)
    yield SourceItem(origin=str(path), key=key, kind=kind, raw=raw, folder=path.parent.name)
