"""``site-builder check`` on a site made from the real BBC corpus: it checks clean."""

from __future__ import annotations

from site_builder.build import build_site
from site_builder.config import load_config
from site_builder.publish.check import check_output
from tests.helpers import require_shared
from tests.helpers.bbc import make_bbc_site


def test_bbc_subset_checks_clean(tmp_path):
    require_shared("corpora", "bbc")
    config = load_config(make_bbc_site(tmp_path / "bbc", limit=150))  # base_url has the /bbc/ subpath
    build_site(config)
    assert check_output(config) == []
