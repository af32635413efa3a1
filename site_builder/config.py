"""Site configuration: ``site.toml`` parsed into a frozen, typed, validated object.

Everything that changes how a site is built is here and nowhere else, so the configuration can be
fingerprinted as a whole (a change rebuilds every page) and passed around without being mutated.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import string
import tomllib
import warnings
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from site_builder.chrome import NEWSROOM_FIELDS, newsroom_settings
from site_builder.errors import SiteError
from site_builder.model.language import language_tag, tags_named, unknown_subtags
from site_builder.model.trees import LanguageTrees

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
    # a multilingual site (see model.trees): its languages, the default one (else the first) and
    # whether the default one lives under /<lang>/ too (else at the root)
    languages: tuple[str, ...] = ()
    default_language: str = ""
    default_language_in_subdir: bool = True
    timezone: str = "UTC"
    author: str = ""
    permalink: str = "articles/{slug}/"
    page_size: int = 20
    feed_size: int = 20
    summary_length: int = 300
    allow_raw_html: bool = False
    git_dates: bool = False
    atomic_output: bool = True  # swap in a complete new output/ (crash-safe) rather than update in place
    output_force: bool = False  # take over an output folder holding files site_builder did not write
    image_widths: tuple[int, ...] = (480, 960, 1600)  # responsive derivatives of local images (pixels)
    image_quality: int = 80  # JPEG and WebP quality of the derivatives (1-95)
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    templates_dir: Path = Path("templates")
    static_dir: Path = Path("static")
    cache_dir: Path = Path(".site-cache")
    extra: dict[str, Any] = field(default_factory=dict)
    # The newsroom's chrome, sections and feeds (see site_builder.chrome)
    menu: tuple[dict[str, str], ...] = ()  # {label, url}: replaces the theme's menu when given
    logo: str = ""
    favicon: str = ""
    extra_css: tuple[str, ...] = ()
    footer: str = ""
    feeds: tuple[str, ...] = ("atom",)
    feed_content: str = "summary"
    sections_from_folders: bool = False
    # Extension points (see site_builder.plugins): plugin names in the order their hooks run, each
    # one's settings ([plugin_configs.<name>]), and Markdown extensions added to the default set
    plugins: tuple[str, ...] = ()
    plugin_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    markdown_extensions: tuple[str, ...] = ()
    markdown_extension_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Where parsing and rendering run ([build] in site.toml, see site_builder.build.cluster): "" for the
    # local process pool, "local:N" for a Dask LocalCluster of N processes, "tcp://host:port" for a Dask
    # scheduler; the fsspec URL of the content-addressed store of article bodies that cluster workers
    # read ("" for .site-cache/bodies); and the fsspec URL they put rendered files into ("" for the
    # staging folder in .site-cache, on the driver's disk)
    scheduler: str = ""
    body_store: str = ""
    output_sink: str = ""
    # Set by the build once it has loaded the plugins, never read from site.toml: digests of every
    # plugin's code and settings (part of the settings digest), of those that change an article as it
    # is read (parsed articles cached under another are parsed again) and of the added Markdown
    # extensions' code (part of every content key, as Python-Markdown's own version is)
    code_digest: str = ""
    article_code_digest: str = ""
    markdown_code_digest: str = ""

    @property
    def path_prefix(self) -> str:
        """The URL path the site lives under, e.g. ``/news/`` for https://example.org/news/."""
        return urlsplit(self.base_url).path or "/"

    @functools.cached_property
    def trees(self) -> LanguageTrees | None:
        """The language trees of a multilingual site, or None (one language: today's URLs)."""
        if len(self.languages) < 2:
            return None
        return LanguageTrees(self.languages, self.language, self.default_language_in_subdir)

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
            f.name: str(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name not in _NOT_RENDERED
            and f.name not in _EXTENSION_FIELDS
            and (self.trees is not None or f.name not in _LANGUAGE_FIELDS)
            and (f.name not in _NEWSROOM_DEFAULTS or getattr(self, f.name) != _NEWSROOM_DEFAULTS[f.name])
        }
        data["extra"] = json.dumps(self.extra, sort_keys=True, default=str)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    @functools.cached_property
    def reader_fingerprint(self) -> str:
        """A hash of the settings that change how one content file is read (part of its cache key)."""
        data: list[Any] = [self.timezone, self.permalink, self.summary_length, self.allow_raw_html]
        if self.sections_from_folders:  # (default: keys as they were)
            data.append("sections_from_folders")
        if self.markdown_extensions or self.markdown_extension_configs:  # (default: keys as they were)
            data += [self.markdown_extensions, self.markdown_extension_configs, self.markdown_code_digest]
        if self.trees is not None:  # an article's URL carries its language tree's folder
            data += [self.trees.languages, self.trees.default, self.trees.default_in_subdir]
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


