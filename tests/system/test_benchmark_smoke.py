"""Smoke test of the benchmark's archive generator (benchmarks/), at a tiny N.

The benchmark itself (Hugo, Pelican, timings) is not part of the suite: this only
checks that the generator writes the same valid archive in the three formats,
deterministically, so a benchmark run measures the tools on equal input.
"""

from __future__ import annotations

import importlib
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from tests.helpers import REPO, SHARED

ROOT = REPO
BBC = SHARED / "corpora" / "bbc"
N = 40

pytestmark = pytest.mark.skipif(not BBC.is_dir(), reason=f"BBC corpus not found at {BBC} (../shared absent)")


@pytest.fixture(scope="module")
def bench() -> SimpleNamespace:
    """The benchmarks package, importable from the repository root."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        return SimpleNamespace(
            corpus=importlib.import_module("benchmarks.corpus"),
            formats=importlib.import_module("benchmarks.formats"),
            measure=importlib.import_module("benchmarks.measure"),
        )


@pytest.fixture(scope="module")
def sources(bench):
    return bench.corpus.load_bbc(BBC)


@pytest.fixture(scope="module")
def archive(bench, sources, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    articles = bench.corpus.make_archive(sources, N, seed=7)
    written = bench.formats.write_archive(articles, {t: root / t for t in bench.formats.TOOLS})
    assert written == N
    return root


def _yaml_articles(folder: Path) -> dict[str, tuple[dict, str]]:
    """slug -> (front matter, body) of every YAML-front-matter file in folder."""
    found = {}
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("---\n"), path
        _, meta_text, body = text.split("---\n", 2)
        meta = yaml.safe_load(meta_text)
        assert meta["slug"] == path.stem
        assert body.startswith("\n") and body.strip(), path
        found[path.stem] = (meta, body.lstrip("\n"))
    return found


def _pelican_articles(folder: Path) -> dict[str, tuple[dict, str]]:
    """slug -> (headers, body) of Pelican `Key: value` Markdown files."""
    found = {}
    for path in sorted(folder.glob("*.md")):
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        headers = dict(line.split(": ", 1) for line in head.splitlines())
        assert headers["Slug"] == path.stem
        found[path.stem] = (headers, body)
    return found


def _check_meta(meta: dict) -> None:
    assert isinstance(meta["title"], str) and meta["title"]
    assert isinstance(meta["date"], datetime)
    assert 2015 <= meta["date"].year <= 2024
    assert meta["tags"] and all(isinstance(t, str) and t for t in meta["tags"])
    assert meta["people"] and all(isinstance(p, str) and " " in p for p in meta["people"])
    assert isinstance(meta["summary"], str) and meta["summary"]


def test_site_builder_archive_is_valid(archive: Path) -> None:
    site = archive / "site_builder"
    config = tomllib.loads((site / "site.toml").read_text(encoding="utf-8"))
    assert config["page_size"] == 20 and config["base_url"].startswith("https://")
    articles = _yaml_articles(site / "content")
    assert len(articles) == N
    for meta, _ in articles.values():
        _check_meta(meta)
    assert len({meta["title"] for meta, _ in articles.values()}) == N


def test_the_three_formats_hold_the_same_articles(archive: Path) -> None:
    ours = _yaml_articles(archive / "site_builder" / "content")
    hugo = _yaml_articles(archive / "hugo" / "content" / "articles")
    pelican = _pelican_articles(archive / "pelican" / "content")
    assert ours == hugo
    assert ours.keys() == pelican.keys()
    for slug, (meta, body) in ours.items():
        headers, pelican_body = pelican[slug]
        assert headers["Title"] == meta["title"]
        assert datetime.strptime(headers["Date"], "%Y-%m-%d %H:%M") == meta["date"].replace(tzinfo=None)
        assert headers["Tags"].split(", ") == meta["tags"]
        assert headers["Authors"].split(", ") == meta["people"]
        assert pelican_body == body


def test_peer_configurations_are_in_place(archive: Path) -> None:
    hugo = tomllib.loads((archive / "hugo" / "hugo.toml").read_text(encoding="utf-8"))
    assert hugo["taxonomies"] == {"tag": "tags", "person": "people"}
    assert hugo["pagination"]["pagerSize"] == 20
    assert (archive / "hugo" / "layouts" / "_default" / "rss.xml").is_file()
    conf = archive / "pelican" / "pelicanconf.py"
    settings: dict = {}
    exec(compile(conf.read_text(encoding="utf-8"), str(conf), "exec"), settings)
    assert settings["AUTHOR_FEED_ATOM"] == "people/{slug}/feed.xml"
    assert settings["TAG_FEED_ATOM"] == "tags/{slug}/feed.xml"
    assert settings["DEFAULT_PAGINATION"] == 20
    for template in ("article.html", "tag.html", "author.html", "index.html"):
        assert (archive / "pelican" / "theme" / "templates" / template).is_file()


def test_generator_is_deterministic_and_seeded(bench, sources) -> None:
    first = list(bench.corpus.make_archive(sources, 15, seed=3))
    again = list(bench.corpus.make_archive(sources, 15, seed=3))
    other = list(bench.corpus.make_archive(sources, 15, seed=4))
    assert first == again
    assert [a.people for a in first] != [a.people for a in other]


def test_replicas_past_the_corpus_size_stay_distinct(bench, sources) -> None:
    """Articles past the 2,225 real ones reuse bodies but never a title or slug."""
    n = len(sources) + 30
    articles = list(bench.corpus.make_archive(sources, n, seed=1, min_words=0))
    assert len({a.slug for a in articles}) == n
    assert len({a.title for a in articles}) == n
    assert articles[len(sources)].body == articles[0].body
    tags = bench.corpus.tag_vocabulary(sources)
    assert len(set(tags)) == bench.corpus.TAG_COUNT == 300
    assert {t for a in articles for t in a.tags} <= set(tags)
    assert len({p for a in articles for p in a.people}) <= bench.corpus.PEOPLE_COUNT


def test_measure_reports_time_and_peak_memory(bench, tmp_path: Path) -> None:
    """A child that holds 80 MB for a moment is measured at 80 MB or more."""
    code = "import time; x = bytearray(80 * 2**20); time.sleep(0.2)"
    result = bench.measure.run_measured([sys.executable, "-c", code], tmp_path, tmp_path / "log")
    assert result.returncode == 0
    assert result.seconds >= 0.2
    assert result.peak_bytes >= 80 * 2**20
