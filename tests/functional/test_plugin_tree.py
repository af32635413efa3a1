"""A site with plugins: a local plugin using every hook, the two shipped examples and an added Markdown
extension; the whole output tree is compared with tests/expected/plugin-site.

After an intended change of the output, regenerate it with ``python tests/regenerate_expected.py``.
"""

from __future__ import annotations

import json
import os
import shutil

from site_builder.build.output.staging import MARKER
from site_builder.build.pipeline import build_site
from site_builder.config import load_config
from tests.helpers import read_tree
from tests.regenerate_expected import NOW, PLUGIN_EXPECTED, PLUGIN_FIXTURE, build_fixture


def test_output_tree_with_plugins_matches_expected(tmp_path):
    actual = read_tree(build_fixture(tmp_path, PLUGIN_FIXTURE))
    expected = read_tree(PLUGIN_EXPECTED)
    assert sorted(actual) == sorted(expected), "file list differs: run python tests/regenerate_expected.py"
    for path, data in expected.items():
        assert actual[path] == data, f"{path} differs: run python tests/regenerate_expected.py if intended"


def test_every_hook_left_its_mark_in_the_expected_tree():
    """What the expected tree must show, so that regenerating it cannot silently drop a hook's work."""
    tree = read_tree(PLUGIN_EXPECTED)
    desk = tree["desk/index.html"].decode()  # extra_pages, with a template
    assert "<h1>FROM THE NIGHT DESK</h1>" in desk  # on_config (site.extra.desk) and a jinja filter
    assert "Filed after midnight." in desk  # a jinja global
    assert "3 min read" in desk  # reading_time: on_article and its filter
    assert "https://example.org/desk/" in tree["sitemap.xml"].decode()  # listed like the site's pages
    assert tree["data/word-counts.txt"].startswith(b"articles/budget-talks-stall/\t17\n")  # bytes
    assert '<p class="paywall">For subscribers</p>' in tree["articles/budget-talks-stall/index.html"].decode()
    assert (
        b"paywall" not in tree["articles/harbour-festival-returns/index.html"]
    )  # on_page_context, on_article
    long_reads = tree["tags/long-reads/index.html"].decode()  # on_site: a topic of its own
    assert "Council approves the bridge" in long_reads and "Harbour festival" not in long_reads
    assert '<div class="admonition note">' in tree["articles/council-approves-the-bridge/index.html"].decode()
    exported = json.loads(tree["data/articles.json"])  # articles_json: extra_pages with bytes
    assert exported["count"] == 4
    assert exported["articles"][0]["url"] == "https://example.org/articles/budget-talks-stall/"


def test_post_build_sees_the_complete_output_and_a_second_build_changes_nothing(tmp_path):
    output = build_fixture(tmp_path, PLUGIN_FIXTURE)
    site = output.parent
    record = json.loads((site / "post-build.json").read_text())
    pages = len(read_tree(output)) - 1  # every file is a page but output/'s marker (MARKER)
    assert (output / MARKER).is_file()
    assert record == {"desk_page_present": True, "pages": pages, "written": record["pages"]}
    before = {path: os.stat(output / path).st_mtime_ns for path in read_tree(output)}
    report = build_site(load_config(site), now=NOW)
    assert report.summary().split(": ")[1].startswith("nothing changed")
    assert report.rendered == 0 and report.written == 0
    assert json.loads((site / "post-build.json").read_text())["written"] == 0  # it ran again
    assert {path: os.stat(output / path).st_mtime_ns for path in read_tree(output)} == before


def test_output_with_plugins_is_identical_whatever_the_number_of_workers(tmp_path):
    """Enough articles for worker processes to parse and render; the hooks record where they ran."""
    site = tmp_path / "site"
    shutil.copytree(PLUGIN_FIXTURE, site, ignore=shutil.ignore_patterns("__pycache__"))
    for number in range(240):  # above the parallel threshold for parsing and rendering
        (site / "content" / f"story-{number}.md").write_text(
            f"---\ntitle: Story {number}\ndate: 2023-{number % 12 + 1:02d}-{number % 28 + 1:02d}\n"
            f"tags: [Topic {number % 5}{', Premium' if number % 7 == 0 else ''}]\n---\n\n"
            + "Words of the story. " * (number % 30)
            + "\n",
            encoding="utf-8",
        )
    with (site / "plugins" / "newsroom.py").open("a", encoding="utf-8") as plugin:
        plugin.write(PID_RECORDER)
    outputs = {}
    for jobs in (1, 2):
        config = load_config(site, {"output_dir": f"output-{jobs}", "cache_dir": f"cache-{jobs}"})
        build_site(config, now=NOW, jobs=jobs)
        outputs[jobs] = read_tree(site / f"output-{jobs}")
    assert outputs[1] == outputs[2]
    assert "<h1>FROM THE NIGHT DESK</h1>" in outputs[2]["desk/index.html"].decode()
    ran: dict[str, set[int]] = {"on_article": set(), "on_page_context": set()}
    for line in (site / "pids.txt").read_text().splitlines():
        hook, pid = line.split()
        ran[hook].add(int(pid))
    for hook in ("on_article", "on_page_context"):  # in the workers, not only in this process
        assert ran[hook] - {os.getpid()}, f"{hook} never ran in a worker process"


# appended to the fixture's plugin: each hook that runs where the work is done notes the process
PID_RECORDER = """

import os as _os

_recorded = set()


def _note(hook, config):
    if (hook, _os.getpid()) not in _recorded:  # (a forked worker inherits the set)
        _recorded.add((hook, _os.getpid()))
        with open(config.site_dir / "pids.txt", "a") as log:
            log.write(f"{hook} {_os.getpid()}\\n")


_on_article, _on_page_context = on_article, on_page_context


def on_article(article, config):
    _note("on_article", config)
    return _on_article(article, config)


def on_page_context(page, context, config):
    _note("on_page_context", config)
    return _on_page_context(page, context, config)
"""
