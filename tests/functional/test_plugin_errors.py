"""A failing plugin is a located error: the plugin's name, the hook, the file being processed and the
plugin's own line, never a bare traceback; nothing in output/ changes; the dev server keeps the last
good site."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from site_builder.build.pipeline import build_site
from site_builder.cli import main
from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.preview.rebuild import Rebuilder
from site_builder.preview.session import site_watcher

ARTICLE = "---\ntitle: {title}\ndate: 2024-01-0{day}\n---\n\nBody of {title}.\n"


def make_site(root: Path, plugin: str, name: str = "broken") -> Path:
    (root / "content").mkdir(parents=True)
    (root / "plugins").mkdir()
    (root / "site.toml").write_text(f'title = "Errors"\nplugins = ["{name}"]\n', encoding="utf-8")
    (root / "plugins" / f"{name}.py").write_text(textwrap.dedent(plugin), encoding="utf-8")
    for day, title in ((1, "First"), (2, "Second")):
        (root / "content" / f"{title.lower()}.md").write_text(ARTICLE.format(title=title, day=day))
    return root


def failure(root: Path) -> SiteError:
    with pytest.raises(SiteError) as caught:
        build_site(load_config(root), jobs=1)
    return caught.value


def test_an_exception_in_a_hook_names_the_plugin_the_file_and_its_line(tmp_path, capsys):
    root = make_site(
        tmp_path / "site",
        """\
        def on_article(article, config):
            if article.title == "Second":
                raise ValueError("no second stories")
            return article
    """,
    )
    assert main(["build", "--site", str(root), "--jobs", "1"]) == 1
    error = capsys.readouterr().err
    assert error == (
        "error: content/second.md: plugin 'broken' failed in on_article: "
        "ValueError: no second stories (at plugins/broken.py:3)\n"
    )
    assert not (root / "output").exists()


def test_a_site_error_raised_by_a_plugin_keeps_its_location(tmp_path):
    root = make_site(
        tmp_path / "site",
        """\
        from site_builder.errors import SiteError

        def on_article(article, config):
            raise SiteError("no byline", "content/" + article.source, 2, "authors")
    """,
    )
    assert "content/first.md:2: field 'authors': plugin 'broken': no byline" in str(failure(root))


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        (
            "def on_article(article, config):\n    return None\n",
            "on_article returned None, expected an article",
        ),
        (
            "import dataclasses\ndef on_article(article, config):\n"
            "    return dataclasses.replace(article, extra={'f': lambda: 1})\n",
            "on_article returned an article that cannot be pickled",
        ),
        (
            "import dataclasses\ndef on_config(config):\n"
            "    return dataclasses.replace(config, output_dir=config.site_dir / 'elsewhere')\n",
            "on_config may not change 'output_dir'",
        ),
        ("def on_site(site, config):\n    return [site]\n", "on_site returned [Site("),
        ("def jinja_filters():\n    return ['upper']\n", "jinja_filters returned ['upper'], expected a dict"),
        (
            "def extra_pages(site, config):\n    return [('../escape.txt', b'x', None)]\n",
            "extra_pages gave '../escape.txt'; expected a path inside output/",
        ),
        (
            "def extra_pages(site, config):\n    return [('articles/first/', 'base.html', {})]\n",
            "two sources would write output/articles/first/index.html",
        ),
        (
            "def extra_pages(site, config):\n    yield ('a.txt', b'a', None)\n    raise KeyError('gone')\n",
            "failed in extra_pages: KeyError: 'gone' (at plugins/broken.py:3)",
        ),
        (
            "def on_page_context(page, context, config):\n    return context['nothing']\n",
            "output/articles/second/index.html: plugin 'broken' failed in on_page_context: KeyError",
        ),
        ("import not_a_module_anywhere\n", "plugin 'broken' cannot be imported: ModuleNotFoundError"),
        (
            "def on_article(article, config)\n    return article\n",
            "plugins/broken.py:1: plugin 'broken' cannot",
        ),
    ],
)
def test_what_a_plugin_gets_wrong_is_named(tmp_path, plugin, message):
    root = make_site(tmp_path / "site", plugin)
    assert message in str(failure(root))
    assert not (root / "output").exists()


def test_a_plugin_that_is_nowhere_is_named_with_where_it_was_looked_for(tmp_path):
    root = make_site(tmp_path / "site", "", name="present")
    (root / "site.toml").write_text('plugins = ["absent"]\n')
    error = failure(root)
    assert error.field == "plugins"
    assert "plugin 'absent' not found: no plugins/absent.py" in str(error)


def test_the_dev_server_keeps_the_last_good_site_and_watches_the_plugins(tmp_path):
    root = make_site(tmp_path / "site", "def on_article(article, config):\n    return article\n")
    rebuild = Rebuilder(lambda: load_config(root), silent=True)
    assert rebuild().ok
    before = (root / "output" / "index.html").read_bytes()
    plugin = root / "plugins" / "broken.py"
    plugin.write_text("def on_article(article, config):\n    return 1 / 0\n")
    outcome = rebuild(frozenset({plugin}))
    assert not outcome.ok
    assert "plugin 'broken' failed in on_article: ZeroDivisionError" in outcome.error.message
    assert (root / "output" / "index.html").read_bytes() == before
    plugin.write_text(
        "def on_article(article, config):\n    return article\n\n\ndef on_post_build(r, c):\n    pass\n"
    )
    assert rebuild(frozenset({plugin})).ok
    assert site_watcher(load_config(root), lambda changed: None, poll=True).accepts(plugin)
