"""The search indexes of a multilingual site: one per language tree, each with its language's stemmer,
under the tree's folder (``de/search/index/``), kept between builds and updated from the last one's."""

from __future__ import annotations

from collections.abc import Iterator

from site_builder.build.state.cache import BuildCache
from site_builder.build.state.search_trees import TreeSearchStore
from site_builder.config import SiteConfig
from site_builder.model.page import Page
from site_builder.model.site import Site
from site_builder.model.trees import tree_path
from site_builder.search.index import update_index
from site_builder.search.store import SearchStore


def tree_index_pages(
    cache: BuildCache, config: SiteConfig, sites: dict[str, Site], keep_pages: bool
) -> Iterator[Page]:
    """Update the index of every tree of *sites* now; the index files' pages, made as they are taken
    (*keep_pages*: keep them made, as a long-running process does)."""
    trees = config.trees
    assert trees is not None
    pages = []
    for tree, site in sites.items():
        prefix = trees.prefix(tree)
        store: SearchStore = (
            TreeSearchStore(cache, prefix) if prefix else cache
        )  # at the root: the cache's own
        index = update_index(store, site.searchable, None, keep_pages=keep_pages, language=tree)
        pages.append((prefix, index.iter_stored_pages() if keep_pages else index.take_stored_pages()))
    for prefix, made in pages:
        for page in made:
            yield Page(tree_path(page.path, prefix), page.kind, page.context)
