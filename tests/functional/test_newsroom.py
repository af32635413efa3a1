"""The newsroom's own site (issue 20): pages that are not news, the menu and chrome from site.toml,
sections, author pages and RSS/JSON feeds, built and checked in their output; and incremental builds
that stay equal to cold ones when an edit moves an article to another section or author."""

from __future__ import annotations

import json
import re

import feedparser
import pytest

from site_builder.errors import SiteError
from site_builder.publish.check import check_tree
from tests.helpers import SiteFixture
from tests.helpers.jsonfeed import jsonfeed_problems
from tests.helpers.site import from_scratch
from tests.helpers.tree import read_tree

NEWSROOM = """
feeds = ["atom", "rss", "json"]
logo = "/img/logo.svg"
favicon = "/img/icon.png"
extra_css = ["/css/site.css"]
footer = "© The Courier · Made in Leeds"

[sections]
from_folders = true

[[menu]]
label = "Business"
section = "business"

[[menu]]
label = "About"
page = "about"

[[menu]]
label = "Elsewhere"
url = "https://example.com/"
"""


@pytest.fixture
def newsroom(site: SiteFixture) -> SiteFixture:
    site.write("site.toml", site.settings + NEWSROOM)
    site.write("static/img/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    site.write("static/img/icon.png", "not really a png")
    site.write("static/css/site.css", "body { color: red; }")
    site.write("content/pages/about.md", "---\ntitle: About the Courier\n---\nWe are a *small* newsroom.\n")
    site.write(
        "content/contact.md", "---\ntitle: Write to us\nkind: page\nsearch: true\n---\nPost is read.\n"
    )
    site.write(
        "content/business/rates.md",
        "---\ntitle: Rates rise\ndate: 2021-03-01\nauthors: [Jane Doe, Bo Ray]\n---\nRates rose again.\n",
    )
    site.write(
        "content/business/jobs.md",
        "---\ntitle: Jobs fall\ndate: 2021-03-02\nauthors: [J. Doe]\n---\nFewer jobs.\n",
    )
    site.write(
        "content/vote.md",
        "---\ntitle: Vote delayed\ndate: 2021-03-03\nsection: Politics\nauthors: [Bo Ray]\n"
        "people: [Jane Doe]\n---\nThe vote is delayed.\n",
    )
    site.write("content/storm.md", "Title: Storm warning\nDate: 2021-03-04\nCategory: Weather\n\nWind.\n")
    site.write(
        "authors.toml",
        '[authors."Jane Doe"]\naliases = ["J. Doe"]\nbio = "Covers money."\nphoto = "/img/logo.svg"\n'
        'person = "jane-doe"\n[authors."Jane Doe".links]\nWebsite = "https://example.net/jane"\n',
    )
    return site


def test_pages_are_at_their_slug_with_their_template_and_in_no_listing(newsroom: SiteFixture) -> None:
    newsroom.build()
    files = newsroom.files()
    about = files["about/index.html"].decode()
    assert '<article class="page">' in about and "<em>small</em>" in about
    assert "contact/index.html" in files  # kind: page outside content/pages/
    listings = [p for p in files if p.endswith(".html") and not p.startswith(("about/", "contact/"))]
    for path in listings:
        assert "About the Courier" not in files[path].decode(), path  # menu label is "About"
        assert "Write to us" not in files[path].decode(), path
    for feed in [p for p in files if p.endswith(("feed.xml", "rss.xml", "feed.json"))]:
        assert b"/about/" not in files[feed] and b"/contact/" not in files[feed], feed
    assert not (newsroom.output / "archive" / "undated").exists()
    sitemap = files["sitemap.xml"].decode()
    assert "https://example.org/about/" in sitemap and "https://example.org/contact/" in sitemap
    records = b"".join(v for p, v in files.items() if p.startswith("search/index/r/"))
    assert b"Write to us" in records and b"About the Courier" not in records  # search: true asks for it


def test_menu_logo_favicon_extra_css_and_footer_come_from_site_toml(newsroom: SiteFixture) -> None:
    newsroom.build()
    home = (newsroom.output / "index.html").read_text()
    menu = home[home.index('<nav class="site-menu"') : home.index("</nav>")]
    labels = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)
    assert labels == [
        ("/sections/business/", "Business"),
        ("/about/", "About"),
        ("https://example.com/", "Elsewhere"),
    ]
    assert (
        'aria-controls="menu-items"' in menu and "Latest" not in menu
    )  # the site's menu replaces the theme's
    assert '<img class="logo" src="/img/logo.svg" alt="Test archive">' in home
    assert '<link rel="icon" href="/img/icon.png">' in home
    theme, extra = home.index('href="/assets/style.css"'), home.index('href="/css/site.css"')
    assert theme < extra  # the site's stylesheet comes after the theme's, so it wins
    assert "© The Courier · Made in Leeds" in home
    about = (newsroom.output / "about" / "index.html").read_text()
    assert '<a href="/about/" aria-current="page">About</a>' in about


