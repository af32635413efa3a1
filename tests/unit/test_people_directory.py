"""people.toml: aliases, merges, names that are not people, roles, bios, slugs."""

from __future__ import annotations

import pytest

from site_builder.errors import SiteError
from site_builder.model.people import load_people_directory

PEOPLE_TOML = """
not_people = ["Leave a Reply", "Akismet"]

[people."Vladimir Putin"]
aliases = ["Putin", "Vladimir V. Putin"]
role = "President of Russia"
bio = "Russian leader."
slug = "putin"

[people."Rex Tillerson"]
"""


def directory(tmp_path, text=PEOPLE_TOML):
    (tmp_path / "people.toml").write_text(text, encoding="utf-8")
    return load_people_directory(tmp_path)


def test_missing_file_is_an_empty_directory(tmp_path):
    people = load_people_directory(tmp_path)
    assert people.canonical("Anyone  Here") == "Anyone Here"
    assert people.role("Anyone") is None and people.bio("Anyone") is None
    assert people.slug("Anyone Here") == "anyone-here"


def test_aliases_merge_into_the_canonical_name_ignoring_case(tmp_path):
    people = directory(tmp_path)
    assert people.canonical("putin") == "Vladimir Putin"
    assert people.canonical("Vladimir V. Putin") == "Vladimir Putin"
    assert people.canonical("VLADIMIR PUTIN") == "Vladimir Putin"


def test_not_people_are_none(tmp_path):
    people = directory(tmp_path)
    assert people.canonical("leave a reply") is None
    assert people.canonical("Akismet") is None


def test_role_bio_and_slug_follow_aliases(tmp_path):
    people = directory(tmp_path)
    assert people.role("Putin") == "President of Russia"
    assert people.bio("Vladimir V. Putin") == "Russian leader."
    assert people.slug("Putin") == "putin"
    assert people.slug("Rex Tillerson") == "rex-tillerson"
    assert people.role("Rex Tillerson") is None


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('not_people = "Akismet"', "not_people"),
        ('[people."A B"]\naliases = "A"', "people.A B.aliases"),
        ('[people."A B"]\nrole = 3', "people.A B.role"),
        ('[people."A B"]\nslug = "Not A Slug"', "people.A B.slug"),
        ('[people."A B"]\nnickname = "x"', "people.A B"),
    ],
)
def test_mistakes_are_site_errors_naming_the_field(tmp_path, text, field):
    with pytest.raises(SiteError) as error:
        directory(tmp_path, text)
    assert error.value.field == field


def test_invalid_toml_is_a_site_error(tmp_path):
    with pytest.raises(SiteError):
        directory(tmp_path, "[people.\n")


def test_errors_name_the_line_of_the_field(tmp_path):
    (tmp_path / "people.toml").write_text(
        'not_people = ["Akismet"]\n\n[people."Vladimir Putin"]\nrole = "President"\naliases = "Putin"\n'
    )
    with pytest.raises(SiteError) as caught:
        load_people_directory(tmp_path)
    assert caught.value.line == 5 and "aliases" in caught.value.field
    (tmp_path / "people.toml").write_text('not_people = ["a",\n[people.x]\n')
    with pytest.raises(SiteError) as caught:
        load_people_directory(tmp_path)
    assert caught.value.line is not None
