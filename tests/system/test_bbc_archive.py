"""The real BBC corpus imported with the importer, built, and its output verified like a publisher would.

Every internal link, asset and anchor resolves (site-builder check), every feed parses with feedparser
with bozo 0, the sitemap lists every page, tag pages exist for the five categories, and a sample of every
page type validates with the Nu HTML checker.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from site_builder.build import build_site
from site_builder.config import load_config
from site_builder.importer import ImportOptions, import_sources
from site_builder.publish.check import check_output
from tests.helpers import require_shared
from tests.helpers.nu import validator

pytestmark = pytest.mark.slow  # the whole corpus imported and built once (~20 s), then checked
CATEGORIES = ("business", "entertainment", "politics", "sport", "tech")


@pytest.fixture(scope="module")
def bbc_site(tmp_path_factory) -> Path:
    bbc = require_shared("corpora", "bbc")
    root = tmp_path_factory.mktemp("bbc-archive")
    (root / "site.toml").write_text('title = "BBC archive"\nbase_url = "https://example.org/bbc/"\n')
    report = import_sources([bbc], ImportOptions(into=root / "content", site_dir=root, tag_from_folder=True))
    assert len(report.imported) == 2127
    build_site(load_config(root))
    return root


def test_imported_archive_builds_with_category_tags_and_people(bbc_site):
    output = bbc_site / "output"
    for category in CATEGORIES:
        assert (output / f"tags/{category}/index.html").exists(), category
    people = [p for p in (output / "people").iterdir() if p.is_dir()]
    assert len(people) > 500
    assert (output / "archive/undated/index.html").exists()  # the corpus has no dates: none invented


def test_no_broken_internal_link_anchor_or_asset(bbc_site):
    problems = check_output(load_config(bbc_site))
    assert not problems, "\n".join(map(str, problems[:20]))


def test_every_feed_parses_cleanly(bbc_site):
    feeds = sorted((bbc_site / "output").rglob("feed.xml"))
    assert len(feeds) > 500
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
        assert parsed.entries, feed


def test_sitemap_lists_every_page(bbc_site):
    output = bbc_site / "output"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {
        loc.text for loc in ET.parse(output / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)
    }
    pages = {
        "https://example.org/bbc/" + p.parent.relative_to(output).as_posix().removeprefix(".") + "/"
        for p in output.rglob("index.html")
    }
    pages = {url.replace("/bbc//", "/bbc/") for url in pages}
    assert pages == listed


def test_a_sample_of_every_page_type_validates(bbc_site, tmp_path):
    command = validator()
    output = bbc_site / "output"
    sample = [output / "index.html", output / "404.html", output / "search/index.html"]
    for folder in ("articles", "people", "tags", "archive"):
        sample.append(output / folder / "index.html")
        sample += sorted((output / folder).glob("*/index.html"))[:15]
    sample = [page for page in sample if page.exists()]
    assert len(sample) > 50
    result = subprocess.run([command, "--format", "text", *map(str, sample)], capture_output=True, text=True,
                            timeout=300)  # fmt: skip
    report = result.stdout + result.stderr
    assert result.returncode == 0 and "Error" not in report, report[:3000]
