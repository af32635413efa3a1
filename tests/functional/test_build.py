"""Build properties: two phases, only changed files written, determinism, clear failures."""

import datetime as dt
import os

import pytest

from site_builder.build.loading import BuildErrors
from site_builder.build.lock import build_lock
from site_builder.errors import BuildLockedError, SiteError
from site_builder.render.environment import theme_dir
from tests.helpers import read_tree


def populate(site):
    site.article("one", "First story", "2020-01-01", tags="[Politics]", people="[Ann Lee]")
    site.article("two", "Second story", "2020-02-01", tags="[Politics, Sport]", people="[Ann Lee, Bo Ray]")
    site.article("three", "Third story", "2021-03-01", tags="[Sport]")


def test_build_writes_the_site_and_a_second_build_writes_nothing(site):
    populate(site)
    first = site.build()
    assert first.articles == 3 and first.written == first.pages and first.unchanged == 0
    mtimes = {p: p.stat().st_mtime_ns for p in site.output.rglob("*") if p.is_file()}
    second = site.build()
    assert second.written == 0 and second.removed == 0 and second.unchanged == second.pages
    assert "nothing changed" in second.summary()
    assert mtimes == {p: p.stat().st_mtime_ns for p in site.output.rglob("*") if p.is_file()}


def test_editing_a_title_updates_every_page_that_shows_it(site):
    populate(site)
    site.build()
    site.article("two", "Renamed story", "2020-02-01", tags="[Politics, Sport]", people="[Ann Lee, Bo Ray]")
    report = site.build()
    changed = set(report.changed_paths)
    assert {"articles/renamed-story/index.html", "tags/politics/index.html", "tags/sport/index.html",
            "people/ann-lee/index.html", "archive/2020/02/index.html", "feed.xml", "sitemap.xml",
            "articles/first-story/index.html"} <= changed  # fmt: skip
    assert "articles/second-story/index.html" in report.removed_paths
    assert not (site.output / "articles/second-story").exists()
    assert "Renamed story" in (site.output / "people/bo-ray/index.html").read_text()


def test_deleting_an_article_removes_its_pages_and_listings(site):
    populate(site)
    site.build()
    (site.root / "content/three.md").unlink()
    report = site.build()
    assert not (site.output / "articles/third-story").exists()
    assert "Third story" not in (site.output / "tags/sport/index.html").read_text()
    assert not (site.output / "archive/2021").exists()
    assert report.removed >= 3


def test_tag_left_without_articles_loses_its_page(site):
    populate(site)
    site.build()
    site.article("three", "Third story", "2021-03-01")
    site.article("two", "Second story", "2020-02-01", tags="[Politics]")
    site.build()
    assert not (site.output / "tags/sport").exists()


def test_drafts_and_future_left_out_unless_asked(site):
    populate(site)
    site.article("draft", "Draft story", "2020-05-01", draft="true")
    site.article("future", "Future story", "2999-01-01")
    site.build()
    assert not (site.output / "articles/draft-story").exists()
    assert not (site.output / "articles/future-story").exists()
    site.build(drafts=True, future=True)
    assert (site.output / "articles/draft-story/index.html").exists()
    assert (site.output / "articles/future-story/index.html").exists()


def test_output_is_deterministic_across_builds_and_caches(site, tmp_path):
    populate(site)
    site.build()
    first = site.files()
    import shutil

    shutil.rmtree(site.output)
    shutil.rmtree(site.root / ".site-cache")
    site.build()
    assert site.files() == first


def test_two_articles_on_one_url_is_an_error_naming_both(site):
    populate(site)
    site.article("dup", "First story", "2020-03-01")
    with pytest.raises(SiteError) as caught:
        site.build()
    assert "dup.md" in str(caught.value) and "one.md" in str(caught.value)


def test_failed_build_leaves_previous_output_exactly(site):
    populate(site)
    site.build()
    before = site.files()
    mtimes = {p: p.stat().st_mtime_ns for p in site.output.rglob("*")}
    site.write("content/broken.md", "---\ntitle: [unclosed\n---\n")
    site.article("two", "Changed meanwhile", "2020-02-01")
    with pytest.raises(BuildErrors) as caught:
        site.build()
    assert "content/broken.md:2" in str(caught.value)
    assert site.files() == before
    assert mtimes == {p: p.stat().st_mtime_ns for p in site.output.rglob("*")}
    assert not list((site.root / ".site-cache").glob("staging-*"))


