"""Processing one image: widths never upscaled, orientation applied, metadata gone, hostile files refused
as located errors, derivatives cached by content and settings."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from site_builder.errors import SiteError
from site_builder.images import store
from site_builder.images.process import ImageJob, Processing, responsive_widths, social_sizes
from site_builder.images.store import process_image, read_manifest
from site_builder.model.image import Rendition, crop_box

SETTINGS = Processing(widths=(480, 960, 1600), quality=80)


def job(tmp_path: Path, file: Path, social: bool = True, processing: Processing = SETTINGS) -> ImageJob:
    return ImageJob(str(file), f"content/{file.name}", file.name, social, processing, str(tmp_path / "store"))


def photo(path: Path, size=(2000, 1333), **save) -> Path:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image.save(path, **save)
    return path


def derivative(tmp_path: Path, rendition: Rendition, name: str) -> Image.Image:
    return Image.open(tmp_path / "store" / rendition.key / f"{rendition.stem}-{name}")


@pytest.mark.parametrize(
    ("width", "expected"),
    [(2000, (480, 960, 1600)), (1600, (480, 960, 1600)), (1000, (480, 1000)), (500, (500,)), (120, (120,))],
)
def test_widths_are_never_upscaled_and_not_crowded(width, expected):
    assert responsive_widths(width, (480, 960, 1600)) == expected


def test_social_crops_are_1200_wide_where_the_image_allows():
    assert social_sizes(2000, 1333, 1200) == (("16x9", 1200, 675), ("4x3", 1200, 900), ("1x1", 1200, 1200))
    assert social_sizes(1400, 933, 1200) == (("16x9", 1200, 675), ("4x3", 1200, 900), ("1x1", 933, 933))
    assert crop_box(2000, 1333, 1, 1) == (333, 0, 1666, 1333)


def test_a_photo_becomes_webp_and_jpeg_at_each_width_and_social_crops(tmp_path):
    rendition = process_image(job(tmp_path, photo(tmp_path / "Harbour at Dawn.jpg", format="JPEG")))
    assert isinstance(rendition, Rendition)
    assert (rendition.width, rendition.height, rendition.fallback) == (2000, 1333, "jpg")
    assert rendition.widths == (480, 960, 1600) and rendition.stem == "harbour-at-dawn"
    for width in rendition.widths:
        for ext, kind in (("webp", "WEBP"), ("jpg", "JPEG")):
            with derivative(tmp_path, rendition, f"{width}.{ext}") as image:
                assert (image.format, image.size) == (kind, (width, rendition.height_at(width)))
    for name, w, h in rendition.social:
        with derivative(tmp_path, rendition, f"{name}.jpg") as image:
            assert image.size == (w, h)
    assert read_manifest(tmp_path / "store" / rendition.key) == rendition


def test_exif_orientation_is_applied_and_no_metadata_is_published(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned a quarter clockwise
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8825).update({1: "N", 2: (59.0, 54.0, 42.0), 3: "E", 4: (10.0, 45.0, 7.0)})
    source = photo(tmp_path / "portrait.jpg", size=(1500, 1000), format="JPEG", exif=exif, comment=b"secret")
    rendition = process_image(job(tmp_path, source))
    assert (rendition.width, rendition.height) == (1000, 1500)  # upright: taller than wide
    for name, _ in rendition.files():
        with Image.open(tmp_path / "store" / rendition.key / name) as image:
            assert not image.getexif(), name
            assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & image.info.keys(), name
            assert b"Camera maker" not in (tmp_path / "store" / rendition.key / name).read_bytes()


def test_transparent_png_keeps_its_alpha_and_png_fallback(tmp_path):
    source = tmp_path / "logo.png"
    Image.new("RGBA", (300, 200), (200, 10, 10, 100)).save(source)
    rendition = process_image(job(tmp_path, source, social=False))
    assert (rendition.fallback, rendition.widths, rendition.social) == ("png", (300,), ())
    with derivative(tmp_path, rendition, "300.webp") as image:
        assert image.mode == "RGBA"


def test_a_big_jpeg_is_decoded_at_a_reduced_scale_and_still_exact(tmp_path, monkeypatch):
    source = photo(tmp_path / "big.jpg", size=(6400, 4800), format="JPEG", quality=60)
    seen = []
    original = Image.Image.resize

    def spy(self, size, *args, **kwargs):
        seen.append(self.size)
        return original(self, size, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "resize", spy)
    rendition = process_image(job(tmp_path, source, social=False))
    assert (rendition.width, rendition.height, rendition.widths) == (6400, 4800, (480, 960, 1600))
    assert max(seen)[0] < 6400  # JPEG draft: never all 30 megapixels decoded
    with derivative(tmp_path, rendition, "1600.jpg") as image:
        assert image.size == (1600, 1200)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a huge canvas with almost no data: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_png_header_only(100_000, 100_000), "decompression bomb"),
        (_png_header_only(9_000, 9_000), "decompression bomb"),
        (b"GIF89a not really", "not an image file"),
        (_png_header_only(300, 200), "damaged or truncated"),
        (b"<html>not an image</html>", "not an image file"),
        (b"", "not an image file"),
    ],
)
def test_hostile_files_are_errors_naming_the_file(tmp_path, data, message):
    source = tmp_path / "evil.png"
    source.write_bytes(data)
    result = process_image(job(tmp_path, source))
    assert isinstance(result, SiteError)
    assert message in result.message and result.path == "content/evil.png"


def test_a_truncated_jpeg_is_a_clear_error(tmp_path):
    whole = photo(tmp_path / "whole.jpg", format="JPEG").read_bytes()
    source = tmp_path / "cut.jpg"
    source.write_bytes(whole[: len(whole) // 2])
    result = process_image(job(tmp_path, source))
    assert isinstance(result, SiteError) and "truncated" in result.message


def test_the_pixel_limit_is_a_setting(tmp_path):
    source = photo(tmp_path / "a.jpg", size=(400, 300), format="JPEG")
    small = Processing(widths=(480,), quality=80, max_pixels=100_000)
    result = process_image(job(tmp_path, source, processing=small))
    assert isinstance(result, SiteError) and "decompression bomb" in result.message
    assert "120000 pixels" in result.message


def test_cached_derivatives_are_not_made_again_and_settings_change_the_key(tmp_path, monkeypatch):
    source = photo(tmp_path / "a.jpg", size=(1000, 600), format="JPEG")
    first = process_image(job(tmp_path, source))

    def fail(*args, **kwargs):
        raise AssertionError("processed again")

    monkeypatch.setattr(store, "make_derivatives", fail)
    assert process_image(job(tmp_path, source)) == first
    assert process_image(job(tmp_path, source, social=False)) == first  # has more than asked
    other = Processing(widths=(480, 960, 1600), quality=70)
    with pytest.raises(AssertionError, match="processed again"):
        process_image(job(tmp_path, source, processing=other))


def test_a_figure_later_used_as_a_lead_image_gains_its_social_crops(tmp_path):
    source = photo(tmp_path / "a.jpg", size=(1300, 900), format="JPEG")
    plain = process_image(job(tmp_path, source, social=False))
    assert plain.social == ()
    lead = process_image(job(tmp_path, source, social=True))
    assert lead.key == plain.key and [name for name, _, _ in lead.social] == ["16x9", "4x3", "1x1"]
    assert all((tmp_path / "store" / lead.key / name).is_file() for name, _ in lead.files())


def test_svg_is_passed_through_with_its_size(tmp_path):
    source = tmp_path / "mark.svg"
    source.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect/></svg>')
    rendition = process_image(job(tmp_path, source))
    assert (rendition.vector, rendition.width, rendition.height, rendition.files()) == (True, 40, 20, [])
    source.write_text("<html/>")
    assert "not an SVG" in process_image(job(tmp_path, source)).message


def test_gif_and_webp_sources_get_a_widely_supported_fallback(tmp_path):
    gif, webp = tmp_path / "anim.gif", tmp_path / "photo.webp"
    Image.new("P", (200, 100)).save(gif)
    Image.new("RGB", (200, 100), (1, 2, 3)).save(webp)
    assert process_image(job(tmp_path, gif)).fallback == "png"
    assert process_image(job(tmp_path, webp)).fallback == "jpg"
    assert (
        Image.open(
            io.BytesIO(
                (tmp_path / "store")
                .joinpath(process_image(job(tmp_path, webp)).key, "photo-200.jpg")
                .read_bytes()
            )
        ).format
        == "JPEG"
    )
