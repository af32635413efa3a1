"""Imported articles get their images as files in a page bundle: fetched with ``--download-images``
(from a loopback server here, with a size limit and a content-type check), or copied from the folder a
browser saved beside a page; the built site then processes them like any bundle's images."""

from __future__ import annotations

import datetime as dt
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from site_builder.build import build_site
from site_builder.cli import main
from site_builder.config import load_config
from site_builder.sources.frontmatter import parse_document

PARAGRAPHS = [
    "The harbour reopened on Saturday morning, a month after the storm closed it to every boat.",
    "Fishermen said the season could still be saved if the weather holds through the summer.",
    "The harbour master said repairs to the outer wall would take another six weeks to finish.",
]


def picture(kind: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, kind)
    return buffer.getvalue()


FILES = {
    "/photos/harbour.jpg": ("image/jpeg", picture("JPEG", (800, 600))),
    "/photos/chart.png": ("image/png", picture("PNG", (400, 300))),
    "/photos/fake.jpg": ("text/html", b"<html>not an image</html>"),
    "/photos/huge.jpg": ("image/jpeg", picture("JPEG", (800, 600)) + b"\0" * 300_000),
    "/photos/broken.jpg": ("image/jpeg", b"\xff\xd8\xff\xe0 truncated"),
}


@pytest.fixture
def image_server():
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            requests.append(self.path)
            kind, data = FILES.get(self.path, ("text/plain", b""))
            self.send_response(200 if self.path in FILES else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def page(lead: str, figures: list[str]) -> str:
    blocks = [f"<p>{PARAGRAPHS[0]}</p>"]
    for src in figures:
        caption = "<figcaption>Seen from the quay.</figcaption>"
        blocks.append(f'<figure><img src="{src}" alt="A picture">{caption}</figure>')
    blocks += [f"<p>{text}</p>" for text in PARAGRAPHS[1:]]
    return (
        '<!DOCTYPE html><html lang="en"><head><title>Harbour reopens</title>'
        f'<meta property="og:image" content="{lead}"></head><body><article><h1>Harbour reopens</h1>'
        + "\n".join(blocks)
        + "</article></body></html>"
    )


def new_site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Coast"\nbase_url = "https://example.org/"\n')
    return root


def imported(site: Path) -> tuple[Path, dict, str]:
    [index] = list((site / "content").glob("*/index.md"))
    document = parse_document(index.read_text(encoding="utf-8"), str(index))
    return index, document.meta, document.body


def test_download_images_fetches_into_a_page_bundle_within_limits(tmp_path, image_server):
    base, requests = image_server
    site = new_site(tmp_path / "site")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    figures = [f"{base}/photos/{name}" for name in ("chart.png", "fake.jpg", "huge.jpg", "broken.jpg")]
    (inbox / "harbour.html").write_text(page(f"{base}/photos/harbour.jpg", figures), encoding="utf-8")
    args = ["import", str(inbox), "--site", str(site), "-q", "--download-images", "--max-image-size=200000"]
    assert main(args) == 0
    assert sorted(requests) == sorted(["/photos/harbour.jpg", *(f.removeprefix(base) for f in figures)])
    index, meta, body = imported(site)
    assert sorted(p.name for p in index.parent.iterdir()) == ["chart.png", "harbour.jpg", "index.md"]
    assert meta["image"]["src"] == "harbour.jpg"
    assert '![A picture](chart.png "Seen from the quay.")' in body
    for kept in ("fake.jpg", "huge.jpg", "broken.jpg"):  # not an image, too large, unreadable: still links
        assert f"]({base}/photos/{kept}" in body
    build_site(load_config(site), now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC), jobs=1)
    html = (site / "output" / "articles" / "harbour-reopens" / "index.html").read_text(encoding="utf-8")
    assert "/images/" in html and "chart-400.webp" in html
    assert list((site / "output" / "images").rglob("harbour-16x9.jpg"))
    before = {p.name: p.read_bytes() for p in index.parent.iterdir()}
    assert main(args) == 0  # the same import again: the same bundle, byte for byte
    assert {p.name: p.read_bytes() for p in index.parent.iterdir()} == before


def test_a_page_saved_complete_has_its_own_images_copied(tmp_path, capsys):
    site = new_site(tmp_path / "site")
    inbox = tmp_path / "inbox"
    (inbox / "story_files").mkdir(parents=True)
    (inbox / "story_files" / "quay photo.jpg").write_bytes(picture("JPEG", (640, 480)))
    (inbox / "secret.jpg").write_bytes(picture("JPEG", (10, 10)))
    figures = ["./story_files/quay%20photo.jpg", "story_files/missing.jpg", "story_files/../secret.jpg"]
    html = page("https://cdn.example.org/lead.jpg", figures)
    (inbox / "story.html").write_text(html, encoding="utf-8")
    assert main(["import", str(inbox), "--site", str(site)]) == 0
    index, meta, body = imported(site)
    assert sorted(p.name for p in index.parent.iterdir()) == ["index.md", "quay-photo.jpg"]
    assert meta["image"]["src"] == "https://cdn.example.org/lead.jpg"  # remote: not downloaded by default
    assert "](quay-photo.jpg" in body and "missing.jpg" not in body and "secret.jpg" not in body
    assert body.strip().split("\n\n")[0] == PARAGRAPHS[0] and body.strip().split("\n\n")[-1] == PARAGRAPHS[-1]
    out = capsys.readouterr()
    assert "story_files/missing.jpg: not found beside the saved page; removed" in out.out + out.err
    assert "outside the saved page's folder" in out.out + out.err
    build_site(load_config(site), now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC), jobs=1)
    assert list((site / "output" / "images").rglob("quay-photo-480.webp"))
