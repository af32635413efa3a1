"""The two plugins shipped as examples: reading time (on_article and a filter) and /data/articles.json
(extra_pages)."""

from __future__ import annotations

import json

import pytest

from site_builder.errors import SiteError
from site_builder.publish.check import check_output

WORDS = " ".join(["word"] * 461)  # 461 words: 3 minutes at 230 a minute, rounded up


def test_reading_time_estimates_minutes_and_the_filter_writes_them(site):
    site.write("site.toml", site.settings + 'plugins = ["reading_time"]\n')
    site.write(
        "templates/article.html",
        '{% extends "base.html" %}{% block content %}'
        "<p>{{ article.extra.reading_minutes | reading_time }}</p>{% endblock %}\n",
    )
    site.article("long", "Long read", body=WORDS)
    site.article("short", "Short", date="2020-01-02", body="Four words only here.")
    site.build(jobs=1)
    assert "<p>3 min read</p>" in (site.output / "articles/long-read/index.html").read_text()
    assert "<p>1 min read</p>" in (site.output / "articles/short/index.html").read_text()
    site.write(
        "site.toml",
        site.settings + 'plugins = ["reading_time"]\n[plugin_configs.reading_time]\nwords_per_minute = 100\n',
    )
    report = site.build(jobs=1)
    assert "<p>5 min read</p>" in (site.output / "articles/long-read/index.html").read_text()
    assert report.changed_paths == ["articles/long-read/index.html"]


def test_reading_time_refuses_a_rate_that_is_not_a_whole_number(site):
    site.write(
        "site.toml",
        site.settings
        + 'plugins = ["reading_time"]\n[plugin_configs.reading_time]\nwords_per_minute = "fast"\n',
    )
    site.article("a", "A")
    with pytest.raises(SiteError) as caught:
        site.build(jobs=1)
    assert caught.value.field == "plugin_configs.reading_time.words_per_minute"
    assert "plugin 'reading_time': expected a whole number of words of at least 1, got 'fast'" in str(
        caught.value
    )


def test_articles_json_lists_the_published_articles_and_checks_clean(site):
    site.write("site.toml", site.settings + 'plugins = ["articles_json"]\n')
    site.article("a", "Council meets", tags="[Politics]", people="[Ann Lee]", summary="The council met.")
    site.article("b", "Draft", date="2020-01-03", draft="true")
    site.article("c", "Undated note", date=None)
    site.build(jobs=1)
    data = json.loads((site.output / "data/articles.json").read_text())
    assert data["count"] == 2 and data["url"] == "https://example.org/"
    assert data["articles"][0] == {
        "title": "Council meets",
        "url": "https://example.org/articles/council-meets/",
        "date": "2020-01-01T00:00:00+00:00",
        "updated": None,
        "summary": "The council met.",
        "tags": ["Politics"],
        "people": ["Ann Lee"],
        "authors": [],
        "words": 2,
    }
    assert data["articles"][1]["date"] is None
    assert check_output(site.config()) == []  # every url in it resolves


def test_articles_json_is_rewritten_only_when_what_it_lists_changes(site):
    site.write(
        "site.toml",
        site.settings
        + 'plugins = ["articles_json"]\n[plugin_configs.articles_json]\npath = "api/all.json"\n',
    )
    site.article("a", "First")
    site.build(jobs=1)
    assert (site.output / "api/all.json").is_file()
    site.write("content/a.md", "---\ntitle: First\ndate: 2020-01-01\n---\n\nBody text.\n")  # same article
    assert site.build(jobs=1).written == 0
    site.article("a", "First, renamed", slug="a")
    assert "api/all.json" in site.build(jobs=1).changed_paths
