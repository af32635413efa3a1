"""Chunked posting lists: the layout of a list after an edit is the layout of the new list, and an edit
reads and writes only the leaves around the ids it changes."""

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.search import postings
from site_builder.search.postings import Changes, cut, leaf_span, leaves_of, relayout

ids_st = st.sets(st.integers(0, 300), max_size=120)


def layout(ids):
    return {(level, index): cut((sorted(ids),), level, index) for level, index, _ in leaves_of(sorted(ids))}


@settings(max_examples=300, deadline=None)
@given(old=ids_st, add=ids_st, remove=ids_st, chunk=st.sampled_from([1, 2, 5, 16]))
def test_relayout_gives_the_leaves_of_the_new_list(old, add, remove, chunk):
    with chunk_ids(chunk):
        check_relayout(old, add, remove)


@contextlib.contextmanager
def chunk_ids(value):
    saved, postings.CHUNK_IDS = postings.CHUNK_IDS, value
    try:
        yield
    finally:
        postings.CHUNK_IDS = saved


def check_relayout(old, add, remove):
    add, remove = sorted(add - old), sorted(remove & old)
    new = (old | set(add)) - set(remove)
    before = layout(old)
    read = []

    def reader(level, index):
        read.append((level, index))
        return before[(level, index)]

    result = relayout(leaves_of(sorted(old)), Changes([add], [remove]), reader)
    after = layout(new)
    assert result.leaves == leaves_of(sorted(new))
    for key, lists in after.items():  # every leaf not written holds what it held
        assert result.written.get(key, before.get(key)) == lists
    assert set(result.dropped) == before.keys() - after.keys()
    changed = set(add) | set(remove)
    for level, index in read:  # only leaves holding a changed id, or merged into or cut from one
        start, end = leaf_span(level, index)
        assert (
            any(start <= i < end for i in changed)
            or (level, index) not in after
            or (level, index) in result.written
        )


def test_a_long_list_is_cut_into_dyadic_leaves_of_bounded_size(monkeypatch):
    monkeypatch.setattr(postings, "CHUNK_IDS", 4)
    ids = list(range(0, 40, 3))  # 14 ids
    leaves = leaves_of(ids)
    assert sum(count for _, _, count in leaves) == len(ids) and all(count <= 4 for _, _, count in leaves)
    spans = [leaf_span(level, index) for level, index, _ in leaves]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))  # in id order, disjoint
    for level, index, _ in leaves:  # each the largest: its parent holds more than CHUNK_IDS
        start, end = leaf_span(level + 1, index // 2)
        assert len([i for i in ids if start <= i < end]) > 4


def test_a_leaf_that_grows_past_the_limit_is_cut_and_one_that_shrinks_merges(monkeypatch):
    monkeypatch.setattr(postings, "CHUNK_IDS", 2)
    old = [0, 1, 2, 3]
    grown = relayout(leaves_of(old), Changes([[5]], [[]]), lambda level, index: cut((old,), level, index))
    assert grown.leaves == leaves_of([0, 1, 2, 3, 5])
    shrunk = relayout(leaves_of(old), Changes([[]], [[3]]), lambda level, index: cut((old,), level, index))
    assert shrunk.leaves == leaves_of([0, 1, 2])
