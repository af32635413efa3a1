"""Search words in any script: folding and splitting (site_builder.search.words)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from site_builder.search.words import CJK, STOP_WORDS, fold, split_words, words


def test_german_without_umlauts_and_eszett():
    assert words("München: Straße der Einheit") >= {"munchen", "strasse", "einheit"}
    assert words("munchen") <= words("MÜNCHEN") and words("strasse") == words("STRASSE") == words("Straße")


def test_arabic_vowel_marks_hamza_tatweel_and_letter_variants():
    plain, voweled = words("كتب الولد الدرس"), words("كَتَبَ الوَلَدُ الدَّرْسَ")
    assert plain == voweled == {"كتب", "الولد", "الدرس"}
    assert words("أحمد إلى آخر") == words("احمد الى اخر")  # alef with hamza or madda, alef maqsura
    assert words("مدرسة") == words("مدرسه") and words("الســلام") == words("السلام")  # ta marbuta, tatweel


def test_greek_cyrillic_hebrew_devanagari():
    assert words("ΟΔΟΣ Αθηνών") == words("οδός αθηνων") == {"οδοσ", "αθηνων"}
    assert words("Ёлка и Москва") == {"елка", "москва"}  # a lone letter is not a term
    assert words("שָׁלוֹם עולם") == {"שלום", "עולם"}
    assert words("हिन्दी भाषा") == {"हिनदी", "भाषा"}  # vowel signs stay in the word; the virama folds


def test_chinese_and_japanese_as_pairs():
    assert words("北京大学") == {"北京", "京大", "大学"}
    assert words("東京2020") == {"東京", "2020"} and words("本") == {"本"}
    assert words("大学") <= words("北京大学の学生")


def test_english_as_before():
    assert words("The Café in ZÜRICH, 2017: a Putin's café") == {"cafe", "zurich", "2017", "putin"}


def reference(text: str) -> set[str]:
    """The terms by definition: the folded text split, stop words and lone letters (not digits or
    Chinese and Japanese characters) left out."""
    cjk = re.compile(f"[{CJK}]")
    found = split_words(fold(text))
    return {w for w in found if w not in STOP_WORDS and (len(w) > 1 or w.isdecimal() or cjk.match(w))}


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_words_are_the_folded_text_split(text):
    """The fast path (ASCII stretches as they are, other chunks folded once each) is the definition."""
    assert words(text) == reference(text)


PIECES = ["Straße", "ΟΔΟΣ", "كَتَبَ", "北京大学", "the", "x", "ﬁn", " ", "\u00a0", "-", "É1", "हिन्दी"]


@given(st.lists(st.sampled_from(PIECES)))
def test_words_of_mixed_scripts(parts):
    text = "".join(parts)
    assert words(text) == reference(text)


def test_folding_and_word_marks_match_a_scan_of_all_of_unicode():
    """The folding table is filled as characters are met and the word pattern lists marks below
    MARKS_BELOW only: both agree with deciding every code point up front."""
    import sys
    import unicodedata

    from site_builder.search import words as module

    categories = [unicodedata.category(chr(code)) for code in range(sys.maxunicode + 1)]
    assert not [c for c, cat in enumerate(categories) if cat in ("Mc", "Me") and c >= module.MARKS_BELOW]
    non_spacing = [chr(c) for c, cat in enumerate(categories) if cat == "Mn"]
    assert "".join(non_spacing).translate(module._FOLDING) == ""
    kept = "".join(chr(c) for c in range(0x250) if categories[c] != "Mn" and chr(c) not in module.SPELLED)
    assert kept.translate(module._FOLDING) == kept
    assert module.fold("Ślęża München ﬁnal ΆΣΟΣ") == "sleza munchen final ασοσ"
