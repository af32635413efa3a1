"""Editing a plugin re-renders exactly the pages it can change: its code and settings are part of the
fingerprints of what its hooks affect (content keys for on_article, the hashes of the templates using
its filters, the data of its own pages), and a build with nothing changed stays one."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from site_builder.build.pipeline import FullBuild, build_site
from site_builder.build.state.memory import BuildMemory
from site_builder.config import load_config

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
SETTINGS = """\
title = "Increments"
base_url = "https://example.org/"
plugins = ["minutes", "shout", "about", "articles_json"]

[plugin_configs.minutes]
per_minute = 30
"""
MINUTES = """\
import dataclasses
import math

RATE_KEY = "per_minute"


def on_article(article, config):
    rate = config.plugin_configs["minutes"][RATE_KEY]
    minutes = math.ceil(article.word_count / rate)
    return dataclasses.replace(article, extra={**article.extra, "minutes": minutes})
"""
SHOUT = """\
def jinja_filters():
    return {"shout": lambda text: str(text).upper() + "!"}
"""
ABOUT = """\
def extra_pages(site, config):
    return [("about/", "about.html", {"heading": "About us", "count": len(site.articles)})]
"""
ARTICLE_TEMPLATE = """\
{% extends "base.html" %}
{% block content %}<h1>{{ article.title }}</h1>
<p>{{ article.extra.minutes }} min</p>
{{ body | safe }}
{% endblock %}
"""
ABOUT_TEMPLATE = """\
{% extends "base.html" %}
{% block content %}<h1>{{ heading | shout }}</h1><p>{{ count }} articles</p>{% endblock %}
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def make_site(root: Path) -> Path:
    write(root / "site.toml", SETTINGS)
    write(root / "plugins" / "minutes.py", MINUTES)
    write(root / "plugins" / "shout.py", SHOUT)
    write(root / "plugins" / "about.py", ABOUT)
    write(root / "templates" / "article.html", ARTICLE_TEMPLATE)
    write(root / "templates" / "about.html", ABOUT_TEMPLATE)
    for name, words, day in (("short", 10, 1), ("middle", 50, 2), ("long", 100, 3)):
        body = " ".join(["word"] * words)
        write(
            root / "content" / f"{name}.md",
            f"---\ntitle: {name.title()}\ndate: 2024-01-0{day}\n---\n\n{body}\n",
        )
    return root


def build(root: Path, **options):
    return build_site(load_config(root), now=NOW, jobs=1, **options)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def minutes(root: Path) -> list[str]:
    pages = [
        (root / "output/articles" / name / "index.html").read_text() for name in ("short", "middle", "long")
    ]
    return [page.split("<p>")[1].split(" min")[0] for page in pages]


def test_editing_a_plugin_re_renders_exactly_the_pages_it_affects(tmp_path):
    root = make_site(tmp_path / "site")
    first = build(root)
    assert minutes(root) == ["1", "2", "4"]  # 10, 50 and 100 words at 30 a minute, rounded up
    assert "<h1>ABOUT US!</h1>" in (root / "output/about/index.html").read_text()
    again = build(root)
    assert (again.rendered, again.written) == (0, 0)

    # on_article's code: every file parsed again, but only the pages whose article changed re-render
    minutes_py = root / "plugins" / "minutes.py"
    edit(minutes_py, "math.ceil(article.word_count / rate)", "round(article.word_count / rate)")
    report = build(root)
    assert minutes(root) == ["0", "2", "3"]
    assert (sorted(report.changed_paths), report.rendered) == (
        ["articles/long/index.html", "articles/short/index.html"],
        2,
    )

    # and back: the articles cached by the other version of the code are not taken for this one
    edit(minutes_py, "round(article.word_count / rate)", "math.ceil(article.word_count / rate)")
    report = build(root)
    assert minutes(root) == ["1", "2", "4"]
    assert report.rendered == 2

    # its settings: the same
    edit(root / "site.toml", "per_minute = 30", "per_minute = 10")
    report = build(root)
    assert minutes(root) == ["1", "5", "10"]
    assert (sorted(report.changed_paths), report.rendered) == (
        ["articles/long/index.html", "articles/middle/index.html"],
        2,
    )

    # a filter's code: the pages whose templates use it (the about page), not the others
    edit(root / "plugins" / "shout.py", '+ "!"', '+ "!!"')
    report = build(root)
    assert (report.changed_paths, report.rendered) == (["about/index.html"], 1)
    assert "<h1>ABOUT US!!</h1>" in (root / "output/about/index.html").read_text()

    # extra_pages' code: its page
    edit(root / "plugins" / "about.py", '"About us"', '"About the desk"')
    report = build(root)
    assert (report.changed_paths, report.rendered) == (["about/index.html"], 1)
    assert build(root).summary().split(": ")[1].startswith("nothing changed")
    assert first.pages == report.pages


def test_every_template_page_re_renders_when_a_page_context_hook_changes(tmp_path):
    root = make_site(tmp_path / "site")
    write(
        root / "plugins" / "stamp.py",
        'def on_page_context(page, context, config):\n    return {**context, "stamp": 1}\n',
    )
    edit(root / "site.toml", '"articles_json"]', '"articles_json", "stamp"]')
    first = build(root)
    templates = sum(1 for p in (root / "output").rglob("*.html"))
    edit(root / "plugins" / "stamp.py", '"stamp": 1', '"stamp": 2')
    report = build(root)
    assert report.rendered == templates  # any of them could show the stamp
    assert report.written == 0  # none does
    assert first.pages == report.pages


def test_the_dev_servers_edit_path_runs_the_hooks_and_updates_the_plugins_pages(tmp_path, monkeypatch):
    root = make_site(tmp_path / "site")
    memory = BuildMemory()
    build(root, memory=memory)
    article = root / "content" / "short.md"
    edit(article, "title: Short", "title: Brief\nslug: short")
    edit(article, " ".join(["word"] * 10), " ".join(["word"] * 45))
    full_path = []
    monkeypatch.setattr(FullBuild, "run", lambda *args: full_path.append(args))
    build(root, memory=memory, changed=[article])
    monkeypatch.undo()
    assert not full_path  # rebuilt from the edit alone
    page = (root / "output/articles/short/index.html").read_text()
    assert "<h1>Brief</h1>" in page and "2 min" in page  # on_article ran on the edit
    assert '"title": "Brief"' in (root / "output/data/articles.json").read_text()  # extra_pages planned
    cold = tmp_path / "cold"
    make_site(cold)
    (cold / "content" / "short.md").write_text(article.read_text())
    build(cold)
    for path in ("articles/short/index.html", "data/articles.json", "about/index.html", "index.html"):
        assert (root / "output" / path).read_bytes() == (cold / "output" / path).read_bytes(), path


def test_an_extra_page_that_goes_away_is_removed_and_the_sitemap_follows(tmp_path):
    root = make_site(tmp_path / "site")
    build(root)
    assert "example.org/about/" in (root / "output/sitemap.xml").read_text()
    edit(root / "plugins" / "about.py", 'return [("about/"', 'return [] and [("about/"')
    report = build(root)
    assert report.removed_paths == ["about/index.html"]
    assert not (root / "output/about").exists()
    assert "example.org/about/" not in (root / "output/sitemap.xml").read_text()