# Plugins and Markdown extensions are not in the fingerprint every page shares: a plugin's code and
# settings reach the fingerprints of what its hooks can change (content keys, template hashes, the
# settings digest), and the Markdown extensions only the content keys (see reader_fingerprint)
_EXTENSION_FIELDS = frozenset(
    {"plugins", "plugin_configs", "markdown_extensions", "markdown_extension_configs"}
    | {"code_digest", "article_code_digest", "markdown_code_digest"}
)
_LANGUAGE_FIELDS = frozenset({"languages", "default_language", "default_language_in_subdir"})
_NOT_SETTINGS = {"site_dir", "extra", *NEWSROOM_FIELDS}
_FIELD_TYPES: dict[str, type] = {
    f.name: f.type for f in dataclasses.fields(SiteConfig) if f.name not in _NOT_SETTINGS | _EXTENSION_FIELDS
}
# left out of the fingerprint while at their defaults: sites that do not use them keep their fingerprints
_NEWSROOM_DEFAULTS = {f.name: f.default for f in dataclasses.fields(SiteConfig) if f.name in NEWSROOM_FIELDS}
_PATH_FIELDS = {"content_dir", "output_dir", "templates_dir", "static_dir", "cache_dir"}
_INPUT_FIELDS = {"content_dir", "templates_dir", "static_dir"}
_FOLDERS = _PATH_FIELDS | {"site_dir"}
# settings that cannot change a rendered byte
_NOT_RENDERED = _FOLDERS | {"output_force", "scheduler", "body_store", "output_sink"}
SCHEDULER_PATTERN = re.compile(r"local(:[1-9][0-9]{0,3})?|(tcp|tls)://[^\s/]+:[0-9]{1,5}")
BUILD_TABLE = {
    "scheduler": "scheduler",
    "store": "body_store",
    "sink": "output_sink",
}  # [build] keys -> fields
NAMES_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*(:[A-Za-z_][A-Za-z0-9_.]*)?")


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
        except IsADirectoryError:
            raise SiteError("is a folder; expected the site's settings file", path) from None
        except OSError as error:
            raise SiteError(f"cannot be read: {error.strerror}", path) from None
    raw.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return _validate(raw, site_dir, path)


def _validate(raw: dict[str, Any], site_dir: Path, path: Path) -> SiteConfig:
    values: dict[str, Any] = {**_extension_settings(raw, path), **newsroom_settings(raw, path)}
    _take_build_table(raw, path)
    extra = raw.pop("extra", {}) or {}
    if not isinstance(extra, dict):
        raise SiteError("expected a table", path, field="extra")
    for key, value in raw.items():
        if key not in _FIELD_TYPES:
            warnings.warn(f"{path}: unknown setting '{key}' ignored", stacklevel=3)
            continue
        values[key] = _coerce(key, value, path)
    for key in _PATH_FIELDS:
        given = site_dir / values.get(key, getattr(SiteConfig, key))
        values[key] = given.resolve()
        if key in _INPUT_FIELDS:
            _refuse_linked_outside(given, values[key], site_dir, path, key)
        elif os.path.islink(given) and not given.exists():  # the build would make the link's target
            raise SiteError(
                f"{given.name} is a symlink to a missing folder ({os.readlink(given)}); remove the link "
                "or make the folder: the build will not create it",
                path,
                field=key,
            )
    config = SiteConfig(site_dir=site_dir, extra=extra, **values)
    _check(config, path)
    return config


def _take_build_table(raw: dict[str, Any], path: Path) -> None:
    """The ``[build]`` table's settings moved into *raw* (a command line option given there wins)."""
    table = raw.pop("build", None)
    if table is None:
        return
    if not isinstance(table, dict):
        raise SiteError('expected a table, e.g. [build] scheduler = "local:2"', path, field="build")
    for key, value in table.items():
        if key not in BUILD_TABLE:
            warnings.warn(f"{path}: unknown setting '{key}' in [build] ignored", stacklevel=4)
            continue
        raw.setdefault(BUILD_TABLE[key], value)


def _plain_fields(pattern: str) -> bool:
    """Every ``{...}`` of *pattern* is one of PERMALINK_FIELDS as is: no other name, no position, no
    attribute or index (``{slug.__class__}`` would be evaluated), no conversion or format."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:  # an unmatched brace
        return False
    return all(
        name is None or (f"{{{name}}}" in PERMALINK_FIELDS and not spec and conversion is None)
        for _, name, spec, conversion in parsed
    )


def _refuse_linked_outside(given: Path, resolved: Path, site_dir: Path, path: Path, key: str) -> None:
    """An input folder reached through a symlink leading outside the site is refused, as such a content
    file is (a committed link to ~/.ssh would be published); one set outside it here is the user's."""
    if Path(os.path.normpath(given)) != resolved and not resolved.is_relative_to(site_dir):
        raise SiteError(
            f"{given.name} is a symlink to a folder outside the site ({resolved}); refusing to read it",
            path,
            field=key,
        )


