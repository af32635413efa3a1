"""The dev server's parts on their own: request paths resolved inside output/, the reload script, the
bind warning, and the read-write lock that keeps requests out of a commit."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from site_builder.preview.livereload import ReloadHub, inject_livereload
from site_builder.preview.request import resolve_request_path
from site_builder.preview.server import ReadWriteLock, bind_warning
from tests.helpers.served import write_served_output
from tests.helpers.waiting import wait_until


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return write_served_output(tmp_path)


def test_resolve_uses_commonpath_not_string_prefix(site: Path) -> None:
    """``output-secret`` starts with ``output``: a prefix check would let it through."""
    assert resolve_request_path(site, "/../output-secret/secret.txt") is None
    assert resolve_request_path(site, "/articles/a/") == site.resolve() / "articles" / "a"
    assert resolve_request_path(site, "/link-in.css") == (site / "style.css").resolve()


def test_inject_without_body_tag_appends() -> None:
    hub = ReloadHub()
    out = inject_livereload(b"<p>fragment", hub.state())
    assert out.startswith(b"<p>fragment<script")


def test_bind_warning_only_for_non_loopback() -> None:
    assert bind_warning("127.0.0.1") is None
    assert bind_warning("localhost") is None
    assert bind_warning("::1") is None
    assert "other machines" in (bind_warning("0.0.0.0") or "")
    assert bind_warning("192.168.1.5") is not None


def test_writer_is_not_starved_by_readers() -> None:
    lock = ReadWriteLock()
    entered = threading.Event()
    with lock.read():

        def write() -> None:
            with lock.write():
                entered.set()

        writer = threading.Thread(target=write)
        writer.start()
        assert wait_until(lambda: lock.waiting() == (0, 1)), "the writer never queued"
        blocked_reader_done = threading.Event()

        def read() -> None:
            with lock.read():
                blocked_reader_done.set()

        reader = threading.Thread(target=read)
        reader.start()
        assert wait_until(lambda: lock.waiting() == (1, 1)), "the new reader did not queue"
        assert not blocked_reader_done.is_set(), "a new reader overtook a waiting writer"
        assert not entered.is_set()
    writer.join(2)
    reader.join(2)
    assert entered.is_set() and blocked_reader_done.is_set()
