"""Authenticating what the build keeps between runs, so that reading it can never run code.

The cache folder holds pickles (parsed articles, the site model, plan state) and compiled templates,
and unpickling or loading crafted bytes runs code. A cache restored by CI from a shared store, or
written by someone else into a checkout, must not be able to do that. Everything the cache keeps in
such a form is sealed with an HMAC-SHA256 under a key that never leaves this machine: 32 random bytes
in the user's cache folder (``$XDG_CACHE_HOME/site_builder/key``, else ``~/.cache/site_builder/key``),
created on first use, readable by the user alone. Bytes whose tag does not verify are treated as
missing (the build recomputes them); they are never unpickled.

If no key can be kept (a read-only home), this process makes one of its own and says so: its cache is
then trusted by no later process, which costs speed, never safety.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import warnings
from pathlib import Path

KEY_BYTES = 32
TAG_BYTES = hashlib.sha256().digest_size
ENVIRONMENT = "SITE_BUILDER_KEY_FILE"  # where the key is kept, if set (tests, shared CI runners)

_key: bytes | None = None


def key_path() -> Path:
    """Where this user's key is kept."""
    given = os.environ.get(ENVIRONMENT)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "site_builder" / "key"


def machine_key() -> bytes:
    """This user's key, read (or made) once per process."""
    global _key
    if _key is None:
        _key = _read_or_make(key_path())
    return _key


def seal(data: bytes, context: bytes) -> bytes:
    """*data* prefixed with its tag; *context* (what the bytes are, e.g. a row's key) is authenticated
    with them, so that sealed bytes cannot be moved to another place of the cache."""
    return tag(data, context) + data


def unseal(blob: bytes | memoryview | None, context: bytes) -> memoryview | None:
    """The data sealed in *blob* with this *context*, or None if its tag does not verify (foreign,
    damaged, or from before sealing)."""
    if not isinstance(blob, (bytes, memoryview)) or len(blob) < TAG_BYTES:
        return None
    view = memoryview(blob)
    if not hmac.compare_digest(view[:TAG_BYTES], tag(view[TAG_BYTES:], context)):
        return None
    return view[TAG_BYTES:]


def tag(data: bytes | memoryview, context: bytes) -> bytes:
    mac = hmac.new(machine_key(), len(context).to_bytes(4, "little") + context, "sha256")
    mac.update(data)
    return mac.digest()


def new_mac(context: bytes) -> hmac.HMAC:
    """An HMAC to feed a stream with (a file too large to hold twice); its digest is the stream's tag."""
    return hmac.new(machine_key(), len(context).to_bytes(4, "little") + context, "sha256")


def _read_or_make(path: Path) -> bytes:
    try:
        key = _read(path)
        if key is None:
            key = _make(path)
    except OSError as error:
        warnings.warn(
            f"cannot keep the cache key in {path} ({error.strerror}); this build's cache will not be "
            f"reused (set {ENVIRONMENT} to a writable file)",
            stacklevel=4,
        )
        return os.urandom(KEY_BYTES)
    return key


def _read(path: Path) -> bytes | None:
    """The key in *path*, or None if there is none (or only a damaged one); an OSError if the file
    is one others may read or change (it is not trusted then)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
            raise OSError(0, "the key file is not a private file of this user", str(path))
        key = handle.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else None


def _make(path: Path) -> bytes:
    """A new key written to *path* (atomically: a concurrent process may make one too; the first
    one linked into place wins and every process uses it)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            if path.exists():  # a damaged key: replaced
                path.unlink()
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    key = _read(path)
    if key is None:
        raise OSError(0, "the key file could not be written", str(path))
    return key
