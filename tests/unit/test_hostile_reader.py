"""The hostile corpus (tests/hostile/) read in-process: its manifest is complete, and the reader turns
control characters, hostile mention offsets and pathological Markdown into safe values or located errors.
tests/system/test_hostile_inputs.py builds the whole corpus through the real CLI."""

from __future__ import annotations

import time
import tomllib

import pytest

from tests.helpers import HOSTILE

CASES = tomllib.loads((HOSTILE / "cases.toml").read_text(encoding="utf-8"))


def test_every_broken_file_is_in_the_manifest():
    listed = {case["file"] for case in CASES["broken"]}
    assert listed == {p.name for p in (HOSTILE / "broken").iterdir()}
    listed = {case["file"] for case in CASES["safe"]}
    assert listed == {p.name for p in (HOSTILE / "safe").iterdir()}
    assert len(CASES["broken"]) + len(CASES["safe"]) + len(CASES["own"]) >= 40


def test_control_characters_in_a_file_become_spaces_so_body_offsets_hold():
    from site_builder.sources.reader import decode_source

    raw = "---\ntitle: t\n---\n\x1b[1mAna\x07 said\x0c so.\n"
    text = decode_source(raw.encode(), "x.md")
    assert len(text) == len(raw) and text.index("Ana") == raw.index("Ana")
    assert text.endswith(" [1mAna  said  so.\n")


def test_hostile_mention_offsets_are_dropped(tmp_path):
    from site_builder.config import load_config
    from site_builder.sources.markup import MarkdownRenderer
    from site_builder.sources.reader import read_article

    (tmp_path / "content").mkdir()
    data = (HOSTILE / "safe" / "mention-offsets-hostile.md").read_bytes()
    article, _ = read_article(data, "m.md", load_config(tmp_path), MarkdownRenderer(), "key")
    assert [p.mentions for p in article.people] == [((6, 9),)]


# --- Markdown that takes Python-Markdown minutes -----------------------------------------------------


@pytest.mark.parametrize("body", ["[" * 20000, "[a](" * 20000], ids=["brackets", "unclosed-links"])
def test_pathological_markdown_is_stopped_with_a_located_error(tmp_path, body):
    """20,000 '[' take Python-Markdown minutes (quadratic); the renderer's time limit makes it an error."""
    from site_builder.config import load_config
    from site_builder.errors import SiteError
    from site_builder.sources.markup import MarkdownRenderer
    from site_builder.sources.reader import read_article

    (tmp_path / "content").mkdir()
    config = load_config(tmp_path)
    data = ("---\ntitle: Brackets\n---\n\n" + body + "\n").encode()
    started = time.monotonic()
    with pytest.raises(SiteError) as caught:
        read_article(data, "bomb.md", config, MarkdownRenderer(time_limit=0.5), "key")
    assert time.monotonic() - started < 5
    assert str(caught.value).startswith("content/bomb.md:5: Markdown took more than 0.5 s")
    ok, _ = read_article(
        b"---\ntitle: Fine\n---\n\n[a](https://x.org/)\n", "ok.md", config, MarkdownRenderer(), "k"
    )
    assert ok.title == "Fine"  # the renderer is still usable after a timeout
