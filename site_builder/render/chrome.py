"""What templates get of the site's chrome settings (see :mod:`site_builder.chrome`): ``site.menu``,
``site.logo``, ``site.favicon``, ``site.extra_css``, ``site.footer`` and ``site.feeds``, with links
ready to use (the base path added to the site's own)."""

from __future__ import annotations

from typing import Any

from site_builder.chrome import is_external
from site_builder.config import SiteConfig
from site_builder.plan.feeds import FEED_FILES

FEED_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml", "json": "application/feed+json"}
FEED_NAMES = {"atom": "Atom", "rss": "RSS", "json": "JSON Feed"}


def chrome_globals(config: SiteConfig) -> dict[str, Any]:
    prefix = config.path_prefix

    def href(url: str) -> str:
        return url if is_external(url) else prefix + url

    return {
        "menu": [{**entry, "href": href(entry["url"])} for entry in config.menu],
        "logo": href(config.logo) if config.logo else "",
        "favicon": href(config.favicon) if config.favicon else "",
        "extra_css": [href(sheet) for sheet in config.extra_css],
        "footer": config.footer,
        "feeds": [
            {"format": name, "file": FEED_FILES[name][0], "type": FEED_TYPES[name], "name": FEED_NAMES[name]}
            for name in config.feeds
        ],
    }
