"""Faults of the machine rather than of the site, as located errors: a full disk, a file or folder
the build may not read or write, a cache folder that is a file or a dangling link, a damaged cache.

Whatever fails, the build has changed nothing it cannot take up again: phase 1 writes only into the
cache folder, the commit is atomic (or journaled), and the cache forgets its record of output/ before
the commit. So each fault becomes one line naming the path and saying what to do, and the next build,
once the cause is gone, recovers by itself.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from site_builder.build.state.cache import CacheDamaged
from site_builder.build.state.snapshot import MODEL_FILE
from site_builder.config import SiteConfig
from site_builder.errors import SiteError

_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
_NOT_ALLOWED = {errno.EACCES, errno.EPERM}


@contextlib.contextmanager
def located_faults(config: SiteConfig) -> Iterator[None]:
    """Turn an OSError or SQLite error escaping a build into a :class:`SiteError` naming the path."""
    try:
        yield
    except SiteError:
        raise
    except CacheDamaged as error:  # again, after the cache was rebuilt
        raise SiteError(f"the build cache is damaged ({error}); delete it", config.cache_dir) from None
    except sqlite3.Error as error:
        raise cache_fault(error, config) from None
    except OSError as error:
        raise os_fault(error, config) from None


def os_fault(error: OSError, config: SiteConfig) -> SiteError:
    path = error.filename if error.filename is not None else config.site_dir
    if error.errno in _NO_SPACE:
        return SiteError(_no_space(), path)
    if error.errno in _NOT_ALLOWED:
        if not os.path.lexists(path):  # it was to be made: the folder refused
            return SiteError(
                "permission denied: cannot create files in this folder; make it writable by this user",
                os.path.dirname(path),
            )
        return SiteError("permission denied: make it readable and writable by this user", path)
    if error.errno == errno.EROFS:
        return SiteError("is on a read-only file system", path)
    if error.errno == errno.ENAMETOOLONG:
        return SiteError("a file name is too long for the file system (over 255 bytes)", path)
    return SiteError(f"{error.strerror or error}", path)


def cache_fault(error: sqlite3.Error, config: SiteConfig) -> SiteError:
    path = config.cache_dir / "cache.sqlite"
    text = str(error)
    if "full" in text:
        return SiteError(_no_space(), path)
    if "readonly" in text or "read-only" in text:
        return SiteError("the build cache is read-only: make it writable (or delete the cache folder)", path)
    if "unable to open" in text:
        return SiteError("the build cache cannot be opened: is its folder writable by this user?", path)
    return SiteError(f"the build cache failed ({text}); delete the cache folder and build again", path)


def _no_space() -> str:
    return "no space left on the device: free some space and build again (it picks up where this one stopped)"


def is_damage(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite found the cache's file or tables not as this build wrote them."""
    text = str(error)
    return any(sign in text for sign in ("malformed", "no such table", "no such column", "not a database"))


def forget_damaged_cache(cache_dir: Path) -> None:
    """Delete the cache's files so that the next attempt starts from an empty cache."""
    for name in ("cache.sqlite", "cache.sqlite-wal", "cache.sqlite-shm", MODEL_FILE):
        with contextlib.suppress(FileNotFoundError):
            (cache_dir / name).unlink()
