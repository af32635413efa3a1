"""An imported web page keeps its lead image as a reference: the content file names it, the built page
shows it (never downloaded) with its caption, credit, og:image and JSON-LD image."""

from __future__ import annotations

import datetime as dt
import json
import re

from site_builder.build.pipeline import build_site
from site_builder.cli import main
from site_builder.config import load_config
from site_builder.sources.frontmatter import parse_document

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Harbour reopens | Coast News</title>
<link rel="canonical" href="https://coast.example.org/2024/05/harbour-reopens">
<meta property="og:site_name" content="Coast News">
<meta property="og:image" content="https://cdn.example.org/harbour-1600.jpg">
<meta property="og:image:width" content="1600"><meta property="og:image:height" content="1000">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour reopens after the storm",
"datePublished": "2024-05-04T08:00:00+02:00", "author": {"@type": "Person", "name": "Ida Lund"}}</script>
</head><body><article><h1>Harbour reopens after the storm</h1>
<figure><img src="https://cdn.example.org/harbour-1600.jpg" alt="Boats leaving the harbour at dawn">
<figcaption>The first boats leave. <span class="credit">Photo: Ana Diaz</span></figcaption></figure>
<p>The harbour reopened on Saturday morning, a month after the storm closed it to every boat.</p>
<p>Fishermen said the season could still be saved if the weather holds through the summer.</p>
<figure><img src="/media/quay-map.png" alt="A map of the quays"><figcaption>The repaired quays.</figcaption>
</figure>
<p>The harbour master said repairs to the outer wall would take another six weeks to finish.</p>
</article></body></html>"""


def test_an_imported_pages_lead_image_is_kept_and_shown(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "Coast"\nbase_url = "https://example.org/"\n')
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "harbour.html").write_text(PAGE, encoding="utf-8")
    assert main(["import", str(tmp_path / "inbox"), "--site", str(site), "-q"]) == 0
    [written] = list((site / "content").glob("*.md"))
    meta = parse_document(written.read_text(encoding="utf-8"), str(written)).meta
    assert meta["image"] == {
        "src": "https://cdn.example.org/harbour-1600.jpg",
        "alt": "Boats leaving the harbour at dawn",
        "caption": "The first boats leave.",
        "credit": "Photo: Ana Diaz",
        "width": 1600,
        "height": 1000,
    }
    build_site(load_config(site), now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC), jobs=1)
    html = (site / "output" / "articles" / meta["slug"] / "index.html").read_text(encoding="utf-8")
    lead = re.search(r'<figure class="lead-image">\s*(<img[^>]*>)', html).group(1)
    assert 'src="https://cdn.example.org/harbour-1600.jpg"' in lead and 'width="1600" height="1000"' in lead
    assert '<span class="credit">Photo: Ana Diaz</span>' in html
    assert '<meta property="og:image" content="https://cdn.example.org/harbour-1600.jpg">' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert ld["image"] == ["https://cdn.example.org/harbour-1600.jpg"]
    assert not (site / "output" / "images").exists()  # nothing was fetched
    figure = re.search(r'<figure class="figure">(.*?)</figure>', html, re.S).group(1)
    assert 'src="https://coast.example.org/media/quay-map.png"' in figure
    assert 'alt="A map of the quays"' in figure
    assert "<figcaption>The repaired quays.</figcaption>" in figure
    assert html.index("season could still be saved") < html.index("quay-map.png") < html.index("outer wall")
