"""The static search index: what a browser can find with it, and that it is deterministic."""

from site_builder.search.encoding import encode_ids
from site_builder.search.shards import shard_key
from site_builder.search.text import words
from tests.helpers import read_tree
from tests.helpers.reader_site import build_with_reader_hooks
from tests.helpers.search_index import Index, decode


def make_site(site):
    site.article("a", "Putin meets Tillerson", "2017-04-12", "Vladimir Putin met Rex Tillerson in Moscow.",
                 people="[Vladimir Putin, Rex Tillerson]", tags="[Russia]")  # fmt: skip
    site.article("b", "Sanctions debated", "2018-01-02", "Senators debated sanctions. Putin was not there.",
                 tags="[Russia, Congress]")  # fmt: skip
    site.article("c", "Café opens", "2018-02-03", "A café opened in Zürich.")
    build_with_reader_hooks(site.config())
    return site.output / "search" / "index"


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
    assert "Rex Tillerson in Moscow" in doc["x"] and doc["d"] == "2017-04-12"


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


def test_large_shards_split_by_longer_prefixes_and_long_lists_are_chunked(site, monkeypatch):
    from site_builder.search import postings

    monkeypatch.setattr(postings, "INLINE_IDS", 3)
    monkeypatch.setattr(postings, "CHUNK_IDS", 4)
    body = " ".join(f"pa{n:05d}" for n in range(3000))  # 3000 words starting "pa"
    site.article("big", "Many words", "2020-01-01", body)
    for n in range(12):
        site.article(f"s{n:02d}", f"Sanctions story {n}", f"2019-01-{n + 1:02d}", "Senators debated it.")
    build_with_reader_hooks(site.config())
    index = Index(site.output / "search" / "index")
    assert {"p", "pa"} <= set(index.meta["split"])
    assert index.term("pa00042")[0] == [12]
    assert (site.output / "search/index/s" / (b"pa000".hex() + ".json")).exists()
    sanctions = index.json(f"s/{shard_key('sanction', set(index.meta['split'])).encode().hex()}.json")["p"]
    assert sanctions["sanction"]["n"] == 12 and all(count <= 4 for _, _, count in sanctions["sanction"]["c"])
    assert index.term("sanctions") == (list(range(12)), list(range(12)))  # stemmed, and in every title
    assert index.term("senators")[0] == list(range(12))


def test_words_are_found_under_their_stems(site):
    index = Index(make_site(site))
    assert index.stem("debated") == "debat" and index.stem("sanctions") == "sanction"
    assert index.urls(index.term("debated")[0]) == ["articles/sanctions-debated/"]
    assert index.stem("senators") == "senat"
    assert index.urls(index.term("senators")[0]) == ["articles/sanctions-debated/"]
