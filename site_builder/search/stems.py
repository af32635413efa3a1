"""Stems of index words (Snowball stemmers, for the site's language where one exists).

The index lists documents under stems ("elections", "elected" and "election" all under "elect") and
its shards map each word of the archive to its stem, so the browser needs no stemmer: it looks the
typed word up and reads the stem's list. Words are stemmed after folding (lower case, no accents).
"""

from __future__ import annotations

from typing import Any

# ISO 639-1 codes of the languages snowballstemmer has an algorithm for
ALGORITHMS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "nn": "norwegian",
    "no": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}  # fmt: skip


def algorithm_for(language: str) -> str | None:
    """The Snowball algorithm for a language tag such as "en" or "pt-BR" (None: none, words kept)."""
    return ALGORITHMS.get(language.replace("_", "-").split("-")[0].lower())


class Stems:
    """word -> stem for one language, each word stemmed once (an archive has a few hundred thousand)."""

    def __init__(self, language: str) -> None:
        self.algorithm = algorithm_for(language)
        self._stemmer = _snowball().stemmer(self.algorithm) if self.algorithm else None
        self.table: dict[str, str] = {}  # every word stemmed so far -> its stem
        self.differs: set[str] = set()  # the words of the table whose stem is another word

    def __call__(self, word: str) -> str:
        stem = self.table.get(word)
        if stem is None:
            self.learn((word,))
            stem = self.table[word]
        return stem

    def learn(self, words: set[str] | tuple[str, ...]) -> None:
        """Stem the *words* not stemmed yet (set operations, so that a document's few hundred words
        cost little once the archive's vocabulary is known)."""
        for word in set(words).difference(self.table):
            stem = self.table[word] = self._stem(word)
            if stem != word:
                self.differs.add(word)

    def of(self, words: set[str] | frozenset[str]) -> set[str]:
        """The stems of *words*."""
        self.learn(words)
        return set(map(self.table.__getitem__, words))

    def _stem(self, word: str) -> str:
        if self._stemmer is None or not word.isalpha():
            return word
        stem = self._stemmer.stemWord(word)
        return stem if stem else word


def _snowball() -> Any:
    """snowballstemmer, imported when words are first stemmed: it loads every language's algorithm
    (16 ms), which a build with nothing to index never needs."""
    import snowballstemmer

    return snowballstemmer
