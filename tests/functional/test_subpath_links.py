"""Root-relative links and images written in Markdown are moved under a subpath base URL."""

from __future__ import annotations

from site_builder.publish.check import check_output
from tests.helpers import SiteFixture

BODY = """See [the budget](/articles/budget/) and [the bridge](/news/articles/bridge/),
[elsewhere](//cdn.example.org/x).

![A chart](/img/chart.svg)

<img src="/img/chart.svg" srcset="/img/chart.svg 1x, /img/chart.svg 2x" alt="again">
"""


def make_site(root, base_url):
    site = SiteFixture(root)
    site.write("site.toml", f'title = "T"\nbase_url = "{base_url}"\nallow_raw_html = true\n')
    site.write("static/img/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n')
    site.article("budget", "Budget", "2020-01-01")
    site.article("bridge", "Bridge", "2020-01-02", body=BODY)
    return site


def test_root_relative_links_and_images_are_under_the_subpath(tmp_path):
    site = make_site(tmp_path / "s", "https://example.org/news/")
    site.build()
    page = (site.output / "articles/bridge/index.html").read_text()
    assert 'href="/news/articles/budget/"' in page
    assert 'href="/news/articles/bridge/"' in page  # already under the prefix: kept
    assert 'href="//cdn.example.org/x"' in page
    assert 'src="/news/img/chart.svg"' in page
    assert 'srcset="/news/img/chart.svg 1x, /news/img/chart.svg 2x"' in page
    assert 'src="/img/' not in page and 'href="/articles/' not in page
    assert check_output(site.config()) == []


def test_at_the_root_the_body_is_unchanged(tmp_path):
    site = make_site(tmp_path / "s", "https://example.org/")
    site.build()
    page = (site.output / "articles/bridge/index.html").read_text()
    assert 'href="/articles/budget/"' in page and 'src="/img/chart.svg"' in page
