"""A Markdown-rich variant of the benchmark archive, shaped like converted WordPress or HTML archives.

The BBC-based archive (:mod:`benchmarks.corpus`) is plain prose, which site_builder renders on its
fast path for plain paragraphs. Archives converted from WordPress exports or saved pages are not: most
articles carry emphasis, links, subheadings, lists, quotes and images. This module rewrites each
article's paragraphs into such Markdown, deterministically from (seed, article index), keeping the
text itself (so word counts stay comparable):

- emphasis (``*...*``) and strong (``**...**``) on a few phrases of most paragraphs;
- inline links to other articles of the archive and to outside sites in most articles;
- ``## `` subheadings before some paragraphs of longer articles;
- a bullet or numbered list made from a paragraph's sentences in about half of the articles;
- a block quote (a paragraph's quoted speech, else its first sentence) in most articles;
- an image with alt text (``![...](/images/...)``) in about two thirds of the articles.

    python -m benchmarks.rich DEST N     # write an N-article site_builder archive into DEST
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from benchmarks.corpus import Article, SourceArticle, make_archive

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_OUTSIDE = ("https://www.bbc.co.uk/news", "https://en.wikipedia.org/wiki/News", "https://example.org/report")


def rich_archive(
    sources: Sequence[SourceArticle], n: int, seed: int = 1, min_words: int = 600
) -> Iterator[Article]:
    """The archive of :func:`benchmarks.corpus.make_archive`, its bodies rewritten as rich Markdown."""
    slugs: list[str] = []
    for index, article in enumerate(make_archive(sources, n, seed, min_words)):
        rng = random.Random(f"rich-{seed}-{index}")
        body = enrich(article.body.strip().split("\n\n"), rng, slugs)
        slugs.append(article.slug)
        if len(slugs) > 200:  # links go to recent articles: a bounded list, the same on every run
            del slugs[:100]
        yield replace(article, body=body)


def enrich(paragraphs: list[str], rng: random.Random, slugs: Sequence[str]) -> str:
    """*paragraphs* as Markdown with the features listed in the module docstring."""
    blocks: list[str] = []
    heading_every = rng.choice((3, 4, 5))
    list_at = rng.randrange(1, max(2, len(paragraphs))) if rng.random() < 0.5 else -1
    quote_at = rng.randrange(len(paragraphs)) if rng.random() < 0.8 else -1
    image_at = rng.randrange(min(3, len(paragraphs))) if rng.random() < 0.67 else -1
    for number, paragraph in enumerate(paragraphs):
        if number and number % heading_every == 0:
            blocks.append("## " + _heading(paragraph))
        if number == image_at:
            blocks.append(f"![{_heading(paragraph)}](/images/{rng.randrange(10_000):05d}.jpg)")
        if number == list_at:
            blocks.append(_as_list(paragraph, rng))
        elif number == quote_at:
            blocks.append(_as_quote(paragraph))
        else:
            blocks.append(_inline(paragraph, rng, slugs))
    return "\n\n".join(blocks) + "\n"


def _words(text: str) -> list[str]:
    return text.split()


def _heading(paragraph: str) -> str:
    words = [w.strip(".,;:!?\"'()") for w in _words(paragraph)[:6]]
    return " ".join(w for w in words if w).capitalize() or "More"


def _inline(paragraph: str, rng: random.Random, slugs: Sequence[str]) -> str:
    """Emphasis, strong text and a link on word runs of the paragraph (never inside a word)."""
    words = _words(paragraph)
    if len(words) < 8:
        return paragraph
    marks = [("*", "*"), ("**", "**")]
    for opening, closing in rng.sample(marks, k=rng.randint(1, 2)):
        start = rng.randrange(0, len(words) - 3)
        end = start + rng.randint(1, 3)
        if _plain(words[start:end]):
            words[start] = opening + words[start]
            words[end - 1] = words[end - 1] + closing
    if rng.random() < 0.6:
        start = rng.randrange(0, len(words) - 3)
        end = start + rng.randint(2, 4)
        if _plain(words[start:end]):
            inside = slugs and rng.random() < 0.5
            target = f"/articles/{rng.choice(slugs)}/" if inside else rng.choice(_OUTSIDE)
            words[start] = "[" + words[start]
            words[end - 1] = f"{words[end - 1]}]({target})"
    return " ".join(words)


def _plain(words: list[str]) -> bool:
    """Words with no Markdown of their own (a marker added next to one could pair with it)."""
    return all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9'’,.-]*", word) for word in words)


def _as_list(paragraph: str, rng: random.Random) -> str:
    sentences = [s.strip() for s in _SENTENCE.split(paragraph) if s.strip()]
    if len(sentences) < 2:
        sentences = [paragraph]
    numbered = rng.random() < 0.4
    return "\n".join(f"{n + 1}. {s}" if numbered else f"- {s}" for n, s in enumerate(sentences))


def _as_quote(paragraph: str) -> str:
    quoted = re.search(r"\"([^\"]{20,})\"", paragraph)
    text = quoted.group(1) if quoted else _SENTENCE.split(paragraph)[0]
    return "> " + text.strip()


def main() -> None:
    from benchmarks.corpus import load_bbc
    from benchmarks.formats import write_archive

    destination, count = Path(sys.argv[1]), int(sys.argv[2])
    sources = load_bbc(Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc")
    written = write_archive(rich_archive(sources, count), {"site_builder": destination})
    print(f"{written} articles in {destination}")


if __name__ == "__main__":
    main()
