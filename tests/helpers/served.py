"""An output folder for the dev server tests: a few pages, plus secrets beside it (in a sibling folder
sharing its name's prefix) and symlinks pointing out of it, which no request may reach."""

from __future__ import annotations

from pathlib import Path

SECRET = b"TOP-SECRET-OUTSIDE-OUTPUT"
PAGE = b"<!doctype html><html><head><title>A</title></head><body><h1>Article A</h1></body></html>\n"
NOT_FOUND_PAGE = b"<!doctype html><html><body><h1>Custom not found</h1></body></html>\n"


def write_served_output(tmp_path: Path) -> Path:
    """output/ with a few pages and the traps described above; returns the output folder."""
    out = tmp_path / "output"
    (out / "articles" / "a").mkdir(parents=True)
    (out / "articles" / "a" / "index.html").write_bytes(PAGE)
    (out / "index.html").write_bytes(PAGE)
    (out / "404.html").write_bytes(NOT_FOUND_PAGE)
    (out / "style.css").write_text("body{color:red}\n")
    (out / "feed.xml").write_text('<?xml version="1.0"?><feed/>\n')
    (out / "app.js").write_text("console.log(1)\n")
    (out / "data.json").write_text("{}\n")
    (out / "logo.svg").write_text("<svg/>\n")
    (out / "robots.txt").write_text("User-agent: *\n")
    (out / "blob.unknownext").write_bytes(b"\x00\x01")
    (out / "%2e%2e").mkdir()  # a real folder literally named like an encoded dot-dot
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (tmp_path / "output-secret").mkdir()
    (tmp_path / "output-secret" / "secret.txt").write_bytes(SECRET)
    (out / "link-out.txt").symlink_to(tmp_path / "secret.txt")
    (out / "linkdir").symlink_to(tmp_path / "output-secret", target_is_directory=True)
    (out / "link-in.css").symlink_to(out / "style.css")
    return out