def test_sections_from_front_matter_pelican_category_and_folders(newsroom: SiteFixture) -> None:
    newsroom.build()
    files = newsroom.files()
    for slug, titles in {"business": ["Rates rise", "Jobs fall"], "politics": ["Vote delayed"],
                         "weather": ["Storm warning"]}.items():  # fmt: skip
        page = files[f"sections/{slug}/index.html"].decode()
        assert all(title in page for title in titles), slug
        assert f"sections/{slug}/feed.xml" in files and f"sections/{slug}/rss.xml" in files
    assert "sections/pages/index.html" not in files  # content/pages/ is not a section
    assert b'<a href="/sections/business/">Business</a>' in files["sections/index.html"]
    article = files["articles/rates-rise/index.html"].decode()
    assert '<nav class="kicker breadcrumb" aria-label="Breadcrumb">' in article
    assert '<a href="/sections/business/">Business</a>' in article


def test_author_pages_bylines_aliases_and_the_person_they_are(newsroom: SiteFixture) -> None:
    newsroom.build()
    files = newsroom.files()
    jane = files["authors/jane-doe/index.html"].decode()
    assert "Rates rise" in jane and "Jobs fall" in jane  # "J. Doe" is an alias
    assert "Covers money." in jane and 'href="https://example.net/jane" rel="me"' in jane
    assert '<a href="/people/jane-doe/">Jane Doe</a>' in jane  # one entity: the person page
    person = files["people/jane-doe/index.html"].decode()
    assert '<a href="/authors/jane-doe/">Jane Doe</a>' in person
    assert "authors/bo-ray/index.html" in files and "authors/jane-doe/rss.xml" in files
    index = files["authors/index.html"].decode()
    assert index.index("Bo Ray") < index.index("Jane Doe")  # two articles each: by name
    article = files["articles/jobs-fall/index.html"].decode()
    assert '<a href="/authors/jane-doe/" rel="author">J. Doe</a>' in article  # as written, linked


def test_rss_and_json_feeds_validate_for_site_tags_sections_and_authors(newsroom: SiteFixture) -> None:
    newsroom.build()
    files = newsroom.files()
    rss = [p for p in files if p.endswith("rss.xml")]
    assert {
        "rss.xml",
        "sections/business/rss.xml",
        "authors/bo-ray/rss.xml",
        "people/jane-doe/rss.xml",
    } <= set(rss)
    for path in rss:
        parsed = feedparser.parse(files[path])
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == "rss20" and parsed.entries, path
        for entry in parsed.entries:
            assert entry.link.startswith("https://example.org/") and entry.id == entry.link
    site_rss = feedparser.parse(files["rss.xml"])
    assert [e.title for e in site_rss.entries][:2] == ["Storm warning", "Vote delayed"]
    assert site_rss.entries[1].author == "Bo Ray"
    for path in [p for p in files if p.endswith("feed.json")]:
        feed = json.loads(files[path])
        assert jsonfeed_problems(feed) == [], path
        assert feed["feed_url"] == "https://example.org/" + path
    items = json.loads(files["feed.json"])["items"]
    assert items[0]["title"] == "Storm warning" and items[0]["content_text"] == "Wind."
    assert items[1]["authors"] == [{"name": "Bo Ray"}]
    home = files["index.html"].decode()
    assert (
        '<link rel="alternate" type="application/feed+json" title="Test archive (JSON Feed)" '
        'href="/feed.json">' in home
    )
    assert check_tree(newsroom.output, "https://example.org/") == []


def test_default_feeds_are_atom_only_and_full_content_is_optional(site: SiteFixture) -> None:
    site.write("content/pic.png", "")
    site.article(
        "one", "One", body="A [link](../two/) and <b>bold</b>.\n\nSecond paragraph.", authors="[Ann]"
    )
    site.build()
    files = site.files()
    assert "feed.xml" in files and "rss.xml" not in files and "feed.json" not in files
    assert b"<content" not in files["feed.xml"]
    site.write("site.toml", site.settings + 'feeds = ["atom", "rss", "json"]\nfeed_content = "full"\n')
    site.build()
    files = site.files()
    atom = feedparser.parse(files["feed.xml"])
    assert atom.bozo == 0 and "Second paragraph." in atom.entries[0].content[0].value
    assert 'href="https://example.org/articles/two/"' in atom.entries[0].content[0].value  # absolute
    rss = feedparser.parse(files["rss.xml"])
    assert rss.bozo == 0 and "Second paragraph." in rss.entries[0].description
    item = json.loads(files["feed.json"])["items"][0]
    assert "Second paragraph." in item["content_html"] and "content_text" not in item
    assert jsonfeed_problems(json.loads(files["feed.json"])) == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('feeds = ["atom", "xml"]', "expected a list of formats"),
        ('feed_content = "some"', "expected 'summary' or 'full'"),
        ("[[menu]]\nlabel = 'X'", "exactly one of url, page or section"),
        ("[[menu]]\nlabel = 'X'\npage = 'About Us'", "expected a slug"),
        ("[[menu]]\nurl = 'tags/'", "expected a label"),
        ('logo = "../secret.png"', "path under static/"),
        ("[sections]\nfrom_folder = true", "unknown keys"),
    ],
)
def test_bad_newsroom_settings_name_the_setting(site: SiteFixture, settings: str, message: str) -> None:
    site.write("site.toml", site.settings + settings + "\n")
    with pytest.raises(SiteError, match=re.escape(message)) as caught:
        site.config()
    assert "site.toml" in str(caught.value)


