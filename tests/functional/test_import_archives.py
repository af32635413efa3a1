"""Archives through ``import``: WordPress exports, RSS/Atom feeds and WARC files (issue 17).

Every fixture is written here by benchmarks/archives.py from small in-test articles (the fundus test
uses real pages from ../shared when present).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import sys
from pathlib import Path

import pytest

from site_builder.errors import SiteError
from site_builder.importer import ImportOptions, extract_file, import_sources
from site_builder.sources.frontmatter import parse_document
from tests.helpers import require_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.archives import Capture, Entry, Post, write_atom, write_rss, write_warc, write_wxr  # noqa: E402

HOLLOWAY = (
    "Finance Minister Jane Holloway resigned on Tuesday, officials said.",
    '"I have done what I could for this country," Ms Holloway said.',
)
WHEN = dt.datetime(2020, 5, 1, 9, 30, tzinfo=dt.UTC)


def meta_of(site, name: str) -> dict:
    return parse_document((site.root / "content" / name).read_text(encoding="utf-8"), name).meta


def run_import(site, *sources: Path, **options) -> object:
    return import_sources(
        list(sources), ImportOptions(into=site.root / "content", site_dir=site.root, **options)
    )


def export_posts() -> list[Post]:
    caption = (
        '[caption id="attachment_11" width="300"]<img src="/wp-content/uploads/a.jpg" alt="Holloway" /> '
    )
    return [
        Post(
            10,
            "Minister resigns",
            HOLLOWAY,
            categories=("Politics", "Uncategorized"),
            tags=("Budget",),
            excerpt="<p>The <b>minister</b> went.</p>",
            slug="minister-resigns",
            thumbnail=11,
            extra_html='\n\nRead <a href="/2017/04/12/earlier/">the earlier story</a>.\n\n'
            + caption
            + "Jane Holloway in 2016[/caption]",
        ),
        Post(
            11,
            "Holloway",
            (),
            "inherit",
            "attachment",
            parent=10,
            excerpt="Jane Holloway in 2016",
            attachment_url="https://old.example.com/wp-content/uploads/a.jpg",
            alt="Holloway",
        ),  # fmt: skip
        Post(
            12,
            "Élection à Zürich",
            ("Les électeurs de Zürich ont voté dimanche pour le maire.",),
            slug="zurich",
        ),
        Post(13, "A draft", ("Not ready.",), status="draft"),
        Post(14, "A private post", ("Staff only.",), status="private"),
        Post(15, "A deleted post", ("Gone.",), status="trash"),
        Post(16, "Minister resigns", HOLLOWAY[:1], "inherit", "revision", parent=10),
        Post(17, "About us", ("We are a newsroom.",), post_type="page", slug="about"),
        Post(18, "No date here", ("A story without a date.",), date_gmt="0000-00-00 00:00:00", slug="nodate"),
        Post(19, "Members only", ("Secret.",), password="hunter2"),
    ]


def test_wordpress_export_posts_become_articles_and_the_rest_is_counted(site) -> None:
    export = write_wxr(site.root / "export.xml", export_posts())
    report = run_import(site, export)
    assert len(report.imported) == 3 and not report.skipped
    assert report.excluded == {
        "draft": 1,
        "private": 1,
        "trash": 1,
        "revision": 1,
        "password-protected": 1,
        "page (import them with --pages)": 1,
        "attachment (kept as a reference in its post)": 1,
    }
    assert report.undated == [f"{export}: item 9"]
    meta = meta_of(site, "minister-resigns.md")
    assert meta["date"] == "2017-04-13T12:41:00+00:00" and meta["authors"] == ["Jane Doe"]
    assert meta["tags"][:2] == ["Politics", "Budget"] and "Uncategorized" not in meta["tags"]
    assert meta["summary"] == "The minister went."
    assert meta["aliases"] == ["/2017/04/13/minister-resigns/"]
    assert meta["source_url"] == "https://old.example.com/2017/04/13/minister-resigns/"
    assert meta["attachments"] == [
        {
            "url": "https://old.example.com/wp-content/uploads/a.jpg",
            "caption": "Jane Holloway in 2016",
            "alt": "Holloway",
            "featured": True,
        }
    ]
    assert meta["source"]["path"] == "export.xml" and meta["source"]["id"] == "https://old.example.com/?p=10"
    person = meta["people"][0]
    assert (person["name"], person["role"]) == ("Jane Holloway", "Finance Minister")
    assert meta["quotes"][0]["speaker"] == "Jane Holloway"
    body = (site.root / "content" / "minister-resigns.md").read_text(encoding="utf-8")
    assert "[the earlier story](https://old.example.com/2017/04/12/earlier/)" in body
    assert meta_of(site, "election-a-zurich.md")["title"] == "Élection à Zürich"
    assert "date" not in meta_of(site, "no-date-here.md")


def test_the_old_permalinks_redirect_after_a_build(site) -> None:
    run_import(site, write_wxr(site.root / "export.xml", export_posts()))
    assert site.build().articles == 3
    redirect = (site.output / "2017" / "04" / "13" / "minister-resigns" / "index.html").read_text()
    assert "articles/minister-resigns/" in redirect
    assert (site.output / "articles" / "minister-resigns" / "index.html").is_file()


def test_an_old_permalink_equal_to_the_new_url_is_not_an_alias(site) -> None:
    (site.root / "site.toml").write_text(site.settings + 'permalink = "{year}/{month}/{day}/{slug}/"\n')
    run_import(site, write_wxr(site.root / "export.xml", export_posts()[:2]))
    assert "aliases" not in meta_of(site, "minister-resigns.md")
    assert site.build().articles == 1


def test_pages_are_imported_on_request(site) -> None:
    report = run_import(site, write_wxr(site.root / "export.xml", export_posts()), pages=True)
    assert len(report.imported) == 4 and "page (import them with --pages)" not in report.excluded
    assert meta_of(site, "about-us.md")["aliases"] == ["/2017/04/13/about/"]


def test_reimport_of_an_export_is_idempotent_and_follows_changes(site) -> None:
    export = write_wxr(site.root / "export.xml", export_posts())
    run_import(site, export)
    written = {p.name: p.stat().st_mtime_ns for p in (site.root / "content").glob("*.md")}
    again = run_import(site, export)
    assert len(again.unchanged) == 3 and not again.imported and not again.updated
    assert {p.name: p.stat().st_mtime_ns for p in (site.root / "content").glob("*.md")} == written
    posts = export_posts()
    posts[0] = Post(**{**posts[0].__dict__, "paragraphs": (*HOLLOWAY, "She will stay an MP.")})
    changed = run_import(site, write_wxr(export, posts))
    assert len(changed.updated) == 1 and len(changed.unchanged) == 2
    text = (site.root / "content" / "minister-resigns.md").read_text(encoding="utf-8")
    assert "She will stay an MP." in text
    renamed = run_import(site, write_wxr(site.root / "export-2018.xml", posts))  # a later export: same GUIDs
    assert not renamed.imported and len(renamed.updated) == 3  # same files, their source.path updated
    assert sorted(written) == sorted(p.name for p in (site.root / "content").glob("*.md"))


def test_an_interrupted_import_leaves_no_half_article_and_a_rerun_completes_it(site, monkeypatch) -> None:
    export = write_wxr(site.root / "export.xml", export_posts())
    calls = []
    real_replace = os.replace

    def interrupted_second_time(source, destination):  # Ctrl-C while the second article is written
        calls.append(destination)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", interrupted_second_time)
    with pytest.raises(KeyboardInterrupt):
        run_import(site, export)
    monkeypatch.undo()
    content = site.root / "content"
    assert [p.name for p in content.iterdir()] == ["minister-resigns.md"]  # whole, and nothing else
    report = run_import(site, export)
    assert len(report.unchanged) == 1 and len(report.imported) == 2 and not report.skipped


def test_dry_run_and_a_gzipped_export_with_any_name(site) -> None:
    export = site.root / "backup-2017.dat"
    plain = write_wxr(site.root / "e.xml.gz", export_posts())
    export.write_bytes(plain.read_bytes())
    plain.unlink()
    report = run_import(site, export, dry_run=True)
    assert len(report.imported) == 3 and "would import 3" in report.summary()
    assert not list((site.root / "content").glob("*.md")) and not (site.root / ".site-cache").exists()


def test_malformed_xml_keeps_the_items_before_it_and_names_the_line(site) -> None:
    export = write_wxr(site.root / "export.xml", export_posts())
    text = export.read_text(encoding="utf-8")
    cut = text.index("<item>", text.index("A private post") - 400)
    export.write_text(text[:cut] + "<item><title>Broken</title><link>\n</channel>", encoding="utf-8")
    report = run_import(site, export)
    assert [Path(p).name for p in report.imported] != [] and len(report.imported) == 2
    [(origin, reason)] = report.skipped
    assert "line" in origin and "malformed XML" in reason
    with pytest.raises(SiteError, match="malformed XML"):
        run_import(site, export, strict=True)


def test_a_truncated_gzipped_export_keeps_what_was_read(site) -> None:
    export = write_wxr(site.root / "export.xml.gz", export_posts())
    export.write_bytes(export.read_bytes()[:-200])
    report = run_import(site, export)
    assert report.imported and report.skipped
    assert "the items after it are lost" in report.skipped[-1][1]


def test_an_entity_bomb_is_refused_before_parsing(site) -> None:
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = site.root / "export.xml"
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{levels}]>'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&l9;</title>'
        "</item></channel></rss>",
        encoding="utf-8",
    )
    report = run_import(site, bomb)
    [(origin, reason)] = report.skipped
    assert origin == str(bomb) and "entities" in reason and not report.imported


def rss_entries() -> list[Entry]:
    return [
        Entry(
            "urn:news:1",
            "Council approves bridge",
            "https://news.example.org/2020/bridge",
            "<p>The council approved the bridge, Mayor Anna Lee said.</p>"
            '<p>See <a href="/plans">plans</a>.</p>',
            "A teaser.",
            WHEN,
            "Reporter One",
            ("Transport",),
        ),
        Entry(
            "urn:news:2",
            "Summary only",
            "https://news.example.org/2020/summary",
            None,
            "Only a <b>summary</b> of the story is here for readers.",
            WHEN,
        ),  # fmt: skip
        Entry("urn:news:3", "Undated story", "https://news.example.org/2020/undated", "<p>No date.</p>"),
    ]


def test_rss_and_atom_feeds_in_a_folder(site) -> None:
    feeds = site.root / "feeds"
    feeds.mkdir()
    write_rss(feeds / "news.rss", rss_entries())
    atom = [Entry("tag:atom,2020:1", "Atom story", "https://atom.example.org/s1", "<p>Atom &amp; more.</p>")]
    write_atom(feeds / "atom.xml", atom)
    report = run_import(site, feeds)
    assert len(report.imported) == 4 and report.partial == [f"{feeds / 'news.rss'}: entry 2"]
    assert report.undated == [f"{feeds / 'atom.xml'}: entry 1", f"{feeds / 'news.rss'}: entry 3"]
    meta = meta_of(site, "council-approves-bridge.md")
    assert meta["date"] == "2020-05-01T09:30:00+00:00" and meta["authors"] == ["Reporter One"]
    assert meta["tags"][0] == "Transport" and meta["people"][0]["name"] == "Anna Lee"
    assert meta["source_url"] == "https://news.example.org/2020/bridge"
    assert (
        "[plans](https://news.example.org/plans)"
        in (site.root / "content" / "council-approves-bridge.md").read_text()
    )
    partial = meta_of(site, "summary-only.md")
    assert partial["partial"] is True and partial["source_url"] == "https://news.example.org/2020/summary"
    assert "Atom & more." in (site.root / "content" / "atom-story.md").read_text(encoding="utf-8")
    assert len(run_import(site, feeds).unchanged) == 4


def page(title: str, published: str = "") -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    text = f"{title}: the first paragraph of the story is long enough to be the main text of this page."
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1><p>{text}</p>"
        "<p>A second paragraph with more words for the extractor to keep.</p></article></body></html>"
    ).encode()


def crawl() -> list[Capture]:
    return [
        Capture("https://ex.org/a", "2020-01-01T00:00:00Z", page("Old A", "2019-12-31T10:00:00Z")),
        Capture("https://ex.org/a", "2021-01-01T00:00:00Z", page("New A", "2019-12-31T10:00:00Z")),
        Capture("https://ex.org/old", "2020-01-01T00:00:00Z", b"", "301 Moved Permanently", location="/a"),
        Capture("https://ex.org/logo.png", "2020-01-01T00:00:00Z", b"\x89PNG", content_type="image/png"),
        Capture("https://ex.org/gone", "2020-01-01T00:00:00Z", b"<p>Not found</p>", "404 Not Found"),
        Capture("https://ex.org/b", "2020-02-02T00:00:00Z", page("Page B")),
        Capture("https://ex.org/b", "2022-02-02T00:00:00Z", revisit_of="https://ex.org/b"),
    ]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_pages_become_articles(site, name: str) -> None:
    report = run_import(site, write_warc(site.root / name, crawl()))
    assert len(report.imported) == 2 and not report.skipped
    assert report.excluded == {
        "redirect": 1,
        "not HTML": 1,
        "HTTP status 404": 1,
        "an older capture of the same URL": 2,
    }
    latest = meta_of(site, "new-a.md")
    assert latest["source_url"] == "https://ex.org/a" and latest["date"].startswith("2019-12-31")
    assert "date_source" not in latest
    revisited = meta_of(site, "page-b.md")
    assert revisited["date"] == "2020-02-02T00:00:00+00:00" and revisited["date_source"] == "capture"
    assert revisited["source"] == {
        "path": name,
        "id": "https://ex.org/b",
        "sha256": revisited["source"]["sha256"],
    }
    assert not run_import(site, site.root / name).imported


def test_a_warc_record_with_a_wrong_length_is_named_by_offset(site) -> None:
    warc = write_warc(site.root / "crawl.warc", crawl())
    data = warc.read_bytes()
    second = data.index(b"WARC/1.", 10)
    length_at = data.index(b"Content-Length: ", second) + len(b"Content-Length: ")
    end = data.index(b"\r\n", length_at)
    warc.write_bytes(data[:length_at] + str(int(data[length_at:end]) + 40).encode() + data[end:])
    report = run_import(site, warc)
    assert any("record at offset" in origin and "WARC" in reason for origin, reason in report.skipped)


def test_a_truncated_warc_gz_is_reported(site) -> None:
    warc = write_warc(site.root / "crawl.warc.gz", crawl())
    warc.write_bytes(warc.read_bytes()[: warc.stat().st_size - 300])
    report = run_import(site, warc)
    assert any("truncated" in reason or "unreadable" in reason for _, reason in report.skipped), report


def test_warc_pages_extract_like_the_saved_pages(tmp_path: Path) -> None:
    fundus = require_shared("corpora", "fundus-dev")
    records = [json.loads(line) for line in (fundus / "truth.jsonl").read_text().splitlines()[:6]]
    pages = [fundus / "pages" / Path(r["html_file"]).name for r in records]
    captures = [
        Capture(r["url"], "2030-01-01T00:00:00Z", gzip.decompress(p.read_bytes()))
        for r, p in zip(records, pages, strict=True)
    ]
    write_warc(tmp_path / "fundus.warc.gz", captures)
    report = import_sources(
        [tmp_path / "fundus.warc.gz"], ImportOptions(into=tmp_path / "c", site_dir=tmp_path)
    )
    assert len(report.imported) == len({r["url"] for r in records})
    by_url = {}
    for path in (tmp_path / "c").glob("*.md"):
        meta = parse_document(path.read_text(encoding="utf-8"), path.name).meta
        by_url[meta["source_url"]] = meta
    for record, saved in zip(records, pages, strict=True):
        direct = extract_file(saved)
        through_warc = by_url[record["url"]]
        assert through_warc["title"] == direct.title
        assert through_warc.get("authors", []) == direct.authors
        assert (
            str(through_warc.get("date")) == str(direct.date) or through_warc.get("date_source") == "capture"
        )