def _extension_settings(raw: dict[str, Any], path: Path) -> dict[str, Any]:
    """``plugins``, ``markdown_extensions`` (lists of names) and their settings tables, taken out of *raw*."""
    values: dict[str, Any] = {}
    for key in ("plugins", "markdown_extensions"):
        if key in raw:
            values[key] = _names(raw.pop(key), key, path)
    for key, names in (("plugin_configs", "plugins"), ("markdown_extension_configs", None)):
        if key not in raw:
            continue
        tables = raw.pop(key)
        if not isinstance(tables, dict) or not all(isinstance(v, dict) for v in tables.values()):
            raise SiteError("expected a table of tables, e.g. [plugin_configs.reading_time]", path, field=key)
        unknown = sorted(set(tables) - set(values.get(names, ()))) if names else []
        if unknown:
            warnings.warn(f"{path}: [{key}.{unknown[0]}] is not in {names}: ignored", stacklevel=4)
        values[key] = tables
    return values


def _names(value: Any, key: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SiteError(f"expected a list of names, got {value!r}", path, field=key)
    for name in value:
        if not NAMES_PATTERN.fullmatch(name):
            raise SiteError(f"expected a module or entry point name, got {name!r}", path, field=key)
    if len(set(value)) != len(value):
        twice = next(v for v in value if value.count(v) > 1)
        raise SiteError(f"{twice!r} is listed twice", path, field=key)
    return tuple(value)


def _coerce(key: str, value: Any, path: Path) -> Any:
    kind = _FIELD_TYPES[key]
    if key == "languages":
        return _language_list(value, path)
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


def _site_language(value: object, path: Path) -> str:
    """The ``language`` setting as a BCP 47 tag whose subtags CLDR knows (a name such as "German" or an
    unknown code would end up in every page's ``lang``), else a SiteError naming the tags to use."""
    tag = language_tag(value)
    unknown = unknown_subtags(tag) if tag is not None else []
    if tag is not None and not unknown:
        return tag
    expected = "expected a BCP 47 language tag such as 'en', 'de', 'de-AT', 'fr-CA' or 'ar-EG'"
    named = tags_named(value)
    if named:
        meant = " or ".join(repr(code) for code in named)
        raise SiteError(f"{expected}, got {value!r} (for {value} write {meant})", path, field="language")
    why = f" (CLDR knows no language, script or region {', '.join(map(repr, unknown))})" if unknown else ""
    raise SiteError(f"{expected}, got {value!r}{why}", path, field="language")


def _check(config: SiteConfig, path: Path) -> None:
    parts = urlsplit(config.base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SiteError(f"expected an absolute http(s) URL, got {config.base_url!r}", path, field="base_url")
    if not config.base_url.endswith("/"):
        object.__setattr__(config, "base_url", config.base_url + "/")
    object.__setattr__(config, "language", _site_language(config.language, path))
    if config.languages:
        _check_languages(config, path)
    try:
        zoneinfo.ZoneInfo(config.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SiteError(f"unknown time zone {config.timezone!r}", path, field="timezone") from None
    if (
        "{slug}" not in config.permalink
        or config.permalink.startswith("/")
        or ".." in config.permalink
        or not _plain_fields(config.permalink)
    ):
        raise SiteError(
            "expected a relative pattern containing {slug} such as 'articles/{slug}/', with no field "
            f"but {', '.join(PERMALINK_FIELDS)}, got {config.permalink!r}",
            path,
            field="permalink",
        )
    if not config.permalink.endswith("/"):
        object.__setattr__(config, "permalink", config.permalink + "/")
    if config.scheduler and not SCHEDULER_PATTERN.fullmatch(config.scheduler):
        raise SiteError(
            "expected a Dask scheduler address such as tcp://10.0.0.5:8786, or local:N for a cluster "
            f"of N processes on this machine, got {config.scheduler!r}",
            path,
            field="scheduler",
        )
    for key in ("page_size", "feed_size", "summary_length"):
        if getattr(config, key) < 1:
            raise SiteError("expected a number of at least 1", path, field=key)
    if os.path.lexists(config.cache_dir) and not config.cache_dir.is_dir():
        raise SiteError(
            f"{config.cache_dir} is a file, not the build cache folder: remove or rename it",
            path,
            field="cache_dir",
        )
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


def _language_list(value: Any, path: Path) -> tuple[str, ...]:
    tags = [language_tag(v) for v in value] if isinstance(value, list) and value else [None]
    if None in tags:
        raise SiteError(
            f'expected a list of language tags such as ["en", "de"], got {value!r}', path, field="languages"
        )
    if len(set(tags)) != len(tags):
        twice = next(t for t in tags if tags.count(t) > 1)
        raise SiteError(f"{twice!r} is listed twice", path, field="languages")
    return tuple(t for t in tags if t)


def _check_languages(config: SiteConfig, path: Path) -> None:
    """The default language (``default_language``, else the first of ``languages``) becomes the site's
    ``language``; a ``language`` set to another one is refused rather than guessed between."""
    default = config.default_language or config.languages[0]
    if language_tag(default) not in config.languages:
        raise SiteError(
            f"expected one of the languages {list(config.languages)}, got {default!r}",
            path,
            field="default_language",
        )
    default = language_tag(default) or default
    if config.language not in (default, SiteConfig.language):
        raise SiteError(
            f"'language' is {config.language!r} but the default of 'languages' is {default!r}: set "
            "'default_language' (or leave 'language' out)",
            path,
            field="language",
        )
    object.__setattr__(config, "language", default)
    object.__setattr__(config, "default_language", default)


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
