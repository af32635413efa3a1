"""What changes in the index between two versions of some documents: ids to add and remove per stem,
per label stem, per filter, and the documents holding each word whose stem is another word."""

from __future__ import annotations

import marshal
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from site_builder.search.documents import _KEY, Document, LoadText, _filter_keys, _label_words
from site_builder.search.stems import Stems


def _lists() -> defaultdict:
    return defaultdict(list)


@dataclass
class Delta:
    """Ids to add and remove per stem (all words; label words), per filter, and the change in the
    number of documents holding each word whose stem differs from it. Every id list is ascending."""

    stems: Stems
    add: dict[str, list[int]] = field(default_factory=_lists)
    remove: dict[str, list[int]] = field(default_factory=_lists)
    add_strong: dict[str, list[int]] = field(default_factory=_lists)
    remove_strong: dict[str, list[int]] = field(default_factory=_lists)
    add_filter: dict[tuple[str, str], list[int]] = field(default_factory=_lists)
    remove_filter: dict[tuple[str, str], list[int]] = field(default_factory=_lists)
    words: Counter = field(default_factory=Counter)

    @classmethod
    def between(
        cls,
        stems: Stems,
        old: list[bytes],
        new: Callable[[int], Document | None],
        changed: list[int],
        load_text: LoadText,
    ) -> Delta:
        """*old*: the documents before, marshalled; *new*: the new document of an id (None: none)."""
        delta = cls(stems)
        for number in changed:  # ascending, so every id list below is sorted
            was = delta.terms(marshal.loads(old[number]) if number < len(old) else None, load_text)
            now = delta.terms(new(number), load_text)
            for before, after, added, removed in (
                (was[0], now[0], delta.add, delta.remove),
                (was[1], now[1], delta.add_strong, delta.remove_strong),
                (was[2], now[2], delta.add_filter, delta.remove_filter),
            ):
                for item in before - after:
                    removed[item].append(number)
                for item in after - before:
                    added[item].append(number)
            delta.words.subtract(was[3])
            delta.words.update(now[3])
        return delta

    def terms(
        self, doc: Document | None, load_text: LoadText
    ) -> tuple[set[str], set[str], set[tuple[str, str]], set[str]]:
        """(stems, label stems, filter keys, words whose stem differs) of one document."""
        if doc is None:
            return set(), set(), set(), set()
        labels = _label_words(doc)
        every = labels.union(load_text(doc[_KEY])[1])
        stem = self.stems
        return stem.of(every), stem.of(labels), _filter_keys(doc), every & stem.differs

    def changed_stems(self) -> set[str]:
        return self.add.keys() | self.remove.keys() | self.add_strong.keys() | self.remove_strong.keys()

    def changed_filters(self) -> set[tuple[str, str]]:
        return self.add_filter.keys() | self.remove_filter.keys()
