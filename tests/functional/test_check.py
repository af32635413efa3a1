"""``site-builder check``: broken links, anchors and assets are found; real sites check clean."""

from __future__ import annotations

import shutil

import feedparser
from PIL import Image

from site_builder import cli
from site_builder.build import build_site
from site_builder.config import load_config
from site_builder.publish.check import check_output, check_tree
from tests.helpers import REPO, SiteFixture

BODY = """\
## A heading

[gone](/articles/nowhere/) [bad anchor](/articles/second-story/#nope)
[good anchor](/articles/second-story/#main) [heading anchor](#a-heading) [self anchor](#missing-here)
[relative](../second-story/) [no slash](/articles/second-story) [external](https://other.example.com/x)
[mail](mailto:desk@example.org) [query](/tags/?page=2)

![present](/images/present.png) ![missing](https://example.org/images/missing.png)
"""


def found(problems) -> set[tuple[str, str, str]]:
    return {(p.file, p.kind, p.target) for p in problems}


def test_broken_links_anchors_and_assets_are_reported(site):
    site.article("first", "First story", body=BODY)
    site.article("second", "Second story", "2020-01-02")
    site.write("static/images/present.png", "")
    Image.new("RGB", (40, 30)).save(site.root / "static/images/present.png")
    site.build()
    problems = check_output(site.config())
    page = "articles/first-story/index.html"
    assert found(problems) == {
        (page, "link", "/articles/nowhere/"),
        (page, "anchor", "/articles/second-story/#nope"),
        (page, "anchor", "#missing-here"),
        (page, "asset", "https://example.org/images/missing.png"),
    }
    assert all(p.line and p.line > 1 for p in problems)
    assert "no such file" in str(next(p for p in problems if p.kind == "link"))


def test_subpath_site_refuses_links_outside_its_base_path(site):
    site.write("site.toml", site.settings.replace("https://example.org/", "https://example.org/news/"))
    site.article(  # (the build moves a body's root-relative links under /news/, a template does not)
        "first", "First story", body="[root](/articles/second-story/) [ok](/news/articles/second-story/)"
    )
    site.article("second", "Second story", "2020-01-02")
    site.write("templates/404.html", '<p><a href="/articles/second-story/">root</a></p>\n')
    site.build()
    problems = check_output(site.config())
    assert found(problems) == {("404.html", "link", "/articles/second-story/")}
    assert "outside the site's base path /news/" in problems[0].message
    # the same files checked as if served at the root: every generated link now points outside
    assert len(check_tree(site.output, "https://example.org/")) > 20


def test_feeds_sitemap_redirects_css_and_json_are_checked(site):
    site.article("first", "First story", aliases="[old/first/]")
    site.article("second", "Second story", "2020-01-02")
    site.build()
    out = site.output
    assert check_output(site.config()) == []
    (out / "feed.xml").write_text((out / "feed.xml").read_text()[:-40])
    sitemap = (out / "sitemap.xml").read_text()
    start = sitemap.index("<url>\n    <loc>https://example.org/tags/</loc>")
    sitemap = sitemap[:start] + sitemap[sitemap.index("</url>", start) + len("</url>") :]
    sitemap = sitemap.replace("</urlset>", "<url><loc>https://example.org/nope/</loc></url></urlset>")
    (out / "sitemap.xml").write_text(sitemap)
    redirect = out / "old/first/index.html"
    redirect.write_text(redirect.read_text().replace("/articles/first-story/", "/articles/gone/"))
    (out / "assets/extra.css").write_text("body { background: url('../fonts/missing.woff') }\n")
    (out / "search.json").write_text('{"items": [{"url": "articles/first-story/"}, {"url": "articles/x/"}]}')
    assert found(check_output(site.config())) == {
        ("feed.xml", "xml", "feed.xml"),
        ("sitemap.xml", "sitemap", "https://example.org/nope/"),
        ("sitemap.xml", "sitemap", "https://example.org/tags/"),
        ("old/first/index.html", "redirect", "/articles/gone/"),
        ("old/first/index.html", "link", "/articles/gone/"),
        ("old/first/index.html", "link", "https://example.org/articles/gone/"),  # its canonical link
        ("assets/extra.css", "css", "../fonts/missing.woff"),
        ("search.json", "json", "articles/x/"),
    }


def test_atom_entry_without_required_elements(site):
    site.article("first", "First story")
    site.build()
    feed = site.output / "feed.xml"
    feed.write_text(feed.read_text().replace("<title>First story</title>", ""))
    problems = check_output(site.config())
    assert [(p.kind, p.message) for p in problems] == [("feed", "missing <title>")]


def test_sample_site_checks_clean(tmp_path):
    root = tmp_path / "sample"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "site.toml", root / "site.toml")
    config = load_config(root)
    build_site(config)
    assert check_output(config) == []
    feed = feedparser.parse((config.output_dir / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries


def test_cli_exit_status_and_listing(site: SiteFixture, capsys):
    site.article("first", "First story", body="[gone](/nowhere/)")
    assert cli.main(["check", "--site", str(site.root)]) == 1
    assert "run 'site-builder build' first" in capsys.readouterr().err
    site.build()
    assert cli.main(["check", "--site", str(site.root)]) == 1
    out = capsys.readouterr().out
    assert "articles/first-story/index.html:" in out and "/nowhere/" in out
    assert "1 broken reference(s) in 1 file(s)" in out
    (site.root / "content/first.md").unlink()
    site.article("first", "First story")
    site.build()
    assert cli.main(["check", "--site", str(site.root)]) == 0
    assert "no problems" in capsys.readouterr().out
