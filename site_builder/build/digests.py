"""Digests of a build's inputs: the settings (versions, templates, people.toml) and everything read
(content keys, static files, git dates); equal digests mean nothing can have changed.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

from site_builder.config import SiteConfig
from site_builder.model.authors import FILE_NAME as AUTHORS_FILE
from site_builder.render.environment import theme_dir
from site_builder.render.fingerprint import build_salt, is_template_file
from site_builder.render.translations import SITE_LOCALES, catalogs_digest
from site_builder.sources.files import Source, site_files
from site_builder.sources.gitdates import FileDates, dates_fingerprint

THEME_ASSETS = "assets"
THEME_STYLESHEET = f"{THEME_ASSETS}/style.css"


STATIC_PRINT = b"file:"  # the fingerprint of a copied static file is this and its SHA-256


def inputs_digest(
    settings: str,
    sources: list[Source],
    statics: dict[str, Path],
    dates: dict[str, FileDates] | None = None,
) -> str:
    """One hash of everything a build reads: if it matches the last build's, nothing can have changed."""
    digest = hashlib.sha256(settings.encode())
    digest.update("".join([item.key for item in sources]).encode())  # = one update per key, faster
    for relative, path in statics.items():
        digest.update(f"\0{relative}\0".encode() + path.read_bytes())
    if dates is not None:  # committing a file changes its git dates, not its bytes
        digest.update(b"\0git-dates\0" + dates_fingerprint(dates).encode())
    return digest.hexdigest()


def settings_digest(config: SiteConfig, drafts: bool, future: bool) -> str:
    """What every page may read besides the articles: versions, settings, templates, people.toml, plugins."""
    digest = hashlib.sha256(f"{build_salt(config)}\0{drafts}{future}".encode())
    for folder in (config.templates_dir, config.site_dir / SITE_LOCALES):  # the rules of every input folder
        if folder.is_dir():
            site_files(folder, config.site_dir, hidden_folders=True, hidden_files=True)
    # templates by their place in the site or the theme, not by absolute path: a fresh clone elsewhere
    # (a CI runner restoring the cache) has the same settings
    for label, folder in (("site", config.templates_dir), ("theme", theme_dir())):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and is_template_file(relative):
                digest.update(f"\0{label}:{relative}\0".encode() + path.read_bytes())
    people = config.site_dir / "people.toml"
    if people.exists():
        digest.update(b"\0people\0" + people.read_bytes())
    authors = config.site_dir / AUTHORS_FILE
    if authors.exists():
        digest.update(b"\0authors\0" + authors.read_bytes())
    digest.update(b"\0catalogs\0" + catalogs_digest(config).encode())
    if config.code_digest:  # the plugins' code and settings (see site_builder.build.extensions)
        digest.update(b"\0plugins\0" + config.code_digest.encode())
    return digest.hexdigest()


def static_files(config: SiteConfig) -> dict[str, Path]:
    """Theme assets under assets/, then the site's static/ copied to the output root (it wins); the
    site's files under the rules of every input folder (see :func:`site_files`)."""
    files: dict[str, Path] = {}
    assets = theme_dir() / THEME_ASSETS
    if assets.is_dir():
        for path in sorted(assets.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[f"{THEME_ASSETS}/{path.relative_to(assets).as_posix()}"] = path
    if config.static_dir.is_dir():
        for relative, path in site_files(config.static_dir, config.site_dir, hidden_folders=True):
            files[relative] = Path(path)
    if THEME_STYLESHEET in files and files[THEME_STYLESHEET].is_relative_to(config.static_dir):
        warnings.warn(
            f"{config.static_dir.name}/{THEME_STYLESHEET} replaces the whole theme stylesheet; to add "
            f'styles to the theme\'s, name your file in site.toml: extra_css = ["/css/site.css"]',
            stacklevel=2,
        )
    return files
