import pytest

from site_builder.config import load_config
from site_builder.errors import SiteError


def write(tmp_path, text):
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults_without_site_toml(tmp_path):
    config = load_config(tmp_path)
    assert config.page_size == 20 and config.permalink == "articles/{slug}/"
    assert config.output_dir == (tmp_path / "output").resolve()


def test_subpath_base_url(tmp_path):
    config = load_config(write(tmp_path, 'base_url = "https://example.org/news"\n'))
    assert config.base_url == "https://example.org/news/"
    assert config.path_prefix == "/news/"
    assert config.absolute_url("articles/x/") == "https://example.org/news/articles/x/"


def test_config_is_frozen(tmp_path):
    config = load_config(tmp_path)
    with pytest.raises(AttributeError):
        config.title = "x"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("page_size = 0\n", "page_size"),
        ('page_size = "ten"\n', "page_size"),
        ('timezone = "Mars/Olympus"\n', "timezone"),
        ('base_url = "example.org"\n', "base_url"),
        ('permalink = "articles/"\n', "permalink"),
        ('output_dir = "."\n', "output_dir"),
    ],
)
def test_bad_values_name_the_field(tmp_path, text, field):
    with pytest.raises(SiteError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.field == field
    assert "site.toml" in str(caught.value)


def test_invalid_toml_names_the_file(tmp_path):
    with pytest.raises(SiteError, match="site.toml"):
        load_config(write(tmp_path, "title = \n"))


def test_unknown_keys_warn(tmp_path):
    with pytest.warns(UserWarning, match="unknown setting 'colour'"):
        load_config(write(tmp_path, 'colour = "red"\n'))


def test_fingerprint_changes_with_settings(tmp_path):
    first = load_config(tmp_path).fingerprint
    assert load_config(tmp_path, {"title": "Other"}).fingerprint != first
    assert load_config(tmp_path).fingerprint == first


def test_output_folder_does_not_change_the_fingerprint(tmp_path):
    assert load_config(tmp_path, {"output_dir": "elsewhere"}).fingerprint == load_config(tmp_path).fingerprint
