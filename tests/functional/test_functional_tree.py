"""Build the fixture site and compare the whole output tree with the stored expected tree.

After an intended change of the output, regenerate it with ``python tests/regenerate_expected.py``.
"""

from tests.helpers import read_tree
from tests.regenerate_expected import EXPECTED, build_fixture


def test_output_tree_matches_expected(tmp_path):
    actual = read_tree(build_fixture(tmp_path))
    expected = read_tree(EXPECTED)
    assert sorted(actual) == sorted(expected), "file list differs: run python tests/regenerate_expected.py"
    for path, data in expected.items():
        assert actual[path] == data, f"{path} differs: run python tests/regenerate_expected.py if intended"


def test_expected_tree_has_every_page_type():
    names = set(read_tree(EXPECTED))
    for required in [
        "index.html", "page/2/index.html", "feed.xml", "sitemap.xml", "robots.txt", "404.html", "CNAME",
        "2021/03/leaders-meet-at-the-summit-agree/index.html", "old/summit/index.html",
        "tags/index.html", "tags/europe/index.html", "tags/europe/feed.xml", "people/anna-berg/index.html",
        "people/anna-berg/feed.xml", "people/index.html", "archive/index.html", "archive/2021/index.html",
        "archive/2021/03/index.html", "archive/undated/index.html", "undated/editors-note/index.html",
        "assets/style.css", "assets/pygments.css",
    ]:  # fmt: skip
        assert required in names, required
    assert not any("draft" in name for name in names)
