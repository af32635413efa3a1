"""Where each index file lives under search/index/ (see index.py)."""

from __future__ import annotations


def shard_path(key: str) -> str:
    return f"s/{key.encode().hex()}.json"


def chunk_base(stem: str) -> str:
    return f"c/{stem.encode().hex()}"


def filter_path(key: tuple[str, str]) -> str:
    return f"f/{key[0]}/{key[1]}.json"


def filter_base(key: tuple[str, str]) -> str:
    return f"f/{key[0]}/{key[1]}"


def record_path(group: int) -> str:
    return f"r/{group}.json"
