"""The address a site is published under: a ``base_url`` naming this machine is refused.

Feeds, the sitemap, ``robots.txt``, canonical links and Open Graph URLs are absolute, made from
``base_url``. Published with the preview address that ``init`` writes (``http://localhost:8000/``), every
one of them would point readers and search engines at their own machine, so publish stops and says how
to give the real address.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from site_builder.config import SiteConfig
from site_builder.errors import SiteError


def names_this_machine(base_url: str) -> bool:
    """Does *base_url* point at the machine reading it (localhost, a loopback or unspecified address)?"""
    host = (urlsplit(base_url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def refuse_local_base_url(config: SiteConfig) -> None:
    """A SiteError saying how to publish under the real address when ``base_url`` is a local one."""
    if names_this_machine(config.base_url):
        raise SiteError(
            f"base_url is {config.base_url}, an address of this machine: the published sitemap, feeds and "
            "canonical links would point there. Pass the address the site will be served from, e.g. "
            "'site-builder publish --base-url https://example.github.io/news/', or set base_url in "
            "site.toml (--allow-local-base-url publishes anyway)",
            config.site_dir / "site.toml",
            field="base_url",
        )
