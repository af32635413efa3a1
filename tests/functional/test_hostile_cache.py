"""A crafted cache never runs code (issue 15, item 5).

``.site-cache`` held pickles and compiled templates loaded without checks, so a cache restored from a
shared CI store, or committed by someone, ran code on ``build``. Every such value is now sealed with
an HMAC under a key that never leaves the machine; these tests poison every place an attacker could
write (with the old layout and with the new one, forged tags included) and check that nothing runs
and the site is still built right.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import stat

import jinja2.bccache
import pytest

from site_builder import integrity
from site_builder.build.state.snapshot import FORMAT, MODEL_FILE


@pytest.fixture(autouse=True)
def private_key(tmp_path, monkeypatch):
    """Each test its own machine key (and a fresh read of it)."""
    monkeypatch.setenv(integrity.ENVIRONMENT, str(tmp_path / "keys" / "key"))
    monkeypatch.setattr(integrity, "_key", None)


class Payload:
    """Unpickling this makes a folder: proof that code ran."""

    def __init__(self, proof) -> None:
        self.proof = str(proof)

    def __reduce__(self):
        return (os.mkdir, (self.proof,))


def _variants(payload: bytes, prefix: bytes = b"") -> list[bytes]:
    """The payload as the old layout stored it, and behind forged tags of the sealed layout."""
    return [
        prefix + payload,
        hashlib.sha256(prefix + payload).digest() + prefix + payload,
        bytes(integrity.TAG_BYTES) + prefix + payload,
    ]


def _poison(cache, proof, variant: int) -> None:
    evil = pickle.dumps(Payload(proof), protocol=5)
    db = sqlite3.connect(cache / "cache.sqlite")
    with db:
        db.execute("UPDATE articles SET article = ?", (_variants(evil)[variant],))
        db.execute("UPDATE state SET value = ?", (_variants(evil, FORMAT + b"\0")[variant],))
        db.execute("UPDATE state SET value = ? WHERE key IN ('plan', 'related')", (_variants(evil)[variant],))
        db.execute("UPDATE search_state SET state = ?", (_variants(evil)[variant],))
        db.execute("UPDATE search_docs SET doc = ?", (_variants(evil)[variant],))
    db.close()
    (cache / MODEL_FILE).write_bytes(FORMAT + b"\0" + _variants(evil)[variant])
    compiled = list((cache / "templates").rglob("*.code"))
    assert compiled, "the build keeps compiled templates"
    code = jinja2.bccache.bc_magic + evil
    for path in compiled:
        path.write_bytes(_variants(code)[variant])


@pytest.mark.parametrize("variant", [0, 1, 2], ids=["old-layout", "sha256-tag", "zero-tag"])
def test_a_poisoned_cache_runs_no_code_and_the_site_is_right(site, tmp_path, variant):
    for number in range(4):
        site.article(f"a{number}", f"Story {number}", tags="[x, y]", people="[Ann Lee]")
    site.build()
    expected = site.files()
    proof = tmp_path / "code-ran"
    _poison(site.root / ".site-cache", proof, variant)
    site.article("a0", "Story 0", body="Edited body.", tags="[x, y]", people="[Ann Lee]")
    site.build()  # one edit: the snapshot, plan state, search index and compiled templates are read
    assert not proof.exists()
    _poison(site.root / ".site-cache", proof, variant)
    site.article("a9", "Story 9")  # a new article: the site is grouped from the cached articles
    site.build()
    assert not proof.exists()
    fresh = site.files()
    assert fresh != expected
    (site.root / ".site-cache").rename(tmp_path / "old-cache")
    site.build()
    assert site.files() == fresh


def test_the_key_is_private_and_kept(tmp_path):
    key = integrity.machine_key()
    path = tmp_path / "keys" / "key"
    assert path.read_bytes() == key and len(key) == integrity.KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    integrity._key = None
    assert integrity.machine_key() == key


def test_a_key_others_can_read_is_not_used(tmp_path):
    path = tmp_path / "keys" / "key"
    path.parent.mkdir()
    path.write_bytes(b"k" * integrity.KEY_BYTES)
    path.chmod(0o644)
    with pytest.warns(UserWarning, match="not a private file"):
        key = integrity.machine_key()
    assert key != b"k" * integrity.KEY_BYTES


def test_sealed_bytes_are_bound_to_their_place():
    sealed = integrity.seal(b"data", b"article:1")
    assert bytes(integrity.unseal(sealed, b"article:1")) == b"data"
    assert integrity.unseal(sealed, b"article:2") is None
    assert integrity.unseal(sealed[:-1] + b"x", b"article:1") is None
    assert integrity.unseal(b"short", b"article:1") is None
