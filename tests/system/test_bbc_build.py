"""An end-to-end build of a 1,000-article site made from the real BBC corpus."""

from site_builder.build import build_site
from site_builder.config import load_config
from tests.helpers import require_shared
from tests.helpers.bbc import BBC, make_bbc_site


def test_bbc_thousand_articles_build_and_rebuild(tmp_path):
    require_shared("corpora", "bbc")
    site = make_bbc_site(tmp_path / "bbc", limit=1000)
    config = load_config(site)
    first = build_site(config)
    assert first.articles == 1000
    categories = sorted(p.name for p in BBC.iterdir() if p.is_dir())[:2]
    for category in categories:
        assert (config.output_dir / f"tags/{category}/index.html").exists()
    assert (config.output_dir / "archive/2004/index.html").exists()
    second = build_site(config)
    assert second.written == 0 and second.removed == 0
