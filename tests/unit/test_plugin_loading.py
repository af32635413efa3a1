"""Finding plugins by name (the site's plugins/ folder, entry points, the shipped examples), their code
digests, and the settings that list them."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

import site_builder.plugins as plugins_module
from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.plugins import load, plugins_of
from site_builder.plugins.finding import find_plugin


def site_with(tmp_path: Path, settings: str, **files: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "site.toml").write_text(settings, encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / "plugins" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_sites_folder_comes_first_and_a_package_may_hold_several_files(tmp_path):
    root = site_with(
        tmp_path,
        'plugins = ["reading_time", "desk"]\n',
        **{
            "reading_time.py": "def jinja_filters():\n    return {'reading_time': str}\n",
            "desk/__init__.py": (
                "from .helpers import greet\n\ndef jinja_globals():\n    return {'greet': greet}\n"
            ),
            "desk/helpers.py": "def greet():\n    return 'hello'\n",
        },
    )
    loaded = load(load_config(root))
    assert [p.source.origin for p in loaded.plugins] == [
        "plugins/reading_time.py",
        "plugins/desk/__init__.py",
    ]
    assert loaded.filters()["reading_time"] is str  # the site's own, not the shipped example
    assert loaded.globals()["greet"]() == "hello"
    helpers = root / "plugins" / "desk" / "helpers.py"
    before = loaded.digest(load_config(root))
    helpers.write_text("def greet():\n    return 'hi'\n")  # a helper module is part of the plugin's code
    again = load(load_config(root))
    assert again.digest(load_config(root)) != before
    assert again.globals()["greet"]() == "hi"  # imported again, submodule included


def test_the_shipped_examples_are_found_by_name(tmp_path):
    loaded = load(load_config(site_with(tmp_path, 'plugins = ["reading_time", "articles_json"]\n')))
    assert [p.source.origin for p in loaded.plugins] == [
        "site_builder example reading_time",
        "site_builder example articles_json",
    ]
    assert loaded.has("on_article") and loaded.has("extra_pages") and not loaded.has("on_site")


def test_installed_packages_register_plugins_as_entry_points(tmp_path, monkeypatch):
    packages = tmp_path / "installed"
    (packages / "newsdesk_plugin-1.2.dist-info").mkdir(parents=True)
    (packages / "newsdesk_plugin-1.2.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: newsdesk-plugin\nVersion: 1.2\n"
    )
    (packages / "newsdesk_plugin-1.2.dist-info" / "entry_points.txt").write_text(
        "[site_builder.plugins]\nnewsdesk = newsdesk_plugin\n"
    )
    (packages / "newsdesk_plugin.py").write_text("def jinja_globals():\n    return {'desk': 'installed'}\n")
    monkeypatch.syspath_prepend(str(packages))
    monkeypatch.delitem(sys.modules, "newsdesk_plugin", raising=False)
    source = find_plugin("newsdesk", tmp_path)
    assert source.origin == "entry point newsdesk = newsdesk_plugin"
    assert source.version == "newsdesk-plugin 1.2"
    loaded = load(load_config(site_with(tmp_path / "site", 'plugins = ["newsdesk"]\n')))
    assert loaded.globals() == {"desk": "installed"}


def test_a_digest_covers_code_and_settings_and_each_hook_has_its_own(tmp_path):
    root = site_with(
        tmp_path,
        'plugins = ["a", "b"]\n[plugin_configs.a]\nlevel = 1\n',
        **{
            "a.py": "def on_article(article, config):\n    return article\n",
            "b.py": "def on_site(s, c):\n    return s\n",
        },
    )
    config = load_config(root)
    loaded = load(config)
    article_code, everything = loaded.digest(config, "on_article"), loaded.digest(config)
    assert article_code and everything != article_code
    assert loaded.digest(config, "on_page_context") == ""  # none: hashes as a site without plugins
    changed = dataclasses.replace(config, plugin_configs={"a": {"level": 2}})
    assert loaded.digest(changed, "on_article") != article_code
    (root / "plugins" / "b.py").write_text("def on_site(s, c):\n    return s  # edited\n")
    reloaded = load(config)
    assert reloaded.digest(config, "on_article") == article_code  # b's edit is not a's
    assert reloaded.digest(config) != everything


def test_a_plugin_edited_while_a_build_runs_is_an_error_in_the_worker(tmp_path, monkeypatch):
    root = site_with(
        tmp_path, 'plugins = ["a"]\n', **{"a.py": "def on_article(article, config):\n    return article\n"}
    )
    config = load_config(root)
    prepared = dataclasses.replace(config, code_digest=load(config).digest(config))
    assert plugins_of(prepared).plugins[0].name == "a"
    (root / "plugins" / "a.py").write_text("def on_article(article, config):\n    return None\n")
    monkeypatch.setattr(plugins_module, "_prepared", {})  # a worker started after the edit
    with pytest.raises(SiteError, match="a plugin changed while the site was being built"):
        plugins_of(prepared)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('plugins = "reading_time"\n', "plugins"),
        ('plugins = ["a", "a"]\n', "plugins"),
        ('plugins = ["../a"]\n', "plugins"),
        ("plugin_configs = 3\n", "plugin_configs"),
        ("markdown_extensions = [1]\n", "markdown_extensions"),
        ("markdown_extension_configs = { toc = 1 }\n", "markdown_extension_configs"),
    ],
)
def test_bad_plugin_settings_name_the_field(tmp_path, text, field):
    with pytest.raises(SiteError) as caught:
        load_config(site_with(tmp_path, text))
    assert caught.value.field == field


def test_settings_for_a_plugin_not_listed_warn(tmp_path):
    with pytest.warns(UserWarning, match=r"\[plugin_configs.gone\] is not in plugins"):
        load_config(site_with(tmp_path, 'plugins = ["here"]\n[plugin_configs.gone]\nx = 1\n'))


def test_sites_without_plugins_keep_their_fingerprints(tmp_path):
    """The new settings are left out of the fingerprints while unused: caches stay valid."""
    plain = load_config(site_with(tmp_path, 'title = "Same"\n'))
    assert plain.fingerprint == load_config(tmp_path).fingerprint
    with_plugins = dataclasses.replace(plain, plugins=("a",), plugin_configs={"a": {"x": 1}}, code_digest="d")
    assert with_plugins.fingerprint == plain.fingerprint  # their code reaches what their hooks change
    assert with_plugins.reader_fingerprint == plain.reader_fingerprint
    markdown = dataclasses.replace(plain, markdown_extensions=("admonition",))
    assert markdown.reader_fingerprint != plain.reader_fingerprint  # bodies change: so do content keys
