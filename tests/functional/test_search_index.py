"""The static search index: what a browser can find with it, and that it is deterministic."""

import json

from site_builder.search.encoding import encode_ids, shard_key
from site_builder.search.text import words
from tests.helpers import read_tree
from tests.helpers.reader_site import build_with_reader_hooks


def decode(text):
    ids, last = [], 0
    for gap in filter(None, text.split(",")):
        last += int(gap, 36)
        ids.append(last)
    return ids


def make_site(site):
    site.article("a", "Putin meets Tillerson", "2017-04-12", "Vladimir Putin met Rex Tillerson in Moscow.",
                 people="[Vladimir Putin, Rex Tillerson]", tags="[Russia]")  # fmt: skip
    site.article("b", "Sanctions debated", "2018-01-02", "Senators debated sanctions. Putin was not there.",
                 tags="[Russia, Congress]")  # fmt: skip
    site.article("c", "Café opens", "2018-02-03", "A café opened in Zürich.")
    build_with_reader_hooks(site.config())
    return site.output / "search" / "index"


class Index:
    def __init__(self, root):
        self.root = root
        self.meta = json.loads((root / "meta.json").read_text())

    def term(self, term):
        shard = self.root / "t" / (shard_key(term, set(self.meta["split"])).encode().hex() + ".json")
        data = json.loads(shard.read_text()) if shard.exists() else {}
        all_ids, strong = data.get(term, ["", ""])
        return decode(all_ids), decode(strong)

    def doc(self, number):
        return json.loads((self.root / "d" / f"{number}.json").read_text())

    def filter(self, kind, value):
        return decode(json.loads((self.root / "f" / kind / f"{value}.json").read_text()))

    def urls(self, ids):
        return sorted(self.doc(i)["u"] for i in ids)


def test_words_fold_case_and_accents_and_drop_stop_words():
    assert words("The Café in ZÜRICH, 2017: a Putin's café") == {"cafe", "zurich", "2017", "putin"}


def test_ids_round_trip_through_the_gap_encoding():
    ids = [0, 1, 5, 40, 41, 1300]
    assert decode(encode_ids(reversed(ids))) == ids


def test_terms_people_tags_and_filters_find_their_articles(site):
    index = Index(make_site(site))
    assert index.meta["docs"] == 3
    putin, strong = index.term("putin")
    assert index.urls(putin) == ["articles/putin-meets-tillerson/", "articles/sanctions-debated/"]
    assert index.urls(strong) == ["articles/putin-meets-tillerson/"]  # in the title and people
    assert index.urls(index.term("cafe")[0]) == ["articles/cafe-opens/"]  # accents folded
    assert index.term("the") == ([], [])  # stop word
    assert index.urls(index.filter("p", "vladimir-putin")) == ["articles/putin-meets-tillerson/"]
    assert index.urls(index.filter("t", "russia")) == [
        "articles/putin-meets-tillerson/",
        "articles/sanctions-debated/",
    ]
    assert index.urls(index.filter("y", "2018")) == ["articles/cafe-opens/", "articles/sanctions-debated/"]
    doc = index.doc(0)
    assert doc["t"] == "Putin meets Tillerson" and doc["p"] == ["Vladimir Putin", "Rex Tillerson"]
    assert "Rex Tillerson in Moscow" in doc["x"] and doc["d"].startswith("2017-04-12")


def test_ids_run_oldest_first_so_the_newest_sort_last(site):
    index = Index(make_site(site))
    assert [index.doc(i)["u"] for i in range(3)] == [
        "articles/putin-meets-tillerson/", "articles/sanctions-debated/", "articles/cafe-opens/",
    ]  # fmt: skip


def test_index_is_deterministic_and_rebuilds_change_nothing(site, tmp_path):
    first = make_site(site)
    snapshot = read_tree(first)
    report = build_with_reader_hooks(site.config())
    assert report.written == 0 and report.removed == 0
    again = read_tree(first)
    assert again == snapshot


def test_large_shards_split_by_third_letter(site):
    body = " ".join(f"pa{n:05d}" for n in range(3000))  # 3000 words starting "pa"
    site.article("big", "Many words", "2020-01-01", body)
    build_with_reader_hooks(site.config())
    index = Index(site.output / "search" / "index")
    assert "pa" in index.meta["split"]
    assert index.term("pa00042")[0] == [0]
    assert (site.output / "search/index/t" / (b"pa0".hex() + ".json")).exists()
