"""Reading a built search index in Python the way assets/search.js reads it (format 2, see
site_builder/search/index.py)."""

from __future__ import annotations

import json

from site_builder.search.shards import shard_key


def decode(text):
    ids, last = [], 0
    for gap in filter(None, text.split(",")):
        last += int(gap, 36)
        ids.append(last)
    return ids


class Index:
    """Reads the built index the way search.js does: word -> stem in its shard, the stem's list inline
    or from its chunk files, records by group."""

    def __init__(self, root):
        self.root = root
        self.meta = json.loads((root / "meta.json").read_text())

    def json(self, path):
        file = self.root / path
        return json.loads(file.read_text()) if file.exists() else None

    def shard(self, term):
        key = shard_key(term, set(self.meta["split"]))
        return self.json(f"s/{key.encode().hex()}.json") or {}

    def stem(self, word):
        return self.shard(word).get("w", {}).get(word, word)

    def lists(self, value, base):
        if value is None:
            return [], []
        if isinstance(value, dict):
            parts = [self.json(f"{base}/{level}-{index}.json") for level, index, _ in value["c"]]
            return [sum((self.lists(part, base)[n] for part in parts), []) for n in (0, 1)]
        return [decode(value), []] if isinstance(value, str) else [decode(text) for text in value]

    def term(self, word):
        stem = self.stem(word)
        return tuple(self.lists(self.shard(stem).get("p", {}).get(stem), f"c/{stem.encode().hex()}"))

    def doc(self, number):
        return self.json(f"r/{number // self.meta['group']}.json")[number % self.meta["group"]]

    def filter(self, kind, value):
        return self.lists(self.json(f"f/{kind}/{value}.json"), f"f/{kind}/{value}")[0]

    def urls(self, ids):
        return sorted(self.doc(i)["u"] for i in ids)
