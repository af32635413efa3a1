"""Deterministic N-article archives made from the real BBC corpus.

The benchmark needs archives far bigger than the 2,225 BBC articles, with the
shape of a real news archive: distinct titles and slugs, dates spread over ten
years, a few hundred tags and a couple of thousand people with a long tail.
Everything here is a pure function of (corpus, n, seed), so a rerun on any
machine benchmarks byte-identical input, and articles are produced lazily so a
100k archive never sits in memory.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

CATEGORIES = ("business", "entertainment", "politics", "sport", "tech")
TAG_COUNT = 300
PEOPLE_COUNT = 2000
FIRST_DATE = datetime(2015, 1, 1, tzinfo=UTC)
SPAN_MINUTES = 10 * 365 * 24 * 60  # ten years of publishing
SUMMARY_WORDS = 40

# 50 x 40 = 2,000 distinct ASCII names: ASCII keeps every tool's slugifier in agreement.
FIRST_NAMES = tuple(
    "Aaron Abigail Adam Adrian Aisha Alan Alice Amir Anna Arthur Beatrice Ben Carla Chloe Daniel "  # noqa: SIM905
    "David Elena Emily Farah Fiona George Grace Hannah Harry Isaac Isla Jack James Julia Karen "
    "Kevin Laura Leo Lucy Maria Mark Nadia Nathan Olivia Omar Paul Priya Rachel Robert Sam "
    "Sarah Simon Sofia Thomas Zoe".split()
)
LAST_NAMES = tuple(
    "Adams Ahmed Baker Bennett Brooks Campbell Chen Clarke Davies Edwards Evans Fischer Garcia "  # noqa: SIM905
    "Green Hughes Jackson Johnson Kaur Khan Kowalski Lewis Martin Moreau Murphy Nowak Okafor "
    "Patel Price Reid Roberts Rossi Schmidt Singh Taylor Thompson Turner Walker Watson Wright Young".split()
)

# Capitalised function words that are not worth a tag page.
_NOT_TAGS = frozenset(
    "The This That These Those There Their They Then When What Where Which While With Will Would "  # noqa: SIM905
    "From Have Here However Also After Before Because Both But Mr Mrs Ms Dr Sir Its It In On At "
    "And For Not Our Some Such Than Under Until Over Into Many Most Much More Other Last Next Since "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December BBC News".split()
)


@dataclass(frozen=True)
class SourceArticle:
    """One BBC article as read from disk: the raw material for replication."""

    title: str
    paragraphs: tuple[str, ...]
    category: str


@dataclass(frozen=True)
class Article:
    """One benchmark article, identical in meaning for every tool's format."""

    slug: str
    title: str
    date: datetime
    tags: tuple[str, ...]
    people: tuple[str, ...]
    summary: str
    body: str


def read_text(path: Path) -> str:
    """Decode a corpus file; one real file is Latin-1, so fall back rather than fail."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def load_bbc(root: Path) -> list[SourceArticle]:
    """Read every BBC article in a stable order (category, then file name)."""
    sources = []
    for category in CATEGORIES:
        for path in sorted((root / category).glob("*.txt")):
            title, _, rest = read_text(path).strip().partition("\n")
            paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", rest) if p.strip())
            if title.strip() and paragraphs:
                sources.append(SourceArticle(title.strip(), paragraphs, category))
    if not sources:
        raise FileNotFoundError(f"no BBC articles under {root}")
    return sources


def tag_vocabulary(sources: Sequence[SourceArticle], count: int = TAG_COUNT) -> list[str]:
    """The five BBC categories plus the most frequent proper nouns of the corpus.

    Capitalised words not at a sentence start are names of teams, firms,
    parties and places: the kind of tags a newsroom uses.
    """
    counts: Counter[str] = Counter()
    for source in sources:
        for paragraph in source.paragraphs:
            for match in re.finditer(r"(?<=[a-z,;] )([A-Z][a-z]{3,})\b", paragraph):
                word = match.group(1)
                if word not in _NOT_TAGS:
                    counts[word] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    proper = [word for word, _ in ranked if word.lower() not in CATEGORIES]
    return list(CATEGORIES) + proper[: count - len(CATEGORIES)]


def people_names(seed: int, count: int = PEOPLE_COUNT) -> list[str]:
    """Distinct invented names in a seed-dependent order (the order sets popularity)."""
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    random.Random(f"people-{seed}").shuffle(names)
    return names[:count]


def slugify(text: str) -> str:
    """ASCII slug; articles carry explicit slugs so each tool's own rules never matter."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "article"


def zipf_weights(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights: a few tags and people are everywhere, most are rare."""
    return list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(count)))


def _pick(rng: random.Random, names: Sequence[str], cum: list[float], k: int) -> tuple[str, ...]:
    """k distinct names drawn by weight, in draw order."""
    picked: list[str] = []
    while len(picked) < k:
        (name,) = rng.choices(names, cum_weights=cum, k=1)
        if name not in picked:
            picked.append(name)
    return tuple(picked)


def _body(sources: Sequence[SourceArticle], index: int, min_words: int) -> list[str]:
    """The article's paragraphs, topped up with the next articles' until min_words."""
    paragraphs = list(sources[index % len(sources)].paragraphs)
    words = sum(len(p.split()) for p in paragraphs)
    extra = index + 1
    while words < min_words:
        for paragraph in sources[extra % len(sources)].paragraphs:
            paragraphs.append(paragraph)
            words += len(paragraph.split())
            if words >= min_words:
                break
        extra += 1
    return paragraphs


def summarize(paragraph: str, words: int = SUMMARY_WORDS) -> str:
    """An explicit summary, so no tool's own summary rule changes the work."""
    parts = paragraph.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def make_archive(
    sources: Sequence[SourceArticle], n: int, seed: int = 1, min_words: int = 600
) -> Iterator[Article]:
    """Yield n distinct articles, replicating the corpus as often as needed."""
    rng = random.Random(f"archive-{seed}-{n}")
    tags = tag_vocabulary(sources)
    people = people_names(seed)
    tag_cum = zipf_weights(len(tags) - len(CATEGORIES), 1.0)
    people_cum = zipf_weights(len(people), 0.7)
    other_tags = tags[len(CATEGORIES) :]
    titles: set[str] = set()
    slugs: set[str] = set()
    for index in range(n):
        source = sources[index % len(sources)]
        edition = index // len(sources)
        title = source.title if edition == 0 else f"{source.title} ({edition + 1})"
        title = _unique(title, titles, " ({})")
        slug = _unique(slugify(title), slugs, "-{}")
        minute = rng.randrange(SPAN_MINUTES)
        article_tags = (source.category,) + _pick(rng, other_tags, tag_cum, rng.randint(2, 4))
        article_people = _pick(rng, people, people_cum, rng.randint(1, 5))
        paragraphs = _body(sources, index, min_words)
        yield Article(
            slug=slug,
            title=title,
            date=FIRST_DATE + timedelta(minutes=minute),
            tags=article_tags,
            people=article_people,
            summary=summarize(paragraphs[0]),
            body="\n\n".join(paragraphs) + "\n",
        )


def _unique(value: str, taken: set[str], pattern: str) -> str:
    """Add a counter suffix until value is unused (the corpus has duplicate files)."""
    candidate, counter = value, 1
    while candidate in taken:
        counter += 1
        candidate = value + pattern.format(counter)
    taken.add(candidate)
    return candidate
