"""Edges a new user hits first: a headline with a colon, a language written as a name, ``new`` outside
a site, ``new --date --tags``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.scaffold import init_site, new_article
from site_builder.sources.frontmatter import parse_document


def test_an_unquoted_colon_in_a_title_says_to_quote_it_with_the_line():
    text = "---\ndate: 2020-01-01\ntitle: Brexit: what next\n---\n\nBody.\n"
    with pytest.raises(SiteError) as caught:
        parse_document(text, "content/brexit.md")
    message = str(caught.value)
    assert message.startswith("content/brexit.md:3: invalid YAML front matter")
    assert "must be quoted" in message
    assert 'write title: "Brexit: what next"' in message
    fixed = parse_document('---\ntitle: "Brexit: what next"\n---\n\nBody.\n', "content/brexit.md")
    assert fixed.meta["title"] == "Brexit: what next"  # the line suggested is valid YAML for the value


def test_the_suggested_quoting_escapes_quotes_in_the_value():
    with pytest.raises(SiteError) as caught:
        parse_document('---\ntitle: He said "no": the vote\n---\n\nBody.\n', "a.md")
    suggestion = str(caught.value).split("write ", 1)[1].rstrip(")")
    assert yaml.safe_load(suggestion) == {"title": 'He said "no": the vote'}


def test_other_yaml_errors_get_no_quoting_hint():
    with pytest.raises(SiteError) as caught:
        parse_document("---\ntitle: [unclosed\n---\n\nBody.\n", "a.md")
    assert "quoted" not in str(caught.value)


def write_settings(tmp_path: Path, text: str) -> Path:
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("name", "code"), [("German", "'de'"), ("english", "'en'"), ("French", "'fr'")])
def test_a_language_given_by_name_is_refused_naming_its_tag(tmp_path, name, code):
    with pytest.raises(SiteError) as caught:
        load_config(write_settings(tmp_path, f'language = "{name}"\n'))
    message = str(caught.value)
    assert "field 'language'" in message and "BCP 47" in message
    assert f"write {code}" in message


@pytest.mark.parametrize(("value", "unknown"), [("xx", "'xx'"), ("de-QQ", "'QQ'"), ("de-Qqqq", "'Qqqq'")])
def test_well_formed_tags_cldr_does_not_know_are_refused(tmp_path, value, unknown):
    with pytest.raises(SiteError, match=f"no language, script or region {unknown}"):
        load_config(write_settings(tmp_path, f'language = "{value}"\n'))


@pytest.mark.parametrize(
    ("value", "tag"),
    [("de", "de"), ("de_AT", "de-AT"), ("sr-latn", "sr-Latn"), ("zh-Hant-TW", "zh-Hant-TW"),
     ("es-419", "es-419"), ("gsw", "gsw"), ("en-GB-oxendict", "en-GB-oxendict"), ("de-1996", "de-1996")],
)  # fmt: skip
def test_valid_tags_are_accepted_in_their_usual_spelling(tmp_path, value, tag):
    assert load_config(write_settings(tmp_path, f'language = "{value}"\n')).language == tag


def test_new_outside_a_site_is_refused_and_writes_nothing(tmp_path):
    with pytest.raises(SiteError) as caught:
        new_article(tmp_path, "Council approves the bridge")
    assert "no site.toml" in str(caught.value) and "site-builder init" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_new_with_date_and_tags(tmp_path):
    init_site(tmp_path / "s", "Courier")
    tags = ["Council, Transport", "Bridges"]
    path = new_article(tmp_path / "s", "Bridge opens", date="2021-03-04", tags=tags)
    meta = parse_document(path.read_text(), str(path)).meta
    assert meta["date"] == "2021-03-04"
    assert meta["tags"] == ["Council", "Transport", "Bridges"]
    timed = new_article(tmp_path / "s", "Bridge closes", date="2021-03-04T10:30", tags=["Council,,council"])
    meta = parse_document(timed.read_text(), str(timed)).meta
    assert meta["date"] == "2021-03-04T10:30:00+00:00"  # the site's time zone (UTC)
    assert meta["tags"] == ["Council", "council"]


def test_new_with_a_bad_date_is_refused_and_writes_nothing(tmp_path):
    init_site(tmp_path / "s", "Courier")
    with pytest.raises(SiteError, match="--date: expected an ISO 8601 date"):
        new_article(tmp_path / "s", "Bridge opens", date="2021-13-01")
    assert not (tmp_path / "s/content/bridge-opens.md").exists()
