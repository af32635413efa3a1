"""The plan of one build: only the pages showing changed articles when nothing else changed, else the
whole site, with the recorded files carried over.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass

from site_builder.build.digests import THEME_ASSETS
from site_builder.build.extensions import previous_extra_paths
from site_builder.build.images import DerivedFiles
from site_builder.build.output.staging import scan_tree
from site_builder.build.state.cache import BuildCache
from site_builder.build.state.memory import BuildMemory
from site_builder.config import SiteConfig
from site_builder.model.authors import load_author_directory
from site_builder.model.page import Page
from site_builder.model.site import Site
from site_builder.plan.incremental import PlanState, plan_affected, structure_digest
from site_builder.plan.languages import iter_tree_pages, plan_affected_trees, related_in_trees, split_site
from site_builder.plan.pages import iter_pages
from site_builder.plan.related import related_articles
from site_builder.search.index import INDEX_DIR as SEARCH_INDEX_DIR
from site_builder.sources.markup import pygments_css


@dataclass
class Plan:
    """The pages to fingerprint (and render if changed), and the recorded files kept without planning."""

    pages: Iterable[Page]  # planned as they are taken, when the whole site is
    kept: dict[str, tuple[bytes, int]]
    state: PlanState
    previous: dict[str, tuple[bytes, int]]  # the last build's recorded files
    existing: dict[str, int] | None  # what output/ holds now: path -> size (None: as recorded)
    index: dict[str, int] | None = None  # output/'s tree index, if scanned (the commit reuses it)
    # Files the plan drops, when *kept* is the whole last record (an edit: re-planned pages overwrite
    # their records); None when *kept* holds only the files not planned and the rest is stale
    stale: list[str] | None = None
    spare: Future | None = None  # the spare tree's index (output.spare_index), if being scanned
    derived: DerivedFiles | None = None  # processed images to record (None: as the last build recorded)


def plan_site(
    config: SiteConfig,
    cache: BuildCache,
    site: Site,
    settings: str,
    memory: BuildMemory | None = None,
    structure: str | None = None,
    scanned: tuple[dict[str, int], dict[str, int]] | None = None,
    extra: list[Page] | None = None,
    whole: bool = False,
    sites: dict[str, Site] | None = None,
) -> Plan:
    """Plan only the pages showing changed articles when nothing else changed, else the whole site.

    The shortcut needs the last build's plan state with the same settings and site structure and an
    output/ holding exactly the files it recorded; the search index is always planned here in full.
    *structure*: the site's structure digest, if the caller knows it; *scanned*: :func:`scan_tree` of
    output/, if made since the build took its lock. *extra*: the plugins' own pages, always planned
    (they may show any article); the shortcut needs them on the paths the last build had (the sitemap
    lists them). *whole*: plan the whole site in any case (a plugin's ``on_site`` may make any page
    show any article). *sites*: a multilingual site's language trees (:func:`split_site`), if split.
    """
    extra = extra or []
    if config.trees is not None and sites is None:
        sites = split_site(site, config.trees, load_author_directory(config.site_dir))
    if memory is not None and site is memory.site and memory.plan is not None:
        structure = memory.plan.structure  # edited articles were swapped in only if structure-preserving
    elif structure is None:
        structure = structure_digest(site)
    tokens = {a.url: a.token for a in site.articles}
    if memory is not None:  # a long-running process: output/ is as its last build left it
        previous, recorded = memory.plan, memory.recorded
        cache.remember_related(previous.related)  # stored by that build
        existing, index = {path: size for path, (_, size) in recorded.items()}, None
    else:
        previous, recorded = cache.plan_state(), cache.page_fingerprints()
        existing, index = scanned if scanned is not None else scan_tree(config.output_dir)
    if (
        not whole
        and previous is not None
        and (previous.settings, previous.structure) == (settings, structure)
        and {page.path for page in extra} == previous_extra_paths(cache)
        and (memory is not None or existing == {path: size for path, (_, size) in recorded.items()})
    ):
        changed = {url for url, token in tokens.items() if previous.tokens.get(url) != token}
        if sites is not None:
            pages = plan_affected_trees(site, config, sites, changed, previous.related) + extra
        else:
            pages = plan_affected(site, config, changed, previous.related) + extra
        planned = {page.path for page in pages}
        if planned <= recorded.keys():
            kept = {
                path: value
                for path, value in recorded.items()
                if path not in planned and not path.startswith(SEARCH_INDEX_DIR)
            }
            state = PlanState(settings, structure, tokens, previous.related)
            return Plan(pages, kept, state, recorded, existing, index)
    pygments = Page(f"{THEME_ASSETS}/pygments.css", "text", {"text": pygments_css()})
    if sites is not None:
        in_trees = related_in_trees(sites)
        pages = itertools.chain(iter_tree_pages(site, config, sites, in_trees, extra), [pygments])
        related = {url: others for tree in in_trees.values() for url, others in tree.items()}
    else:
        related = related_articles(site)
        pages = itertools.chain(iter_pages(site, config, related, extra), [pygments])
    urls = {url: [a.url for a in others] for url, others in related.items()}
    return Plan(pages, {}, PlanState(settings, structure, tokens, urls), recorded, existing, index)
