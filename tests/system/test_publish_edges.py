"""Publishing edges a new user hits: the file count, which removals stop a publish, a local base_url."""

from __future__ import annotations

import pytest

from site_builder import cli
from site_builder.errors import SiteError
from site_builder.publish.address import names_this_machine
from site_builder.publish.git import publish
from tests.system.test_publish import Repo, git, isolated_git  # noqa: F401 (the autouse fixture)


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path)


def test_the_reported_file_count_is_the_files_on_the_branch(repo):
    repo.build()
    result = publish(repo.site.config(), push=False)
    on_branch = git(repo.root, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert result.files == len(on_branch) == len(repo.site.files()) + 1  # output/ plus .nojekyll
    assert result.summary().startswith(f"gh-pages: {len(on_branch)} files,")


def test_search_index_files_that_go_only_warn(repo):
    repo.site.article("first", "First story", "2020-01-02", body="Zebras quagga xylophone.")
    repo.build()
    publish(repo.site.config(), push=False)
    repo.site.article("first", "First story", "2020-01-02", body="Apples.")  # its rare words' shards go
    repo.build()
    with pytest.warns(UserWarning, match="/search/index/"):
        result = publish(repo.site.config(), push=False)
    assert result.committed and result.removed
    assert all(url.startswith("/search/index/") for url in result.removed)


def test_a_refused_publish_names_the_pages_not_the_feeds_and_index_files(repo):
    repo.site.article("first", "First story", "2020-01-02", tags="[Vanishing]")
    repo.build()
    first = publish(repo.site.config(), push=False)
    repo.site.article("first", "First story", "2020-01-02")
    repo.build()
    with pytest.raises(SiteError) as caught:
        publish(repo.site.config(), push=False)
    message = str(caught.value)
    assert message.startswith("1 page(s) published on gh-pages would disappear")
    assert "/tags/vanishing/" in message
    assert "feed.xml" not in message and "/search/index/" not in message
    assert "other file(s) such as feeds and search index files" in message
    assert git(repo.root, "rev-parse", "gh-pages") == first.head
    with pytest.warns(UserWarning, match="/tags/vanishing/feed.xml"):
        assert publish(repo.site.config(), push=False, allow_removed=True).committed


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://localhost:8000/", True),
        ("http://LOCALHOST/", True),
        ("http://news.localhost/", True),
        ("http://127.0.0.1:8000/", True),
        ("http://[::1]:8000/", True),
        ("http://0.0.0.0/", True),
        ("https://example.org/news/", False),
        ("https://localhost.example.org/", False),
        ("http://192.168.1.10/", False),
    ],
)
def test_addresses_of_this_machine(url, local):
    assert names_this_machine(url) is local


def test_publish_refuses_the_default_localhost_base_url_before_building(repo, capsys):
    repo.site.write("site.toml", 'title = "Test"\nbase_url = "http://localhost:8000/"\n')
    status = cli.main(["publish", "--site", str(repo.root), "--no-push"])
    error = capsys.readouterr().err
    assert status == 1
    assert "base_url is http://localhost:8000/" in error and "--base-url" in error
    assert "Traceback" not in error
    assert not (repo.root / "output").exists()  # refused before building
    assert git(repo.root, "branch", "--list", "gh-pages") == ""
    with pytest.raises(SiteError, match="an address of this machine"):
        publish(repo.site.config(), push=False)


def test_publish_with_a_real_base_url_or_the_flag(repo, capsys):
    repo.site.write("site.toml", 'title = "Test"\nbase_url = "http://localhost:8000/"\n')
    arguments = ["publish", "--site", str(repo.root), "--no-push", "-q"]
    assert cli.main([*arguments, "--base-url", "https://example.org/news/"]) == 0
    sitemap = git(repo.root, "show", "gh-pages:sitemap.xml")
    assert "https://example.org/news/articles/" in sitemap and "localhost" not in sitemap
    assert cli.main([*arguments, "--allow-local-base-url", "--allow-removed"]) == 0
    assert "http://localhost:8000/" in git(repo.root, "show", "gh-pages:sitemap.xml")
