"""One local image made fit for the web with Pillow.

Decoding untrusted files is where images hurt: a decompression bomb (a small file declaring a huge
canvas) is refused before any pixel is decoded, a truncated or non-image file is a clear error naming
it, and JPEGs are decoded at a reduced scale when the largest derivative needs fewer pixels (bounded
memory for camera originals). EXIF orientation is applied, then every piece of metadata (EXIF with its
GPS position, XMP, comments) is left behind: derivatives carry only their pixels and colour profile.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import posixpath
import warnings
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from typing import Any

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.model.image import SOCIAL_CROPS, Rendition, crop_box
from site_builder.model.slugs import slugify

PROCESSING_VERSION = 1  # bump when the derivatives made from the same settings change
MAX_SOURCE_BYTES = 64 * 1024 * 1024
MAX_PIXELS = 50_000_000  # 50 megapixels: 200 MB decoded as RGBA (JPEGs are decoded smaller)
SOCIAL_WIDTH = 1200  # Google Discover asks for large images at least 1,200 px wide
WEBP_METHOD = 2  # libwebp's speed/size trade-off (0 fastest, 6 smallest); Hugo's default too
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "png", "WEBP": "jpg"}  # source -> fallback format


@dataclass(frozen=True)
class Processing:
    """The settings every derivative depends on; their digest is part of each image's key."""

    widths: tuple[int, ...]
    quality: int
    max_pixels: int = MAX_PIXELS
    social_width: int = SOCIAL_WIDTH

    @classmethod
    def from_config(cls, config: SiteConfig) -> Processing:
        return cls(tuple(config.image_widths), config.image_quality)

    @functools.cached_property
    def digest(self) -> str:
        data = {**asdict(self), "version": PROCESSING_VERSION, "webp_method": WEBP_METHOD}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class ImageJob:
    """What a worker needs to process one image: the file, how errors name it, whether it is a lead
    image somewhere (then the social crops are made too), the settings and the derivatives' cache."""

    file: str  # absolute path
    shown: str  # as named in errors, e.g. content/story/photo.jpg
    name: str  # the file name, for the derivatives' names
    social: bool
    processing: Processing
    store: str  # the folder of cached derivatives (see site_builder.images.store)


def image_key(data: bytes, name: str, processing: Processing) -> str:
    """Names the derivatives of these bytes under this name and these settings (and their folder)."""
    digest = hashlib.sha256(data)
    digest.update(f"\0{name}\0{processing.digest}".encode())
    return digest.hexdigest()[:20]


def responsive_widths(width: int, wanted: tuple[int, ...]) -> tuple[int, ...]:
    """The derivative widths for an image *width* pixels wide: never upscaled; the largest is the
    largest wanted or the image's own width, and widths within 10% of it are left out."""
    top = min(width, max(wanted))
    return (*[w for w in wanted if w < top * 0.9], top)


