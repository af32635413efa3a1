"""The search page's script folds and splits a query exactly as the index folds and splits text."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.search.words import words

SCRIPT = Path(__file__).resolve().parents[2] / "templates" / "assets" / "search.js"
RUNNER = """
const fs = require("fs"), vm = require("vm");
const context = { document: { getElementById: () => null }, window: {} };
vm.createContext(context);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8") + ";this.words = siteSearchWords.words;", context);
const texts = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(texts.map((t) => Array.from(new Set(context.words(t))).sort())));
"""
SAMPLES = [
    "München Straße STRASSE ẞ", "كَتَبَ الوَلَدُ الدَّرْسَ أحمد إلى آخر مدرسة الســلام", "ΟΔΟΣ οδός Αθηνών",
    "Ёлка и Москва", "שָׁלוֹם עולם", "हिन्दी भाषा", "北京大学の学生 東京2020 本", "İstanbul Łódź Øresund œuvre",
    "ﬁne ㎏ ½ ① x² Ⅻ", "The Café in ZÜRICH, 2017: a Putin's café", "a\u00a0b\u2003c\u200dd e_f", "𝐀𝐁𝐂 𠀀𠀁",
]  # fmt: skip


def random_texts(count: int) -> list[str]:
    """Strings of code points from many scripts, marks, digits, punctuation and spaces."""
    rng = random.Random(19)
    pools = [(0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF),
             (0x600, 0x6FF), (0x900, 0x97F), (0x3040, 0x30FF), (0x4E00, 0x4E80), (0xFB00, 0xFB06),
             (0x2000, 0x206F), (0x1D400, 0x1D433)]  # fmt: skip
    texts = []
    for _ in range(count):
        chars = []
        for _ in range(rng.randint(1, 40)):
            low, high = rng.choice(pools)
            code = rng.randint(low, high)
            if not 0xD800 <= code <= 0xDFFF:
                chars.append(chr(code))
        texts.append("".join(chars))
    return texts


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (apt-get install nodejs)")
def test_script_words_equal_index_words():
    texts = SAMPLES + random_texts(3000)
    result = subprocess.run(
        ["node", "-e", RUNNER, str(SCRIPT)], input=json.dumps(texts), capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    expected = [sorted(words(text)) for text in texts]
    differing = [(t, mine, js) for t, mine, js in zip(texts, expected, found, strict=True) if mine != js]
    print(f"Python {sys.version.split()[0]}: {len(differing)} of {len(texts)} differ", differing[:5])
    assert not differing
