"""Site configuration: ``site.toml`` parsed into a frozen, typed, validated object.

Everything that changes how a site is built is here and nowhere else, so the configuration can be
fingerprinted as a whole (a change rebuilds every page) and passed around without being mutated.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import tomllib
import warnings
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from site_builder.errors import SiteError

CONFIG_FILE = "site.toml"
PERMALINK_FIELDS = ("{slug}", "{year}", "{month}", "{day}")


@dataclass(frozen=True)
class SiteConfig:
    """The validated settings of one site; paths are absolute."""

    site_dir: Path
    title: str = "News archive"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    timezone: str = "UTC"
    author: str = ""
    permalink: str = "articles/{slug}/"
    page_size: int = 20
    feed_size: int = 20
    summary_length: int = 300
    allow_raw_html: bool = False
    git_dates: bool = False
    atomic_output: bool = True  # swap in a complete new output/ (crash-safe) rather than update in place
    image_widths: tuple[int, ...] = (480, 960, 1600)  # responsive derivatives of local images (pixels)
    image_quality: int = 80  # JPEG and WebP quality of the derivatives (1-95)
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    templates_dir: Path = Path("templates")
    static_dir: Path = Path("static")
    cache_dir: Path = Path(".site-cache")
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def path_prefix(self) -> str:
        """The URL path the site lives under, e.g. ``/news/`` for https://example.org/news/."""
        return urlsplit(self.base_url).path or "/"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def absolute_url(self, path: str) -> str:
        """Absolute URL of a site path such as ``articles/x/`` (used in feeds, sitemap, canonical)."""
        return self.base_url + path.lstrip("/")

    @functools.cached_property
    def fingerprint(self) -> str:
        """A hash of every setting that can change rendered bytes (folders do not)."""
        data = {
            f.name: str(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name not in _FOLDERS
        }
        data["extra"] = json.dumps(self.extra, sort_keys=True, default=str)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    @functools.cached_property
    def reader_fingerprint(self) -> str:
        """A hash of the settings that change how one content file is read (part of its cache key)."""
        data = [self.timezone, self.permalink, self.summary_length, self.allow_raw_html]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()


_FIELD_TYPES: dict[str, type] = {
    f.name: f.type for f in dataclasses.fields(SiteConfig) if f.name not in {"site_dir", "extra"}
}
_PATH_FIELDS = {"content_dir", "output_dir", "templates_dir", "static_dir", "cache_dir"}
_FOLDERS = _PATH_FIELDS | {"site_dir"}


def load_config(site_dir: Path | str, overrides: dict[str, Any] | None = None) -> SiteConfig:
    """Read ``<site_dir>/site.toml`` (optional), apply *overrides* (CLI flags) and validate."""
    site_dir = Path(site_dir).resolve()
    path = site_dir / CONFIG_FILE
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SiteError(f"invalid TOML: {error}", path) from None
    raw.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return _validate(raw, site_dir, path)


def _validate(raw: dict[str, Any], site_dir: Path, path: Path) -> SiteConfig:
    values: dict[str, Any] = {}
    extra = raw.pop("extra", {}) or {}
    if not isinstance(extra, dict):
        raise SiteError("expected a table", path, field="extra")
    for key, value in raw.items():
        if key not in _FIELD_TYPES:
            warnings.warn(f"{path}: unknown setting '{key}' ignored", stacklevel=3)
            continue
        values[key] = _coerce(key, value, path)
    for key in _PATH_FIELDS:
        values[key] = (site_dir / values.get(key, getattr(SiteConfig, key))).resolve()
    config = SiteConfig(site_dir=site_dir, extra=extra, **values)
    _check(config, path)
    return config


def _coerce(key: str, value: Any, path: Path) -> Any:
    kind = _FIELD_TYPES[key]
    if key == "image_widths":
        if not isinstance(value, list) or not all(type(v) is int for v in value):
            raise SiteError(
                f"expected a list of widths in pixels such as [480, 960, 1600], got {value!r}",
                path,
                field=key,
            )
        return tuple(sorted(set(value)))
    if kind in ("Path", Path):
        if not isinstance(value, str) or not value:
            raise SiteError(f"expected a folder path, got {value!r}", path, field=key)
        return Path(value)
    expected = {"str": str, "int": int, "bool": bool}.get(kind if isinstance(kind, str) else kind.__name__)
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise SiteError(f"expected a whole number, got {value!r}", path, field=key)
    if expected is not None and not isinstance(value, expected):
        raise SiteError(f"expected {expected.__name__}, got {value!r}", path, field=key)
    return value


def _check(config: SiteConfig, path: Path) -> None:
    parts = urlsplit(config.base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SiteError(f"expected an absolute http(s) URL, got {config.base_url!r}", path, field="base_url")
    if not config.base_url.endswith("/"):
        object.__setattr__(config, "base_url", config.base_url + "/")
    try:
        zoneinfo.ZoneInfo(config.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SiteError(f"unknown time zone {config.timezone!r}", path, field="timezone") from None
    if "{slug}" not in config.permalink or config.permalink.startswith("/") or ".." in config.permalink:
        raise SiteError(
            f"expected a relative pattern containing {{slug}} such as 'articles/{{slug}}/', "
            f"got {config.permalink!r}",
            path,
            field="permalink",
        )
    if not config.permalink.endswith("/"):
        object.__setattr__(config, "permalink", config.permalink + "/")
    for key in ("page_size", "feed_size", "summary_length"):
        if getattr(config, key) < 1:
            raise SiteError("expected a number of at least 1", path, field=key)
    _check_images(config, path)
    output = config.output_dir
    if output == config.site_dir or config.site_dir.is_relative_to(output):
        raise SiteError(f"output folder {output} would overwrite the site itself", path, field="output_dir")
    for name in ("content_dir", "templates_dir", "static_dir", "cache_dir"):
        folder = getattr(config, name)
        if output == folder or output.is_relative_to(folder) or folder.is_relative_to(output):
            raise SiteError(
                f"output folder {output} overlaps {name} {folder}: a build replaces output/ entirely",
                path,
                field="output_dir",
            )


def _check_images(config: SiteConfig, path: Path) -> None:
    widths = config.image_widths
    if not widths or len(widths) > 8 or not all(16 <= w <= 8192 for w in widths):
        raise SiteError(
            f"expected one to eight widths from 16 to 8192 pixels, got {list(widths)!r}",
            path,
            field="image_widths",
        )
    if not 1 <= config.image_quality <= 95:
        raise SiteError("expected a quality from 1 to 95", path, field="image_quality")
