"""Multilingual settings and language trees: which tree an article joins, which links stay in a tree,
and the errors a wrong ``languages`` setting gives."""

from __future__ import annotations

import pytest

from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.model.trees import LanguageTrees, tree_path


def test_articles_join_the_tree_of_their_language():
    trees = LanguageTrees(("en", "de", "pt-BR"), "en")
    assert trees.tree_of(None) == "en" and trees.tree_of("de") == "de"
    assert trees.tree_of("de-AT") == "de"  # the same language subtag
    assert trees.tree_of("pt") == "pt-BR" and trees.tree_of("fr") == "en"  # else the default
    assert trees.prefix("pt-BR") == "pt-br/" and trees.prefix_of("de-CH") == "de/"
    assert trees.prefix("en") == "en/"
    assert LanguageTrees(("en", "de"), "en", default_in_subdir=False).prefix("en") == ""


def test_only_section_links_go_into_the_tree():
    assert tree_path("", "de/") == "de/" and tree_path("page/2/", "de/") == "de/page/2/"
    assert tree_path("tags/x/", "de/") == "de/tags/x/" and tree_path("feed.xml", "de/") == "de/feed.xml"
    assert tree_path("search/index/", "de/") == "de/search/index/"
    for site_wide in ("assets/style.css", "images/ab/480.webp", "de/articles/x/", "404.html", "img/a.svg"):
        assert tree_path(site_wide, "de/") == site_wide
    assert tree_path("/en/tags/", "de/") == "en/tags/" and tree_path("/", "de/") == ""  # from the root
    assert tree_path("tags/x/", "") == "tags/x/"


def settings(tmp_path, text):
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    return load_config(tmp_path)


def test_languages_setting(tmp_path):
    config = settings(tmp_path, 'languages = ["en", "de_AT"]\n')
    assert config.languages == ("en", "de-AT") and config.language == "en"
    assert config.trees == LanguageTrees(("en", "de-AT"), "en", True)
    config = settings(tmp_path, 'languages = ["en", "de"]\ndefault_language = "de"\n')
    assert config.language == "de" and config.trees is not None and config.trees.default == "de"
    assert settings(tmp_path, 'languages = ["de"]\n').trees is None  # one language: a plain site
    assert settings(tmp_path, 'languages = ["de"]\n').language == "de"
    plain = settings(tmp_path, 'language = "de"\n')
    assert plain.fingerprint == settings(tmp_path, 'languages = ["de"]\n').fingerprint


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ('languages = "en"\n', "languages", "expected a list of language tags"),
        ('languages = ["en", "??"]\n', "languages", "expected a list of language tags"),
        ('languages = ["en", "de", "en"]\n', "languages", "'en' is listed twice"),
        ('languages = ["en", "de"]\ndefault_language = "fr"\n', "default_language", "expected one of"),
        ('languages = ["en", "de"]\nlanguage = "de"\n', "language", "set 'default_language'"),
    ],
)
def test_wrong_languages_settings_are_errors_naming_the_field(tmp_path, text, field, message):
    with pytest.raises(SiteError) as error:
        settings(tmp_path, text)
    assert error.value.field == field and message in str(error.value)
    assert "site.toml" in str(error.value)