def test_template_error_leaves_output_and_names_template(site):
    populate(site)
    site.build()
    before = site.files()
    site.write(
        "templates/article.html",
        "{% extends 'base.html' %}{% block content %}{{ article.title.nope() }}{% endblock %}\n",
    )
    with pytest.raises(SiteError) as caught:
        site.build()
    assert "article.html" in str(caught.value)
    assert site.files() == before
    site.write(
        "templates/article.html", "{% extends 'base.html' %}{% block content %}{% if %}{% endblock %}\n"
    )
    with pytest.raises(SiteError, match=r"article.html:1: template syntax error"):
        site.build()


def test_site_template_overrides_theme_and_rerenders_only_its_pages(site):
    populate(site)
    site.build()
    site.write("templates/tag.html", "<p>{{ tag.name }} custom</p>\n")
    report = site.build()
    assert (site.output / "tags/sport/index.html").read_text() == "<p>Sport custom</p>\n"
    assert {p.split("/")[0] for p in report.changed_paths} == {"tags"}


def test_base_template_change_rerenders_pages_extending_it(site):
    populate(site)
    site.build()
    from site_builder.render.environment import theme_dir

    base = (theme_dir() / "base.html").read_text().replace('<main id="main">', '<main id="main" class="x">')
    site.write("templates/base.html", base)
    report = site.build()
    assert "articles/first-story/index.html" in report.changed_paths
    assert "feed.xml" not in report.changed_paths


def test_config_change_rebuilds_all(site):
    populate(site)
    site.build()
    (site.root / "site.toml").write_text(site.settings + 'description = "new"\n')
    report = site.build()
    copies = len([p for p in (theme_dir() / "assets").iterdir() if p.is_file()])
    assert report.rendered == report.pages - copies  # all but the theme assets, plain copies
    assert "index.html" in report.changed_paths


def test_static_files_copied_and_site_wins(site):
    populate(site)
    site.write("static/CNAME", "news.example.org\n")
    site.write("static/assets/style.css", "body{}\n")
    site.build()
    assert (site.output / "CNAME").read_text() == "news.example.org\n"
    assert (site.output / "assets/style.css").read_text() == "body{}\n"


def test_subpath_base_url_prefixes_links(site):
    populate(site)
    from site_builder.build import build_site

    build_site(site.config(base_url="https://example.org/news/"))
    page = (site.output / "articles/first-story/index.html").read_text()
    assert 'href="/news/tags/politics/"' in page and 'href="/news/assets/style.css"' in page
    assert "https://example.org/news/articles/first-story/" in (site.output / "feed.xml").read_text()


def test_second_concurrent_build_gets_a_clear_message(site):
    populate(site)
    config = site.config()
    with build_lock(config.cache_dir), pytest.raises(BuildLockedError, match="another build"):
        site.build()


def test_undated_articles_listed_after_dated_and_in_undated_archive(site):
    populate(site)
    site.article("nodate", "Undated story", None)
    site.build()
    front = (site.output / "page/2/index.html").read_text()
    assert "Undated story" in front
    assert "Undated story" in (site.output / "archive/undated/index.html").read_text()
    assert "Undated story" not in (site.output / "index.html").read_text()


def test_corrupt_cache_is_ignored(site):
    populate(site)
    site.build()
    (site.root / ".site-cache/cache.sqlite").write_bytes(b"garbage" * 100)
    for extra in site.root.glob(".site-cache/cache.sqlite-*"):
        extra.unlink()
    report = site.build()
    assert report.articles == 3


def test_symlink_to_outside_is_refused(site, tmp_path):
    populate(site)
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: secret\n---\n")
    os.symlink(outside, site.root / "content/link.md")
    with pytest.raises(SiteError, match="outside the site"):
        site.build()


