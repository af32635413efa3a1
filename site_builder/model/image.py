"""Images an article shows: its lead image and the figures of its body.

A :class:`Picture` is what the content file says (the source as written, where it resolves to, alt text,
caption, credit, the line naming it); a local picture gets a :class:`Rendition` from the build: the
facts of the processed image and of the derivatives made from it. Derivative file names are a
convention shared by the processing and the pages (:func:`derivative_path`), so both live here.
"""

from __future__ import annotations

from dataclasses import dataclass

DERIVATIVES_DIR = "images"  # output folder of the processed images: images/<key>/<stem>-<name>.<ext>
SOCIAL_CROPS = (("16x9", 16, 9), ("4x3", 4, 3), ("1x1", 1, 1))  # what Google News and Discover ask for


@dataclass(frozen=True, slots=True)
class Rendition:
    """A local image as processed: its key (content hash and processing settings), its size after
    EXIF orientation, and the derivatives made from it (all named by :func:`derivative_path`)."""

    key: str
    stem: str  # the file name as a slug: derivative names say what the picture is
    width: int
    height: int
    fallback: str = "jpg"  # format for browsers without WebP: "jpg" or "png" ("svg": passed through)
    widths: tuple[int, ...] = ()  # responsive derivatives, ascending; each as WebP and as *fallback*
    social: tuple[tuple[str, int, int], ...] = ()  # crops for og:image and JSON-LD: (name, width, height)

    def __reduce__(self) -> tuple:
        return (
            Rendition,
            (self.key, self.stem, self.width, self.height, self.fallback, self.widths, self.social),
        )

    @property
    def vector(self) -> bool:
        return self.fallback == "svg"

    def height_at(self, width: int) -> int:
        """The height of the derivative *width* pixels wide (the processing resizes to exactly this)."""
        return scaled_height(self.width, self.height, width)

    def files(self) -> list[tuple[str, str]]:
        """(file name in the key's folder, output path) of every derivative."""
        names = [f"{self.stem}-{w}.{ext}" for w in self.widths for ext in ("webp", self.fallback)]
        names += [f"{self.stem}-{name}.jpg" for name, _, _ in self.social]
        return [(name, f"{DERIVATIVES_DIR}/{self.key}/{name}") for name in names]


@dataclass(frozen=True, slots=True)
class Picture:
    """An image named by an article: the lead image (front matter ``image``) or a figure of its body.

    *root* says where a local file is: ``"content"`` (beside the article: a page bundle) or
    ``"static"`` (the site's static/ folder), with *path* relative to it; a remote image (an absolute
    URL, never fetched) has root ``""``.
    """

    src: str  # as written in the content file
    root: str
    path: str
    line: int | None = None  # the line of the content file naming it
    alt: str = ""
    caption: str = ""
    credit: str = ""
    width: int | None = None  # as given in front matter, for a remote image
    height: int | None = None
    rendition: Rendition | None = None  # set by the build for a local image

    def __reduce__(self) -> tuple:
        return (
            Picture,
            (
                self.src, self.root, self.path, self.line, self.alt, self.caption, self.credit,
                self.width, self.height, self.rendition,
            ),
        )  # fmt: skip

    @property
    def remote(self) -> bool:
        return not self.root

    @property
    def location(self) -> str:
        """Identifies the file across articles: ``content:story/photo.jpg``, ``static:logo.svg``."""
        return f"{self.root}:{self.path}"


def scaled_height(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


def crop_box(width: int, height: int, ratio_w: int, ratio_h: int) -> tuple[int, int, int, int]:
    """The largest centred box of the ratio *ratio_w*:*ratio_h* inside a *width* x *height* image."""
    crop_w = min(width, height * ratio_w // ratio_h)
    crop_h = min(height, crop_w * ratio_h // ratio_w)
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    return left, top, left + crop_w, top + crop_h


def derivative_path(key: str, file_name: str) -> str:
    return f"{DERIVATIVES_DIR}/{key}/{file_name}"
