"""The search index updated in place gives exactly the files a build from scratch gives."""

import dataclasses
import datetime as dt
import json
import shutil
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.build.state.cache import BuildCache
from site_builder.model.article import Article, Named, PersonMention
from site_builder.model.page import Page
from site_builder.search import index as search
from site_builder.search.documents import SNIPPET_TEXT, documents
from site_builder.search.encoding import encode_ids, index_json, shard_key
from site_builder.search.index import SearchIndex, search_pages, update_index
from site_builder.search.text import words
from tests.helpers import read_tree

VOCABULARY = [
    "alpha", "alps", "alto", "amber", "ample", "al", "bravo", "brass", "brim", "café", "cafe", "zürich",
    "zz", "z9", "42", "7", "senate", "sanctions", "said", "putin", "moscow", "mo", "mop", "mob", "über",
]  # fmt: skip
NAMES = ["Vladimir Putin", "Rex Tillerson", "Angela Merkel", "Al Gore", "Zoë Ball"]
TAGS = ["Russia", "Congress", "Alps", "Brass bands", "Café society"]
DATES = [None, "2015-01-01T00:00:00+00:00", "2016-06-01T12:00:00+00:00", "2016-06-01T12:00:00+00:00",
         "2017-12-31T23:59:00+00:00", "2017-12-31T23:59:00+01:00", "2018-01-01T00:00:00+00:00"]  # fmt: skip


class Texts:
    """Article bodies by key, as the build cache's search table would give them."""

    def __init__(self):
        self.bodies = {}
        self.counter = 0

    def key(self, body):
        self.counter += 1
        key = f"k{self.counter}"
        self.bodies[key] = body
        return key

    def __call__(self, key):
        text = self.bodies[key]
        return text, frozenset(words(text))


def make_article(texts, number, title, body, date, people, tags):
    return Article(
        source=f"a{number}.md",
        key=texts.key(body),
        title=title,
        slug=f"a{number}",
        url=f"articles/a{number}/",
        date=dt.datetime.fromisoformat(date) if date else None,
        tags=tuple(Named(slugify(t), t) for t in tags),
        people=tuple(PersonMention(n, slugify(n)) for n in people),
    )


def slugify(name):
    return name.lower().replace(" ", "-").replace("é", "e").replace("ë", "e")


texts_st = st.lists(st.sampled_from(VOCABULARY), max_size=12).map(" ".join)
fields = st.fixed_dictionaries(
    {
        "title": texts_st,
        "body": texts_st,
        "date": st.sampled_from(DATES),
        "people": st.lists(st.sampled_from(NAMES), max_size=3),
        "tags": st.lists(st.sampled_from(TAGS), max_size=3, unique=True),
    }
)
operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "add", "remove", "edit", "edit", "relabel", "nothing"]),
        st.integers(0, 1000),
        fields,
        st.sets(st.sampled_from(["title", "body", "date", "people", "tags"]), min_size=1),
    ),
    max_size=12,
)


def files(pages):
    return [(page.path, page.kind, page.context["text"]) for page in pages]


def text_page(path, value):
    return Page(search.INDEX_DIR + path, "text", {"text": index_json(value)})


def reference(articles, load_text):
    """The index as first written (before SearchIndex): from the articles' documents, all at once."""
    postings, strong, filters, out = defaultdict(set), defaultdict(set), defaultdict(set), []
    docs = documents(articles)
    for number, doc in enumerate(docs):
        key, url, title, date, names, slugs, tag_names, tag_slugs = doc
        text, body_words = load_text(key)
        for word in words(" ".join([title, *names, *tag_names])):
            strong[word].add(number)
            postings[word].add(number)
        for word in body_words:
            postings[word].add(number)
        for kind, values in (("p", slugs), ("t", tag_slugs), ("y", [date[:4]] if date else [])):
            for value in values:
                filters[(kind, value)].add(number)
        cut = text[:SNIPPET_TEXT]
        if len(text) > SNIPPET_TEXT:
            cut = cut.rsplit(" ", 1)[0] + " …"
        view = {"u": url, "t": title, "d": date, "p": list(names), "g": list(tag_names), "x": cut}
        out.append(text_page(f"d/{number}.json", view))
    size = defaultdict(int)
    for term, ids in postings.items():
        size[term[:2]] += len(term) + 8 + 3 * len(ids)
    split = {key for key, total in size.items() if total > search.SHARD_LIMIT}
    shards = defaultdict(dict)
    for term in sorted(postings):
        shards[shard_key(term, split)][term] = [encode_ids(postings[term]), encode_ids(strong[term])]
    out += [text_page(f"t/{key.encode().hex()}.json", shards[key]) for key in sorted(shards)]
    out += [text_page(f"f/{k}/{v}.json", encode_ids(ids)) for (k, v), ids in sorted(filters.items())]
    out.append(text_page("meta.json", {"version": 1, "docs": len(docs), "split": sorted(split)}))
    return out


