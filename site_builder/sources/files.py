"""Content files: finding them under content/, refusing what must not be read, keying them by bytes.

A content file's key is the hash of its path, its bytes and the reader settings: equal keys mean an
equal article, so everything derived from an article is cached by it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.sources.markup import renderer_version
from site_builder.sources.reader import CONTENT_SUFFIXES, MAX_CONTENT_BYTES, content_key


class KnownSignatures(Protocol):
    """File signatures recorded with their keys by an earlier build (see build.state.snapshot)."""

    def key(self, source: str, info: os.stat_result) -> str | None: ...

    def record(self, source: str, info: os.stat_result, key: str) -> None: ...


def read_sources(config: SiteConfig, stats: KnownSignatures | None = None) -> list[Source]:
    """Read every content file once and key it by its bytes, path and reader settings.

    With *stats*, a file whose signature (size, mtime, ctime, inode, device) is exactly the one
    recorded with its key keeps that key without being read (see :mod:`site_builder.snapshot`).
    """
    version = renderer_version()
    return [_source(source, path, config, version, stats) for source, path in content_files(config)]


def _source(
    source: str, path: str, config: SiteConfig, version: str, stats: KnownSignatures | None = None
) -> Source:
    if stats is not None:
        with contextlib.suppress(OSError):  # unreadable: reported by the read below
            key = stats.key(source, os.stat(path))
            if key is not None:
                return Source(source, key, path)
    data, info = read_content_and_status(path)
    key = content_file_key(source, data, config, version)
    if stats is not None:
        stats.record(source, info, key)
    return Source(source, key, path)


def require_site(config: SiteConfig) -> None:
    """A SiteError saying how to start a site when the folder holds neither site.toml nor content/ (an
    empty folder, a wrong --site): nothing is built or written there."""
    if not (config.site_dir / "site.toml").exists() and not os.path.isdir(config.content_dir):
        raise SiteError(
            f"no site here: no site.toml and no content folder in {config.site_dir}. Run this in the "
            "site's folder or pass --site DIR; to start a site, run 'site-builder init DIR'"
        )


def content_files(config: SiteConfig) -> list[tuple[str, str]]:
    """Markdown files under content/, sorted by their relative path (see :func:`site_files`)."""
    root = str(config.content_dir)
    if not os.path.isdir(root):
        require_site(config)
        raise SiteError(f"no content folder at {root}", config.site_dir / "site.toml", field="content_dir")
    return site_files(config.content_dir, config.site_dir, CONTENT_SUFFIXES)


def site_files(
    folder: Path,
    site_dir: Path,
    suffixes: tuple[str, ...] | None = None,
    hidden_folders: bool = False,
    hidden_files: bool = False,
) -> list[tuple[str, str]]:
    """(relative POSIX path, path) of the files under an input *folder* of the site, sorted; only
    names ending in *suffixes* if given. Hidden files and folders are skipped unless asked for
    (static/.well-known/ is served). Symlinked folders are not entered (those leading outside the
    site are refused when every name is wanted).

    The same rules for every input folder, so that nothing outside the site is read and published:
    refused with a clear error rather than followed are symlinks leading outside the site (and outside
    a *folder* set outside it in site.toml), dangling or looping symlinks, anything that is not a
    regular file (a named pipe would hang the build), unreadable folders and names that are not valid
    UTF-8 (they could not be written into URLs). Directory entries tell plain files apart without a
    system call per file: only the odd ones are examined.
    """
    root = str(folder)
    roots = (os.path.realpath(site_dir),)  # a folder configured outside the site may link inside itself
    if not os.path.islink(root):
        roots += (os.path.realpath(root),)
    found = []
    pending = [(root, "", os.path.islink(root))]
    while pending:
        current, prefix, linked = pending.pop()
        for entry in _entries(current):
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if hidden_folders or not name.startswith("."):
                    pending.append((entry.path, f"{prefix}{name}/", linked))
            elif (name.startswith(".") and not hidden_files) or (
                suffixes is not None and not name.endswith(suffixes)
            ):
                continue
            elif linked or not entry.is_file(follow_symlinks=False):
                if _checked_input_file(entry.path, name, linked, roots, suffixes is None):
                    found.append((prefix + name, entry.path))
            else:
                _check_name(entry.path, name)
                found.append((prefix + name, entry.path))
    return sorted(found)


def _entries(folder: str) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError as error:
        raise SiteError(f"cannot be read: {error.strerror}", _shown(folder)) from None


def _shown(path: str) -> str:
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _check_name(path: str, name: str) -> None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise SiteError("the file name is not valid UTF-8; rename the file", _shown(path)) from None


def check_content_file(path: str, name: str, in_linked_folder: bool, site_root: str) -> None:
    """Refuse a content file that must not be read (see :func:`site_files`)."""
    _checked_input_file(path, name, in_linked_folder, (site_root,), False)


def _checked_input_file(
    path: str, name: str, in_linked_folder: bool, roots: tuple[str, ...], skip_folders: bool
) -> bool:
    """Whether *path* is a file to read (False: a symlink to a folder inside the site, with
    *skip_folders*); a SiteError if it must not be read."""
    shown = _shown(path)
    _check_name(path, name)
    try:
        info = os.stat(path)
    except OSError as error:
        reason = "a symlink loop" if error.errno == errno.ELOOP else "a symlink to a missing file"
        raise SiteError(f"is {reason}; remove or fix it", shown) from None
    folder = skip_folders and stat.S_ISDIR(info.st_mode)
    if not folder and not stat.S_ISREG(info.st_mode):
        raise SiteError("is not a regular file (a pipe, socket or device); refusing to read it", shown)
    if os.path.islink(path) or in_linked_folder:
        real = os.path.realpath(path)
        if not any(os.path.commonpath([real, root]) == root for root in roots):
            kind = "folder" if folder else "file"
            raise SiteError(f"is a symlink to a {kind} outside the site; refusing to read it", shown)
    return not folder


def read_content(path: str) -> bytes:
    """The file's bytes, or its first MAX_CONTENT_BYTES + 1 when larger (the reader reports those).

    The size is checked first: ``read(limit)`` would allocate a 4 MiB buffer per file, each kept as its
    own memory mapping by glibc once shrunk, and 100,000 files exceed the kernel's mapping limit.
    """
    return read_content_and_status(path)[0]


def read_content_and_status(path: str) -> tuple[bytes, os.stat_result]:
    """:func:`read_content`, and the file's status taken before its bytes were read."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_size > MAX_CONTENT_BYTES:
                return handle.read(MAX_CONTENT_BYTES + 1), info
            return handle.read(), info
    except OSError as error:
        raise SiteError(f"cannot be read: {error.strerror}", path) from None


def content_file_key(source: str, data: bytes, config: SiteConfig, version: str) -> str:
    """A content file's key: its path and bytes under these reader settings (see readers.content_key)."""
    return content_key(source.encode() + b"\0" + data, config, version)


@dataclass(frozen=True)
class Source:
    """One content file as read for this build."""

    source: str  # relative to content/, POSIX
    key: str
    path: str  # the bytes are read again only if the cache lacks this key (keeps memory flat)


def changed_sources(config: SiteConfig, paths: Iterable[Path]) -> set[str] | None:
    """The content files (relative, POSIX) named by watcher *paths*, or None if one is not simply a
    content file (a folder, a settings file, a template): the caller then reads everything again."""
    root = os.path.realpath(config.content_dir)
    found: set[str] = set()
    for path in paths:
        real = os.path.realpath(path)
        if os.path.commonpath([real, root]) != root or real == root:
            return None
        if not real.endswith(CONTENT_SUFFIXES) or os.path.isdir(real) or os.path.islink(path):
            return None
        relative = os.path.relpath(real, root).replace(os.sep, "/")
        if any(part.startswith(".") for part in relative.split("/")):
            continue  # hidden files are never content
        found.add(relative)
    return found
