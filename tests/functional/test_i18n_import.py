"""An imported web page keeps its declared language, and its article page is built in it."""

from __future__ import annotations

from site_builder.importer import ImportOptions, import_sources
from site_builder.sources.frontmatter import parse_document

PARAGRAPHS = [
    "Der Stadtrat hat am Dienstagabend nach langer Debatte den Bau der neuen Brücke beschlossen.",
    "Die Arbeiten sollen im kommenden Frühjahr beginnen und nach Angaben der Verwaltung zwei Jahre dauern.",
    "Anwohner hatten sich seit Jahren für eine zusätzliche Verbindung der Stadtteile eingesetzt.",
    "Die Kosten werden auf rund vierzig Millionen Euro geschätzt, der Freistaat übernimmt viel davon.",
]


def german_page() -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        '<!DOCTYPE html><html lang="de-DE"><head><meta charset="utf-8"><title>Neue Brücke beschlossen</title>'
        '<meta property="article:published_time" content="2021-03-02T10:00:00+01:00"></head>'
        f"<body><nav><a href='/'>Startseite</a></nav><article><h1>Neue Brücke beschlossen</h1>{body}"
        "</article><footer><p>Impressum</p></footer></body></html>"
    ).encode()


def test_imported_page_language_reaches_the_article_page(site):
    (site.root / "inbox").mkdir()
    (site.root / "inbox" / "bruecke.html").write_bytes(german_page())
    import_sources([site.root / "inbox"], ImportOptions(into=site.root / "content", site_dir=site.root))
    [written] = (site.root / "content").glob("*.md")
    meta = parse_document(written.read_text(encoding="utf-8"), written.name).meta
    assert meta["language"] == "de-DE"
    site.build()
    page = (site.output / f"articles/{meta['slug']}/index.html").read_text()
    assert '<html lang="de-DE">' in page and "Zum Inhalt springen" in page
    assert ">2. März 2021</time>" in page
