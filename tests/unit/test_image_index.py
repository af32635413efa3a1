"""The image index: an unchanged file is known without reading it; its digest sees every change."""

from __future__ import annotations

import os

from site_builder.images import index as image_index
from site_builder.images.index import ImageIndex
from site_builder.model.image import Rendition

RENDITION = Rendition("k1", "a", 100, 50, "jpg", (100,))


def recorded(tmp_path, monkeypatch, settle: float = 0.0) -> tuple[ImageIndex, str]:
    monkeypatch.setattr(image_index, "SETTLE_SECONDS", settle)
    file = tmp_path / "a.jpg"
    file.write_bytes(b"one")
    index = ImageIndex.load(tmp_path / "cache", "settings")
    index.record("content:a.jpg", str(file), os.stat(file), RENDITION)
    index.save()
    return ImageIndex.load(tmp_path / "cache", "settings"), str(file)


def test_a_recorded_file_is_known_until_it_changes(tmp_path, monkeypatch):
    index, file = recorded(tmp_path, monkeypatch)
    assert index.current_digest() == index.recorded_digest()
    assert index.known("content:a.jpg", file, os.stat(file)) == RENDITION
    assert index.known("content:a.jpg", file + "x", os.stat(file)) is None  # another path
    with open(file, "ab") as handle:
        handle.write(b" two")
    assert index.current_digest() != index.recorded_digest()
    assert index.known("content:a.jpg", file, os.stat(file)) is None
    os.unlink(file)
    assert index.current_digest() != index.recorded_digest()


def test_a_file_changed_just_before_it_was_recorded_is_looked_at_again(tmp_path, monkeypatch):
    index, file = recorded(tmp_path, monkeypatch, settle=3600.0)
    assert index.known("content:a.jpg", file, os.stat(file)) is None
    assert index.current_digest() != index.recorded_digest()


def test_other_settings_and_damaged_files_start_afresh(tmp_path, monkeypatch):
    recorded(tmp_path, monkeypatch)
    assert ImageIndex.load(tmp_path / "cache", "other").entries == {}
    (tmp_path / "cache" / "images" / "index.pickle").write_bytes(b"garbage")
    assert ImageIndex.load(tmp_path / "cache", "settings").entries == {}


def test_only_the_images_used_are_kept(tmp_path, monkeypatch):
    index, file = recorded(tmp_path, monkeypatch)
    index.record("content:b.jpg", file, os.stat(file), Rendition("k2", "b", 10, 10))
    assert index.keys() == {"k1", "k2"}
    index.keep_only({"content:b.jpg"})
    assert index.changed and index.keys() == {"k2"}
    index.save()
    assert ImageIndex.load(tmp_path / "cache", "settings").keys() == {"k2"}
