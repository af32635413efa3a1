"""Reading a built output tree (or any folder) into one comparable value."""

from __future__ import annotations

from pathlib import Path


def read_tree(root: Path, *, folders: bool = False) -> dict[str, bytes | None]:
    """Every file under ``root`` as {posix path relative to root: bytes}, in sorted order; empty when
    ``root`` does not exist. With ``folders``, every folder too (as None), so that an empty folder left
    behind counts. Two trees hold the same site exactly when these compare equal."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
        for p in sorted(root.rglob("*"))
        if folders or p.is_file()
    }