@pytest.fixture
def small_shards(monkeypatch):
    """Shards split at 60 bytes, so that a few words move shard keys in and out of the split."""
    monkeypatch.setattr(search, "SHARD_LIMIT", 60)


def start(initial):
    """Texts, a counter of article numbers and the initial articles by url."""
    texts, counter, articles = Texts(), iter(range(10_000)), {}
    for values in initial:
        article = make_article(texts, next(counter), **values)
        articles[article.url] = article
    return texts, counter, articles


def apply(operation, articles, texts, counter):
    """One change to the article list (a dict url -> Article)."""
    action, pick, values, changes = operation
    existing = sorted(articles)
    if action == "nothing":
        return
    if action == "add" or not existing:
        number = next(counter)
        article = make_article(texts, number, **values)
        articles[article.url] = article
        return
    url = existing[pick % len(existing)]
    old = articles[url]
    if action == "remove":
        del articles[url]
    elif action in ("edit", "relabel"):
        number = int(old.slug[1:])
        body = texts.bodies[old.key]
        current = {
            "title": old.title, "body": body, "date": old.date.isoformat() if old.date else None,
            "people": [p.name for p in old.people], "tags": [t.name for t in old.tags],
        }  # fmt: skip
        current.update({name: values[name] for name in changes})
        new = make_article(texts, number, **current)
        if action == "relabel" and "body" not in changes:  # people.toml or git dates: same body key
            del texts.bodies[new.key]
            new = dataclasses.replace(new, key=old.key)
        articles[url] = new


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(initial=st.lists(fields, max_size=10), steps=operations)
def test_updates_equal_a_build_from_scratch(small_shards, initial, steps):
    texts, counter, articles = start(initial)
    index = SearchIndex.build(articles.values(), texts)
    assert files(index.pages()) == files(reference(articles.values(), texts))
    for step in steps:
        apply(step, articles, texts, counter)
        before = index.stored_pages()
        assert index.update(articles.values(), texts, rebuild_above=1.0)
        expected = files(search_pages(articles.values(), texts))
        assert files(index.pages()) == expected
        assert files(reference(articles.values(), texts)) == expected
        if step[0] == "nothing":
            assert all(a is b for a, b in zip(index.stored_pages(), before, strict=True))  # the same Pages


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(initial=st.lists(fields, max_size=8), steps=operations, reload_after=st.sets(st.integers(0, 12)))
def test_saved_and_reloaded_index_continues_exactly(
    small_shards, tmp_path_factory, initial, steps, reload_after
):
    cache = BuildCache(tmp_path_factory.mktemp("cache"))
    try:
        texts, counter, articles = start(initial)
        index = SearchIndex.build(articles.values(), texts)
        index.save(cache)
        for number, step in enumerate(steps):
            apply(step, articles, texts, counter)
            index.update(articles.values(), texts, rebuild_above=1.0 if number % 3 else 0.25)
            index.save(cache)
            if number in reload_after:
                index = SearchIndex.load(cache)
            expected = files(search_pages(articles.values(), texts))
            assert files(index.pages()) == expected
            assert files(SearchIndex.load(cache).pages()) == expected
    finally:
        cache.close()


def test_lost_words_of_an_old_body_mean_a_rebuild():
    texts = Texts()
    articles = [make_article(texts, n, f"title {n}", f"alpha body {n}", DATES[1], [], []) for n in range(8)]
    index = SearchIndex.build(articles, texts)
    old_key = articles[3].key
    articles[3] = make_article(texts, 3, "title 3", "bravo body", DATES[1], [], [])
    del texts.bodies[old_key]
    assert index.update(articles, texts) is False
    assert files(index.pages()) == files(search_pages(articles, texts))


def test_many_changes_rebuild_from_scratch_and_one_does_not():
    texts = Texts()
    articles = [make_article(texts, n, f"title {n}", "alpha", DATES[n % 4 + 1], [], []) for n in range(12)]
    index = SearchIndex.build(articles, texts)
    articles.append(make_article(texts, 99, "newest", "bravo", "2030-01-01T00:00:00+00:00", [], []))
    assert index.update(articles, texts) is True  # appended at the end: incremental
    articles.append(make_article(texts, 100, "oldest", "brass", "1990-01-01T00:00:00+00:00", [], []))
    assert index.update(articles, texts) is False  # every id shifts
    assert files(index.pages()) == files(search_pages(articles, texts))