def test_dates_use_site_timezone(site):
    (site.root / "site.toml").write_text(site.settings + 'timezone = "America/New_York"\n')
    site.article("a", "A", "2020-01-01")
    site.build(now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert "2020-01-01T00:00:00-05:00" in (site.output / "articles/a/index.html").read_text()


def test_output_identical_whatever_the_number_of_workers(site, tmp_path):
    for n in range(260):  # above the parallel threshold
        site.article(
            f"a{n}", f"Story {n}", f"2020-01-{n % 28 + 1:02d}", tags=f"[T{n % 7}]", people=f"[P{n % 11} Q]"
        )
    from site_builder.build import build_site

    build_site(site.config(), jobs=1)
    serial = site.files()
    build_site(site.config(output_dir=str(tmp_path / "parallel"), cache_dir=str(tmp_path / "cache2")), jobs=2)
    parallel = read_tree(tmp_path / "parallel")
    assert parallel == serial


def test_in_place_commit_gives_the_same_output(site, tmp_path):
    populate(site)
    site.build()
    atomic = site.files()
    (site.root / "site.toml").write_text(site.settings + "atomic_output = false\n")
    site.article("three", "Third story renamed", "2021-03-01", tags="[Sport]")
    site.build()
    (site.root / "site.toml").write_text(site.settings)
    site.article("three", "Third story", "2021-03-01", tags="[Sport]")
    site.build()
    assert site.files() == atomic


def test_parallel_build_from_a_thread_uses_safe_workers(site, tmp_path):
    """The dev server builds from a thread: workers then start through forkserver, same output."""
    import threading

    from site_builder.build import build_site

    for n in range(210):  # above the parallel threshold
        site.article(f"a{n}", f"Story {n}", f"2020-02-{n % 28 + 1:02d}", tags=f"[T{n % 5}]")
    build_site(site.config(), jobs=1)
    serial = site.files()
    target = tmp_path / "threaded"
    thread = threading.Thread(
        target=build_site, args=(site.config(output_dir=str(target), cache_dir=str(tmp_path / "c")),),
        kwargs={"jobs": 2},
    )  # fmt: skip
    thread.start()
    thread.join(timeout=300)
    threaded = read_tree(target)
    assert threaded == serial


def test_broken_files_among_many_are_all_reported_when_parsed_in_parallel(site):
    for n in range(260):  # above the parallel threshold: parsed as a stream of chunks
        site.article(f"a{n:03d}", f"Story {n}", "2020-01-01")
    for n in (3, 150, 255):
        site.write(f"content/a{n:03d}.md", "---\ntitle: [unclosed\n---\n")
    with pytest.raises(BuildErrors) as caught:
        site.build(jobs=2)
    assert [str(e.path).rsplit("/", 1)[-1] for e in caught.value.errors] == ["a003.md", "a150.md", "a255.md"]
    site.write("content/a003.md", "---\ntitle: Fixed\n---\n")
    site.write("content/a150.md", "---\ntitle: Fixed too\n---\n")
    site.write("content/a255.md", "---\ntitle: Fixed at last\n---\n")
    assert site.build(jobs=2).articles == 260


@pytest.mark.parametrize("file_first", [True, False])
def test_a_file_where_a_folder_is_needed_is_refused_in_either_order(site, file_first):
    # alias pages are planned newest article first: the file output/x.html, the folder output/x.html/
    site.article("a", "A", "2020-01-01", aliases='["/x.html/y"]' if file_first else '["/x.html"]')
    site.article("b", "B", "2020-01-02", aliases='["/x.html"]' if file_first else '["/x.html/y"]')
    with pytest.raises(SiteError) as caught:
        site.build()
    owner = "b.md" if file_first else "a.md"
    assert str(caught.value).endswith(
        "output/x.html is a file, but output/x.html/y/index.html needs it to be a folder "
        f"(check the aliases and slugs of {owner})"
    )


def test_output_is_the_same_rendered_in_small_batches(site, tmp_path, monkeypatch):
    from site_builder.build import build_site, rendering
    from site_builder.build.digests import static_files

    populate(site)
    for n in range(40):
        site.article(f"a{n}", f"Story {n}", f"2020-01-{n % 28 + 1:02d}", tags=f"[T{n % 3}]")
    first = site.build()
    whole = site.files()
    monkeypatch.setattr(rendering, "RENDER_BATCH_BYTES", 20_000)
    again = build_site(site.config(output_dir=str(tmp_path / "out"), cache_dir=str(tmp_path / "c")))
    batched = read_tree(tmp_path / "out")
    copies = len(static_files(site.config()))
    assert batched == whole and again.rendered == first.rendered == again.pages - copies


def test_a_file_saved_again_after_it_was_keyed_is_cached_under_its_new_bytes(tmp_path):
    """The sources are keyed before they are parsed; a save in between must not put the new text in the
    cache under the old key (a later return to the old text would show the newer article)."""
    from site_builder.build.loading import load_articles
    from site_builder.build.state.cache import BuildCache
    from site_builder.config import load_config
    from site_builder.sources.files import read_sources

    (tmp_path / "site.toml").write_text('title = "Race"\nbase_url = "https://example.org/"\n')
    (tmp_path / "content").mkdir()
    article = tmp_path / "content" / "a.md"
    article.write_text("---\ntitle: Old title\ndate: 2024-01-01\n---\n\nOld text.\n")
    config = load_config(tmp_path)
    sources = read_sources(config)
    article.write_text("---\ntitle: New title\ndate: 2024-01-01\n---\n\nNew text.\n")
    cache = BuildCache(config.cache_dir)
    try:
        (loaded,) = load_articles(config, cache, sources, 1)
        assert loaded.title == "New title"
        assert cache.articles([sources[0].key]) == {}
        (new_source,) = read_sources(config)
        assert cache.articles([new_source.key])[new_source.key].title == "New title"
    finally:
        cache.close()
