"""Stems of index words (Snowball stemmers, for the site's language where one exists).

The index lists documents under stems ("elections", "elected" and "election" all under "elect") and
its shards map each word of the archive to its stem, so the browser needs no stemmer: it looks the
typed word up and reads the stem's list. Words are stemmed after folding (lower case, no accents).
"""

from __future__ import annotations

import snowballstemmer

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
        self._stemmer = snowballstemmer.stemmer(self.algorithm) if self.algorithm else None
        self._known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._known.get(word)
        if stem is None:
            stem = self._known[word] = self._stem(word)
        return stem

    def _stem(self, word: str) -> str:
        if self._stemmer is None or not word.isalpha():
            return word
        stem = self._stemmer.stemWord(word)
        return stem if stem else word