@pytest.mark.parametrize(
    ("authors", "message"),
    [
        ('[authors."A"]\nemail = "a@b"', "unknown keys ['email']"),
        ('[authors."A"]\nperson = "Not A Slug"', "not a valid slug"),
        ('[authors."A".links]\nHome = "javascript:alert(1)"', "expected an http(s) or mailto: URL"),
        ("[authors", "invalid TOML"),
    ],
)
def test_bad_authors_toml_is_an_error_naming_the_file(site: SiteFixture, authors: str, message: str) -> None:
    site.article("one", "One", authors="[A]")
    site.write("authors.toml", authors + "\n")
    with pytest.raises(SiteError, match=re.escape(message)) as caught:
        site.build()
    assert "authors.toml" in str(caught.value)


def test_bad_kind_and_two_categories_are_errors_with_the_line(site: SiteFixture) -> None:
    site.article("one", "One", kind="pager")
    with pytest.raises(SiteError, match=r"content/one.md:4: field 'kind': expected 'article' or 'page'"):
        site.build()
    site.write("content/one.md", "Title: One\nCategory: A, B\n\nText.\n")
    with pytest.raises(SiteError, match=r"content/one.md:2: field 'category': an article has one section"):
        site.build()


def test_a_site_stylesheet_replacing_the_theme_s_is_warned_about(site: SiteFixture) -> None:
    site.write("static/assets/style.css", "body {}")
    with pytest.warns(
        UserWarning, match=r"static/assets/style.css replaces the whole theme stylesheet.*extra_css"
    ):
        site.build()


def _edit(site: SiteFixture, relative: str, old: str, new: str) -> None:
    path = site.root / relative
    path.write_text(path.read_text().replace(old, new))


@pytest.mark.parametrize(
    ("relative", "old", "new"),
    [
        ("content/vote.md", "section: Politics", "section: Weather"),  # another section
        ("content/vote.md", "authors: [Bo Ray]", "authors: [Jane Doe]"),  # another author
        ("content/business/rates.md", "Rates rose again.", "Rates rose a third time."),  # content only
        ("content/business/jobs.md", "title: Jobs fall", "title: Jobs fall sharply"),  # a listed title
        ("content/pages/about.md", "small", "tiny"),  # a page
        ("authors.toml", "Covers money.", "Covers money and jobs."),
    ],
)
def test_edits_rebuild_like_a_cold_build(newsroom: SiteFixture, tmp_path, relative, old, new) -> None:
    """Through the CLI's incremental build and the dev server's edit path (build memory)."""
    from site_builder.build import build_site
    from site_builder.build.state.memory import BuildMemory

    memory = BuildMemory()
    build_site(newsroom.config(), memory=memory, jobs=1)
    _edit(newsroom, relative, old, new)
    build_site(newsroom.config(), memory=memory, changed=[newsroom.root / relative], jobs=1)
    assert read_tree(newsroom.output, folders=True) == from_scratch(newsroom, tmp_path)
    _edit(newsroom, relative, new, old)
    newsroom.build(jobs=1)  # a one-off (CLI) build after the server's
    assert read_tree(newsroom.output, folders=True) == from_scratch(newsroom, tmp_path)


def test_theme_eject_copies_templates_and_never_overwrites_without_force(site: SiteFixture, capsys) -> None:
    from site_builder.cli import main
    from site_builder.eject import theme_templates

    templates = site.root / "templates"
    assert main(["theme", "eject", "base.html", "page.html", "--site", str(site.root)]) == 0
    assert (templates / "base.html").read_bytes() == theme_templates()["base.html"].read_bytes()
    (templates / "base.html").write_text("{# mine #}" + (templates / "base.html").read_text())
    assert main(["theme", "eject", "--site", str(site.root)]) == 1  # every template: base.html exists
    assert "page.html already exist; nothing copied (--force overwrites)" in capsys.readouterr().err
    assert (templates / "base.html").read_text().startswith("{# mine #}")
    assert not (templates / "article.html").exists()  # nothing copied at all
    assert main(["theme", "eject", "nope.html", "--site", str(site.root)]) == 1
    assert "no theme template 'nope.html'" in capsys.readouterr().err
    assert main(["theme", "eject", "base.html", "--force", "--site", str(site.root)]) == 0
    assert not (templates / "base.html").read_text().startswith("{# mine #}")
    site.article("one", "One")
    site.build()  # the ejected templates build the site as the theme's did
    assert "Test archive" in (site.output / "index.html").read_text()
    assert main(["theme", "list", "--site", str(site.root)]) == 0
    assert f"base.html  (overridden in {templates / 'base.html'})" in capsys.readouterr().out
