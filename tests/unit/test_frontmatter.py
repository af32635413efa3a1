import datetime as dt

import pytest

from site_builder.errors import SiteError
from site_builder.sources.frontmatter import dump_document, parse_document

YAML = "---\ntitle: Hello\ndate: 2017-04-13\ntags: [a, b]\n---\n\nBody\n"
TOML = '+++\ntitle = "Hello"\ndate = 2017-04-13\ntags = ["a", "b"]\n+++\n\nBody\n'
PELICAN = "Title: Hello\nDate: 2017-04-13\nTags: a, b\n\nBody\n"


@pytest.mark.parametrize("text", [YAML, TOML, PELICAN], ids=["yaml", "toml", "pelican"])
def test_three_dialects_give_the_same_fields(text):
    doc = parse_document(text, "x.md")
    assert doc.meta["title"] == "Hello"
    assert str(doc.meta["date"]) == "2017-04-13"
    assert doc.meta["tags"] == ["a", "b"]
    assert doc.body.strip() == "Body"


def test_no_front_matter_is_all_body():
    doc = parse_document("Just text\n\nMore", "x.md")
    assert doc.meta == {} and doc.body.startswith("Just text")


def test_crlf_and_bom_are_accepted():
    doc = parse_document("\ufeff---\r\ntitle: Hi\r\n---\r\nBody\r\n", "x.md")
    assert doc.meta == {"title": "Hi"} and doc.body == "Body\n"


def test_unclosed_front_matter_names_file_and_line():
    with pytest.raises(SiteError) as caught:
        parse_document("---\ntitle: x\n\nbody", "content/a.md")
    assert str(caught.value).startswith("content/a.md:1:")
    assert "never closed" in str(caught.value)


def test_yaml_error_reports_the_line_in_the_file():
    with pytest.raises(SiteError) as caught:
        parse_document("---\ntitle: ok\ntags: [a, b\n---\n", "a.md")
    assert caught.value.line in (3, 4)


def test_duplicate_yaml_keys_are_refused():
    with pytest.raises(SiteError, match="duplicate key 'title'"):
        parse_document("---\ntitle: a\ntitle: b\n---\n", "a.md")


def test_python_object_tags_are_refused():
    with pytest.raises(SiteError):
        parse_document("---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\n", "a.md")


def test_toml_error_reports_a_line():
    with pytest.raises(SiteError) as caught:
        parse_document('+++\ntitle = "x"\ndate = = 3\n+++\n', "a.md")
    assert caught.value.line == 3


def test_field_lines_are_recorded():
    doc = parse_document(YAML, "a.md")
    assert doc.meta_lines["title"] == 2 and doc.meta_lines["tags"] == 4


def test_dump_round_trips_and_is_deterministic():
    meta = {
        "title": 'Quotes "and" colons: yes',
        "date": dt.datetime(2017, 4, 13, 12, 41, tzinfo=dt.UTC),
        "people": [{"name": "Ana", "role": None, "mentions": [[1, 4], [10, 13]]}],
        "summary": "line one\nline two",
    }
    text = dump_document(meta, "Body\n\n")
    assert text == dump_document(meta, "Body")
    doc = parse_document(text, "a.md")
    assert doc.meta == {**meta, "date": "2017-04-13T12:41:00+00:00"}  # dates stay text until read
    assert doc.body == "Body\n"
    assert "mentions: [[1, 4], [10, 13]]" in text
