"""Pieces of archive import: HTML fragments to Markdown, recognising archives by content, streaming."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.importer.formats import read_items
from site_builder.importer.fragments import fragment_to_markdown, plain_text, wordpress_paragraphs
from site_builder.importer.items import Excluded
from site_builder.importer.options import ImportOptions
from site_builder.importer.reading import detect_kind

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.archives import Capture, Entry, Post, write_atom, write_rss, write_warc, write_wxr  # noqa: E402

MB = 1024 * 1024


def test_wordpress_paragraphs_and_shortcodes_become_html() -> None:
    caption = '[caption id="a1"]<img src="x.jpg" alt="X"> The caption[/caption]'
    stored = f"One line\nand a break.\n\n{caption}\n\n<h2>Hi</h2>"
    html = wordpress_paragraphs(stored)
    assert "<p>One line<br>\nand a break.</p>" in html
    assert '<figure><img src="x.jpg" alt="X"><figcaption>The caption</figcaption></figure>' in html
    assert "<h2>Hi</h2>" in html and "[caption" not in html


def test_a_fragment_keeps_its_structure_resolves_links_and_sets_images_aside() -> None:
    fragment = fragment_to_markdown(
        '<p>The <a href="/x">council</a> met.</p><script>alert(1)</script><ul><li>One</li><li>Two</li></ul>'
        '<p><img src="/up/a.jpg" alt="A bridge"> Below the picture.</p><blockquote><p>"Yes," she said.</p>'
        "</blockquote>",
        "https://old.example.com/2017/post/",
    )
    assert fragment.markdown.split("\n\n") == [
        "The [council](https://old.example.com/x) met.",
        "- One\n- Two",
        "Below the picture.",
        '> "Yes," she said.',
    ]
    assert fragment.images == [{"url": "https://old.example.com/up/a.jpg", "alt": "A bridge"}]
    assert plain_text("<p>An <b>excerpt</b>\n here</p>") == "An excerpt here"


def test_archives_are_recognised_by_their_bytes_not_their_names(tmp_path: Path) -> None:
    entry = Entry("1", "T", "https://e.org/1", "<p>x</p>")
    write_wxr(tmp_path / "a.xml", [Post(1, "T", ("x",))])
    (tmp_path / "export.backup").write_bytes(gzip.compress((tmp_path / "a.xml").read_bytes()))
    write_rss(tmp_path / "feed.txt", [entry])
    write_atom(tmp_path / "atom", [entry])
    write_warc(tmp_path / "crawl.bin", [Capture("https://e.org/1", "2020-01-01T00:00:00Z", b"<p>x</p>")])
    (tmp_path / "page.html").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "notes.txt").write_text("A title\n\nText.\n")
    kinds = {path.name: detect_kind(path) for path in tmp_path.iterdir()}
    assert kinds == {
        "a.xml": "wxr",
        "export.backup": "wxr",
        "feed.txt": "feed",
        "atom": "feed",
        "crawl.bin": "warc",
        "page.html": "html",
        "notes.txt": "text",
    }


READ_ALL = """
import re, sys
from pathlib import Path
from site_builder.importer.formats import read_items
from site_builder.importer.options import ImportOptions
path = Path(sys.argv[1])
options = ImportOptions(into=path.parent / "content", site_dir=path.parent)
count = sum(1 for item in read_items(path, "wxr", options)) if path.name else 0
peak = re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)
print(count, int(peak) * 1024)
"""


def peak_rss_of(*args: str) -> tuple[int, int]:
    """Run the reading in a child; the items it read and its peak resident memory in bytes (VmHWM:
    the child's own, where getrusage would count the parent it was forked from)."""
    output = subprocess.run(
        [sys.executable, "-c", READ_ALL, *args], capture_output=True, text=True, check=True
    )
    count, peak = output.stdout.split()
    return int(count), int(peak)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_large_export_is_read_in_bounded_memory(tmp_path: Path) -> None:
    paragraphs = tuple(
        f"Paragraph {i} of a long story about the council and its bridge. " * 8 for i in range(12)
    )
    posts = (Post(10 + i, f"Story {i}", paragraphs, slug=f"s{i}") for i in range(4000))
    export = write_wxr(tmp_path / "big.xml", posts)
    assert export.stat().st_size > 20 * MB
    _, baseline = peak_rss_of("")  # the interpreter and the importer's modules
    count, peak = peak_rss_of(str(export))
    assert count == 4000
    assert peak - baseline < 16 * MB, (
        f"reading a {export.stat().st_size / MB:.0f} MB export took {(peak - baseline) / MB:.0f} MB"
    )


def test_excluded_posts_are_reasons_not_items(tmp_path: Path) -> None:
    posts = [
        Post(1, "Live", ("x",)),
        Post(2, "Draft", ("x",), status="draft"),
        Post(3, "R", (), "inherit", "revision"),
    ]
    options = ImportOptions(into=tmp_path / "content", site_dir=tmp_path)
    results = list(read_items(write_wxr(tmp_path / "e.xml", posts), "wxr", options))
    assert [type(r).__name__ for r in results] == ["SourceItem", "Excluded", "Excluded"]
    assert [r.reason for r in results if isinstance(r, Excluded)] == ["draft", "revision"]
