import datetime as dt

import pytest

from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.sources.markup import MarkdownRenderer, sanitise
from site_builder.sources.reader import derive_summary, permalink, read_article


@pytest.fixture
def config(tmp_path):
    (tmp_path / "site.toml").write_text('timezone = "Europe/London"\n')
    return load_config(tmp_path)


def read(config, text, source="a.md", raw_html=False):
    return read_article(text.encode(), source, config, MarkdownRenderer(raw_html), "key")


def test_full_article(config):
    article, body = read(
        config,
        "---\ntitle: Hello\ndate: 2017-04-13 12:41\ntags: [Russia, russia]\n"
        "people:\n- Vladimir Putin\n- {name: Sergey Lavrov, role: Russian Foreign Minister}\n"
        "authors: [A. Writer]\nsource_url: https://example.org/x\nsubtitle: kept\n---\n\nFirst *para*.\n",
    )
    assert article.title == "Hello" and article.slug == "hello" and article.url == "articles/hello/"
    assert article.date == dt.datetime(2017, 4, 13, 12, 41, tzinfo=config.zone)
    assert [t.slug for t in article.tags] == ["russia", "russia"] or len(article.tags) == 2
    assert [p.name for p in article.people] == ["Vladimir Putin", "Sergey Lavrov"]
    assert article.people[1].role == "Russian Foreign Minister"
    assert article.extra == {"subtitle": "kept"}
    assert article.summary == "First para." and article.summary_derived
    assert "<em>para</em>" in body.html


def test_timezone_from_config_when_absent(config):
    article, _ = read(config, "---\ntitle: x\ndate: 2017-07-01\n---\n")
    assert article.date.utcoffset() == dt.timedelta(hours=1)


def test_undated_article_gets_no_invented_date(config):
    article, _ = read(config, "---\ntitle: x\n---\nbody")
    assert article.date is None
    assert permalink("{year}/{month}/{slug}/", "x", None) == "undated/x/"
    assert permalink("articles/{slug}/", "x", None) == "articles/x/"


def test_permalink_with_date():
    assert permalink("{year}/{month}/{slug}/", "x", dt.datetime(2017, 4, 3)) == "2017/04/x/"


@pytest.mark.parametrize(
    ("front", "field", "line"),
    [
        ("title: [a, b]", "title", 2),
        ("title: ok\ndate: 2017-02-30", "date", 3),
        ("title: ok\ndate: yesterday", "date", 3),
        ("title: ok\ntags: {a: 1}", "tags", 3),
        ("title: ok\npeople: 5", "people", 3),
        ("title: ok\ndraft: maybe", "draft", 3),
        ("date: 2017-01-01", "title", 1),
    ],
)
def test_bad_fields_name_file_line_and_field(config, front, field, line):
    with pytest.raises(SiteError) as caught:
        read(config, f"---\n{front}\n---\nbody", source="news/a.md")
    error = caught.value
    assert error.field == field and error.line == line
    assert str(error).startswith(f"content/news/a.md:{line}: field '{field}'")


def test_tags_as_a_string_are_split(config):
    article, _ = read(config, "---\ntitle: x\ntags: a, b\n---\n")
    assert [t.name for t in article.tags] == ["a", "b"]


def test_invalid_utf8_is_a_located_error(config):
    with pytest.raises(SiteError, match="not valid UTF-8"):
        read_article(b"---\ntitle: x\n---\n\xa3 5", "a.md", config, MarkdownRenderer(), "k")


def test_raw_html_is_sanitised_by_default(config):
    text = (
        '---\ntitle: x\n---\n<script>alert(1)</script><img src="a.png" onerror="x()">'
        "[l](javascript:alert(1))\n"
    )
    _, body = read(config, text)
    for dangerous in ("<script", "onerror", "javascript:"):
        assert dangerous not in body.html
    _, raw = read(config, text, raw_html=True)
    assert "<script>" in raw.html


def test_code_is_highlighted(config):
    _, body = read(config, "---\ntitle: x\n---\n```python\nprint(1)\n```\n")
    assert 'class="highlight"' in body.html and '<span class="nb">print</span>' in body.html


def test_summary_is_cut_at_a_word():
    html = "<p>" + "word " * 100 + "</p>"
    summary = derive_summary(html, 50)
    assert len(summary) <= 51 and summary.endswith("…") and "wor…" not in summary


def test_sanitise_keeps_ordinary_markup():
    html = '<p><a href="https://x.org" title="t">x</a> <em>e</em></p>'
    assert sanitise(html) == html