def test_an_index_kept_in_memory_is_reloaded_when_another_build_saved_since(tmp_path):
    cache = BuildCache(tmp_path / "cache")
    texts = Texts()
    articles = [make_article(texts, n, f"title {n}", "alpha", DATES[n % 4 + 1], [], []) for n in range(5)]

    def cached_words(key):
        return texts(key)

    cache.search_text = lambda key, compute: cached_words(key)  # no article bodies in this cache
    kept = update_index(cache, articles)
    other = update_index(cache, articles[:3])  # another process: loads what kept saved, updates it
    assert other is not kept and kept.token != cache.search_token()
    again = update_index(cache, articles, kept)
    assert again is not kept  # the stale one was not trusted
    assert files(again.pages()) == files(search_pages(articles, texts))
    assert update_index(cache, articles, again) is again
    cache.close()


def test_a_one_off_build_takes_the_same_pages_and_keeps_no_documents(tmp_path):
    cache = BuildCache(tmp_path / "cache")
    texts = Texts()
    articles = [make_article(texts, n, f"title {n}", "alpha", DATES[n % 4 + 1], [], []) for n in range(5)]
    cache.search_text = lambda key, compute: texts(key)  # no article bodies in this cache
    kept = update_index(cache, articles)
    expected = [(page.path, page.context) for page in kept.stored_pages()]
    one_off = update_index(cache, articles[:3], keep_pages=False)
    one_off = update_index(cache, articles, keep_pages=False)
    taken = [(page.path, page.context) for page in one_off.take_stored_pages()]
    assert taken == expected
    assert not one_off.blobs and not one_off.digests  # emptied as soon as the pages are taken
    fresh = [make_article(texts, n, f"title {n}", "alpha", DATES[n % 4 + 1], [], []) for n in range(5)]
    other = BuildCache(tmp_path / "other")
    other.search_text = lambda key, compute: texts(key)
    update_index(other, fresh, keep_pages=False)
    assert all(article.derived_if_made("search_document") is None for article in fresh)
    cache.close()
    other.close()


def build_tree(root):
    return read_tree(root / "output" / "search" / "index")


def test_cli_builds_with_edits_end_with_the_files_of_a_cold_build(site, tmp_path, monkeypatch):
    from site_builder.build import build_site

    rebuilds = []
    original = SearchIndex._rebuild
    monkeypatch.setattr(SearchIndex, "_rebuild", lambda self, *a: (rebuilds.append(1), original(self, *a))[1])
    for n in range(12):
        people = "[Vladimir Putin]" if n % 2 else "[Rex Tillerson]"
        body = f"Moscow body {n} sanctions."
        site.article(
            f"a{n:02d}", f"Story {n} on Putin", f"2019-01-{n + 1:02d}", body, people=people, tags="[Russia]"
        )
    build_site(site.config(), jobs=1)
    assert len(rebuilds) == 1
    edits = [
        lambda: site.article("a03", "Story 3 rewritten", "2019-01-04", "Entirely new café words here."),
        lambda: site.article("a20", "Newest story", "2019-02-01", "Zürich alpha bravo.", tags="[Alps]"),
        lambda: (site.root / "content" / "a05.md").unlink(),
        lambda: site.article(
            "a07", "Story 7 about Putin", "2019-01-08", "Moscow body 7.", people="[Al Gore]"
        ),
        lambda: site.write("people.toml", '[people."Albert Gore"]\naliases = ["Al Gore"]\n'),  # same bodies
        lambda: site.article(
            "a21", "Back-dated story", "2018-06-01", "Inserted in the middle of the timeline."
        ),
    ]
    for edit in edits:
        edit()
        build_site(site.config(), jobs=1)
    assert len(rebuilds) < 1 + len(edits)  # some builds were incremental
    cold = tmp_path / "cold"
    shutil.copytree(site.root, cold, ignore=shutil.ignore_patterns(".site-cache", "output"))
    from site_builder.config import load_config

    build_site(load_config(cold, {}), jobs=1)
    assert build_tree(site.root) == build_tree(cold)
    meta = json.loads((site.output / "search" / "index" / "meta.json").read_text())
    assert meta["docs"] == 13


def test_an_index_file_missing_from_output_is_written_again_from_the_cache(site):
    from site_builder.build import build_site

    for n in range(3):
        site.article(f"a{n}", f"Story {n}", f"2019-01-0{n + 1}", f"Body {n} words.")
    build_site(site.config(), jobs=1)
    before = build_tree(site.root)
    (site.output / "search" / "index" / "d" / "1.json").unlink()
    (site.output / "search" / "index" / "meta.json").write_text("{}")
    report = build_site(site.config(), jobs=1)
    assert report.written == 2 and build_tree(site.root) == before