def social_sizes(width: int, height: int, target: int) -> tuple[tuple[str, int, int], ...]:
    """(name, width, height) of each social crop: *target* pixels wide where the image allows."""
    sizes = []
    for name, ratio_w, ratio_h in SOCIAL_CROPS:
        left, top, right, bottom = crop_box(width, height, ratio_w, ratio_h)
        crop_w = min(target, right - left)
        sizes.append((name, crop_w, max(1, crop_w * ratio_h // ratio_w)))
    return tuple(sizes)


def read_source(job: ImageJob) -> bytes:
    try:
        with open(job.file, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as error:
        raise SiteError(f"image cannot be read: {error.strerror}", job.shown) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise SiteError(f"image is larger than {MAX_SOURCE_BYTES // 1048576} MB", job.shown)
    return data


def vector_rendition(data: bytes, key: str, stem: str, shown: str) -> Rendition:
    """An SVG from static/, passed through as it is: its size from the root's width and height (or
    viewBox), so the page reserves its box."""
    try:
        for _, element in ET.iterparse(io.BytesIO(data), events=("start",)):
            root = element
            break
        else:
            raise ET.ParseError("no root element")
    except ET.ParseError as error:
        raise SiteError(f"not a readable SVG file ({error})", shown) from None
    if not root.tag.endswith("svg"):
        raise SiteError("not an SVG image (its root element is not <svg>)", shown)
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        try:
            width, height = round(float(box[2])), round(float(box[3]))
        except ValueError:
            width = height = None
    if not width or not height:
        width, height = 300, 150  # the size browsers give an image without one
    return Rendition(key, stem, width, height, "svg")


def _length(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip().removesuffix("px")
    try:
        return round(float(text)) if text and float(text) > 0 else None
    except ValueError:
        return None


def decode(data: bytes, shown: str, processing: Processing, needed: int) -> tuple[Any, str, int, int]:
    """The image's pixels (orientation applied, metadata dropped but the colour profile), its
    fallback format and its size as shown; *needed*: the largest width any derivative takes."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = processing.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise SiteError(
                    f"unsupported image format {image.format} (use JPEG, PNG, GIF or WebP)", shown
                )
            if image.width * image.height > processing.max_pixels:
                raise SiteError(_too_large(image.size, processing), shown)
            oriented = _oriented_size(image)
            if image.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 when the derivatives need no more
                scale = max(needed / oriented[0], needed / oriented[1], 1 / 8)
                image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
            image.load()
            fallback = FORMATS[image.format]
            ImageOps.exif_transpose(image, in_place=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise SiteError(f"image refused as a possible decompression bomb: {error}", shown) from None
    except UnidentifiedImageError:
        raise SiteError("not an image file Pillow can read (JPEG, PNG, GIF or WebP)", shown) from None
    except (OSError, SyntaxError, ValueError) as error:  # truncated or corrupt data
        raise SiteError(f"the image file is damaged or truncated ({error})", shown) from None
    if _has_alpha(image):
        fallback = "png"  # JPEG has no transparency
    return _plain(image), fallback, *oriented


def _too_large(size: tuple[int, int], processing: Processing) -> str:
    return (
        f"image of {size[0]} x {size[1]} pixels refused: the limit is {processing.max_pixels:,} pixels "
        "(a decompression bomb?)"
    )


def _oriented_size(image: Any) -> tuple[int, int]:
    """The size as shown: EXIF orientations 5 to 8 turn the image a quarter."""
    orientation = image.getexif().get(0x0112, 1)
    return (image.height, image.width) if orientation in (5, 6, 7, 8) else image.size


def _has_alpha(image: Any) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _plain(image: Any) -> Any:
    """RGB (or RGBA where the image has transparency) with no metadata but its colour profile."""
    if image.mode == "P" and "transparency" in image.info or image.mode in ("LA", "PA"):
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    profile = image.info.get("icc_profile")
    image.info = {"icc_profile": profile} if profile else {}  # copied by every resize: EXIF, XMP gone
    return image


def make_derivatives(job: ImageJob, data: bytes, key: str, stem: str) -> tuple[Rendition, dict[str, bytes]]:
    """The rendition of the image in *data* and the bytes of each derivative by file name."""
    processing = job.processing
    needed = max(max(processing.widths), processing.social_width if job.social else 0)
    image, fallback, width, height = decode(data, job.shown, processing, needed)
    widths = responsive_widths(width, processing.widths)
    social = social_sizes(width, height, processing.social_width) if job.social else ()
    rendition = Rendition(key, stem, width, height, fallback, widths, social)
    files: dict[str, bytes] = {}
    current = largest = image
    for target in reversed(widths):  # each from the next larger one: less work, the same look
        size = (target, rendition.height_at(target))
        current = current if current.size == size else _resize(current, size)
        largest = current if target == widths[-1] else largest
        files[f"{stem}-{target}.webp"] = _encode(current, "WEBP", processing.quality)
        files[f"{stem}-{target}.{fallback}"] = _encode(current, fallback, processing.quality)
    for name, crop_w, crop_h in social:  # from the largest derivative when it has the pixels needed
        box = crop_box(width, height, *_ratio(name))
        source = largest if (box[2] - box[0]) * largest.width / width >= crop_w else image
        crop = _resize(source, (crop_w, crop_h), _scaled_box(box, source.size, (width, height)))
        files[f"{stem}-{name}.jpg"] = _encode(crop, "jpg", processing.quality)
    return rendition, files


def _ratio(name: str) -> tuple[int, int]:
    return next((w, h) for crop, w, h in SOCIAL_CROPS if crop == name)


def _scaled_box(box: tuple[int, int, int, int], actual: tuple[int, int], nominal: tuple[int, int]) -> tuple:
    """*box* (in the image's size as shown) in the decoded image's pixels (smaller if decoded at a scale)."""
    sx, sy = actual[0] / nominal[0], actual[1] / nominal[1]
    return (box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy)


def _resize(image: Any, size: tuple[int, int], box: tuple | None = None) -> Any:
    from PIL import Image

    # bicubic: as sharp as Lanczos to the eye when shrinking photos, at half its cost
    return image.resize(size, Image.Resampling.BICUBIC, box=box, reducing_gap=3.0)


def _encode(image: Any, kind: str, quality: int) -> bytes:
    buffer = io.BytesIO()
    profile = image.info.get("icc_profile")
    extra = {"icc_profile": profile} if profile else {}
    if kind == "WEBP":
        image.save(buffer, "WEBP", quality=quality, method=WEBP_METHOD, **extra)
    elif kind == "png":
        image.save(buffer, "PNG", optimize=True, **extra)
    else:
        if image.mode == "RGBA":  # a social crop of a transparent image: on white
            from PIL import Image

            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.save(
            buffer, "JPEG", quality=quality, progressive=True, **extra
        )  # progressive: optimised tables
    return buffer.getvalue()


def file_stem(name: str) -> str:
    return slugify(posixpath.splitext(name)[0])
