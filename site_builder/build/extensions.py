"""The site's extension points made ready for one build: plugins imported and their ``on_config`` run,
Markdown extensions checked, the digests of their code set in the configuration; and the plugins' own
files (``extra_pages``) as the last build committed them.
"""

from __future__ import annotations

import dataclasses
import json

from site_builder.build.state.cache import BuildCache
from site_builder.config import SiteConfig
from site_builder.model.page import Page
from site_builder.plugins import NO_PLUGINS, Plugins, load, plugins_of
from site_builder.sources.markup import check_extensions, extension_code_digest

EXTRA_PAGES_META = "plugin_pages"  # the cache's record of the paths extra_pages gave the last build


def prepare(config: SiteConfig) -> tuple[SiteConfig, Plugins]:
    """The configuration as the plugins' ``on_config`` leave it, with the digests of the plugins' and
    Markdown extensions' code (see :class:`SiteConfig`), and the plugins; a site without either is
    returned as it is."""
    if not (config.plugins or config.markdown_extensions or config.markdown_extension_configs):
        return config, NO_PLUGINS
    loaded = load(config)
    config = loaded.configure(config)
    check_extensions(config)
    config = dataclasses.replace(
        config,
        code_digest=loaded.digest(config),
        article_code_digest=loaded.digest(config, "on_article"),
        markdown_code_digest=extension_code_digest(config.markdown_extensions),
    )
    return config, plugins_of(config)  # kept in this process: forked workers need not import them again


def previous_extra_paths(cache: BuildCache) -> set[str]:
    """The paths of the plugins' own files in the last committed build."""
    return set(json.loads(cache.meta(EXTRA_PAGES_META) or "[]"))


def record_extra_paths(cache: BuildCache, pages: list[Page]) -> None:
    """Remember this build's extra pages (nothing is written for a site that never had any)."""
    paths = sorted(page.path for page in pages)
    if paths or cache.meta(EXTRA_PAGES_META) is not None:
        cache.set_meta(EXTRA_PAGES_META, json.dumps(paths))
