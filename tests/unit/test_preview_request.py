"""The dev server's request policy as pure functions: Host names and byte ranges."""

from __future__ import annotations

import pytest

from site_builder.preview.request import (
    ByteRange,
    UnsatisfiableRange,
    host_allowed,
    host_name,
    requested_range,
)


@pytest.mark.parametrize(
    ("header", "name"),
    [("LocalHost:8000", "localhost"), ("[::1]:8000", "::1"), ("[::1]", "::1"), ("localhost.", "localhost"),
     ("127.0.0.1", "127.0.0.1"), ("evil.example:80", "evil.example")],
)  # fmt: skip
def test_host_name_drops_port_brackets_case_and_trailing_dot(header: str, name: str) -> None:
    assert host_name(header) == name


def test_loopback_bind_answers_only_loopback_names() -> None:
    for header in ("localhost", "localhost:1", "a.b.localhost", "127.0.0.2:80", "[::1]:80", None):
        assert host_allowed(header, "127.0.0.1"), header
        assert host_allowed(header, "::1"), header
    for header in ("evil.example", "localhost.evil.example", "192.168.1.5", "", "[::ffff:1.2.3.4]"):
        assert not host_allowed(header, "127.0.0.1"), header
        assert not host_allowed(header, "localhost"), header


def test_a_bind_the_user_exposed_answers_any_name() -> None:
    for bound in ("0.0.0.0", "::", "192.168.1.5"):
        assert host_allowed("evil.example", bound)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("bytes=0-0", ByteRange(0, 0)), ("bytes=5-", ByteRange(5, 9)), ("bytes=-3", ByteRange(7, 9)),
     ("bytes=-30", ByteRange(0, 9)), ("bytes=2-400", ByteRange(2, 9)), ("bytes = 1-2", ByteRange(1, 2)),
     (None, None), ("", None), ("bytes=-", None), ("bytes=5-2", None), ("bytes=0-1,3-4", None),
     ("items=0-1", None), ("bytes=a-b", None)],
)  # fmt: skip
def test_requested_range(header: str | None, expected: ByteRange | None) -> None:
    assert requested_range(header, 10) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=10-", 10), ("bytes=10-20", 10), ("bytes=-0", 10),
                                              ("bytes=-5", 0), ("bytes=0-", 0)])  # fmt: skip
def test_unsatisfiable_ranges(header: str, size: int) -> None:
    with pytest.raises(UnsatisfiableRange):
        requested_range(header, size)
