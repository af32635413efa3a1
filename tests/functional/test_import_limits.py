"""What import writes, build accepts: the content file limits apply at import, named with the real size."""

from __future__ import annotations

from site_builder.importer import ImportOptions, import_sources
from site_builder.sources.reader import MAX_CONTENT_BYTES

PARAGRAPH = "the council met again on the matter of the bridge and agreed that more work was needed.\n\n"


def import_text(site, name: str, text: str):
    source = site.root / "inbox" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    return import_sources([source], ImportOptions(into=site.root / "content", site_dir=site.root))


def test_an_article_too_large_for_the_build_is_not_written(site) -> None:
    report = import_text(site, "huge.txt", "Bridge talks\n\n" + PARAGRAPH * (4_700_000 // len(PARAGRAPH)))
    assert not report.imported
    [(source, reason)] = report.skipped
    assert source.endswith("huge.txt")
    assert "4.5 MB" in reason and "limited to 4 MB" in reason
    assert not list((site.root / "content").glob("*.md"))
    assert site.build().articles == 0  # the site still builds


def test_front_matter_cannot_push_an_article_over_the_limit(site) -> None:
    body = PARAGRAPH * ((MAX_CONTENT_BYTES - 100) // len(PARAGRAPH))
    body += "and then " * ((MAX_CONTENT_BYTES - 100 - len(body)) // 9)  # within 100 bytes of the limit
    assert len(body.encode()) < MAX_CONTENT_BYTES  # the text fits; text plus front matter does not
    report = import_text(site, "edge.txt", "Bridge talks\n\n" + body)
    [(_, reason)] = report.skipped
    assert "the article is 4.0 MB; content files are limited to 4 MB" in reason
    assert not list((site.root / "content").glob("*.md"))
    assert site.build().articles == 0


def test_what_import_writes_the_build_reads(site) -> None:
    report = import_text(site, "fine.txt", "Bridge talks\n\n" + PARAGRAPH * 2000)
    assert len(report.imported) == 1
    written = next((site.root / "content").glob("*.md"))
    assert 100_000 < written.stat().st_size < MAX_CONTENT_BYTES
    assert site.build().articles == 1
    assert (site.output / "articles" / "bridge-talks" / "index.html").is_file()
