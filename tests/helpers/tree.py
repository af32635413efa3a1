"""Reading a built output tree (or any folder) into one comparable value."""

from __future__ import annotations

from pathlib import Path


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` as {posix path relative to root: bytes}, in sorted order; empty when
    ``root`` does not exist. Two trees hold the same site exactly when these compare equal."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
