"""The sitemap is written as text: the same bytes ElementTree gives for the same entries."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from site_builder.config import load_config
from site_builder.render.feeds import SITEMAP, render_sitemap


def _with_element_tree(entries, config) -> bytes:
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for path, lastmod in entries:
        element = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(element, f"{{{SITEMAP}}}loc").text = config.absolute_url(
            path.removesuffix("index.html")
        )
        if lastmod:
            ET.SubElement(element, f"{{{SITEMAP}}}lastmod").text = lastmod
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


@pytest.mark.parametrize(
    "entries",
    [
        [],
        [("index.html", None)],
        [
            ("articles/a/index.html", "2020-01-02T03:04:05+00:00"),
            ("tags/x/index.html", None),
            ("404.html", ""),
        ],
        [("a&b/<c>/index.html", "1 < 2 & 3 > 2"), ("caf\u00e9/\u65e5\u672c/", None), ("x\ud800/", "y")],
    ],
)
def test_sitemap_bytes_are_element_tree_s(tmp_path: Path, entries) -> None:
    (tmp_path / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/news/"\n')
    config = load_config(tmp_path)
    context = {"paths": [path for path, _ in entries], "lastmod": [lastmod for _, lastmod in entries]}
    assert render_sitemap(context, config) == _with_element_tree(entries, config)
