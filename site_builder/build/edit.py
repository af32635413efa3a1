"""The edit path: a long-running process rebuilds after edits of existing articles in time proportional
to the edits rather than to the archive.

It applies when every changed file is a known article whose edit keeps the site's structure (same URL,
dates, tags, people, roles, aliases; still published or still not). Everything the full path derives
from the whole archive is updated from the edits instead: the sources and their digest, the site model
(edited articles swapped in), the plan state's content tokens, the search index (only the edited
documents), the record of output/ (only the re-planned pages and the search files that changed) and
the build memory. Anything else returns None and the caller builds in full.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from site_builder.build.context import BuildContext
from site_builder.build.digests import inputs_digest, static_files
from site_builder.build.extensions import previous_extra_paths, record_extra_paths
from site_builder.build.images import (
    attach_images,
    derived_files,
    finish_images,
    load_image_index,
    with_images,
)
from site_builder.build.loading import BuildErrors, articles_trusted, load_articles
from site_builder.build.planning import Plan
from site_builder.build.rendering import CommitGuard, render_and_commit
from site_builder.build.report import BuildReport
from site_builder.build.state.memory import BuildMemory
from site_builder.model.article import Article
from site_builder.model.page import Page
from site_builder.model.site import next_scheduled_change, substitute
from site_builder.plan.incremental import PlanState, plan_affected
from site_builder.search.index import update_index
from site_builder.sources.files import Source, changed_sources

SWAP_LIMIT = 64  # edited articles swapped into the remembered site model; more: group afresh

Edit = tuple[Source, Source]  # a content file as last built, and as it is now


class EditRefused(BuildErrors):
    """Edited files that do not parse, reported before the build changed anything it remembers (the
    dev server keeps its memory, so the save that fixes them is rebuilt from the edit alone)."""


def build_edits(
    context: BuildContext, changed: list[Path], progress: bool, guard: CommitGuard | None
) -> BuildReport | None:
    """Rebuild after the watcher saw *changed* files, if they are structure-keeping edits; else None."""
    memory = context.memory
    if context.config.trees is not None:  # a multilingual site: the full path, which plans only the
        return None  # pages of the edited articles' trees while the structure is kept (plan_site)
    if not articles_trusted(context.config, context.cache):
        return None  # parsed by other on_article plugins: every article is parsed again
    found = _edited_sources(context, changed)
    if found is None:
        return None
    sources, edits = found
    statics = static_files(context.config)
    base_digest = inputs_digest(context.settings, sources, statics)
    images = memory.images or load_image_index(context.config)  # no image changed: the watcher says so
    if not edits:
        return context.unchanged(with_images(base_digest, images.recorded_digest()))
    try:
        articles = load_articles(context.config, context.cache, [new for _, new in edits], 1, memory.articles)
    except BuildErrors as error:  # nothing was changed yet: the memory stays good for the fix
        raise EditRefused(error.errors) from None
    shown = [a for a in articles if context.is_published(a)]
    articles = attach_images(context.config, articles, shown, images, None, complete=False)
    found_plan = _plan_edits(context, edits, articles)
    if found_plan is None:
        return None
    plan, extra = found_plan
    if not _same_images([memory.articles.get(old.key) for old, _ in edits], articles):
        assert memory.site is not None  # the edited articles are swapped in by now
        plan.derived = derived_files(memory.site.articles, context.config.cache_dir)
    report, recorded = render_and_commit(context, plan, statics, progress, guard)
    record_extra_paths(context.cache, extra)
    finish_images(context.config, images, complete=False)
    digest = with_images(base_digest, images.recorded_digest())
    _remember_edits(context, edits, articles, sources, plan.state, recorded, digest)
    memory.images = images
    report.articles, report.scheduled = len(memory.published), context.scheduled(memory.articles.values())
    return report


def _same_images(before: list[Article | None], after: list[Article]) -> bool:
    """Do the edited articles show the processed images they showed (then the derivatives recorded by
    the last build are this one's too)?"""
    if any(article is None for article in before):
        return False
    return _shown(before) == _shown(after)


def _shown(articles: list) -> set:
    return {p.rendition for a in articles for p in a.pictures if p.rendition is not None}


def _edited_sources(context: BuildContext, changed: list[Path]) -> tuple[list[Source], list[Edit]] | None:
    """Every content file with the *changed* ones read again, and those whose bytes differ; None when
    a change is not simply an edit of a known file (or too many, or a scheduled article is due)."""
    memory = context.memory
    names = changed_sources(context.config, changed)
    positions = memory.positions
    if not names or len(names) > SWAP_LIMIT or not names <= positions.keys() or memory.plan is None:
        return None
    if memory.next_change and context.now >= dt.datetime.fromisoformat(memory.next_change):
        return None
    sources, edits = list(memory.sources), []
    for name in sorted(names):
        source = context.read_source(name)
        if source is None:
            return None  # removed: the structure changes
        if source.key != sources[positions[name]].key:
            edits.append((sources[positions[name]], source))
            sources[positions[name]] = source
    return sources, edits


def _plan_edits(
    context: BuildContext, edits: list[Edit], articles: list[Article]
) -> tuple[Plan, list[Page]] | None:
    """The edited articles swapped into the remembered site and the pages showing them planned, with
    the search files they change and the plugins' own pages (also returned); None when an edit
    changes the structure after all, or the plugins' pages are not on the paths they were."""
    memory, cache = context.memory, context.cache
    pairs = []
    for (old, _), article in zip(edits, articles, strict=True):
        before = memory.published.get(old.source)
        if (before is not None) != context.is_published(article):
            return None  # published or withdrawn: the structure changes
        if before is not None:
            pairs.append((before, article))
    site, state = memory.site, memory.plan
    assert site is not None and state is not None
    index = context.site_index(site)
    swapped = substitute(site, pairs, memory.directory, index.positions)
    if swapped is None:
        return None  # memory.site is untouched: the general path groups afresh
    tokens, urls = dict(state.tokens), set()
    for article in swapped:
        if tokens.get(article.url) != article.token:
            tokens[article.url] = article.token
            urls.add(article.url)
    pages = plan_affected(site, context.config, urls, state.related, index)
    plugins = context.plugins
    extra = plugins.extra_pages(site, context.config) if plugins else []
    if {page.path for page in extra} != previous_extra_paths(cache):
        return None  # the sitemap lists them: plan the whole site
    pages += extra
    if not {page.path for page in pages} <= memory.recorded.keys():
        return None
    cache.remember_related(state.related)
    search = update_index(
        cache, site.searchable, memory.search, edited=swapped, language=context.config.language
    )
    memory.search = search  # the index object itself was updated in place
    search_pages, search_gone = search.touched_pages()
    plan = Plan(
        itertools.chain(pages, search_pages),
        memory.recorded,
        PlanState(context.settings, state.structure, tokens, state.related),
        memory.recorded,
        None,
        stale=search_gone,
    )
    return plan, extra


def _remember_edits(
    context: BuildContext,
    edits: list[Edit],
    articles: list[Article],
    sources: list[Source],
    state: PlanState,
    recorded: dict[str, tuple[bytes, int]],
    digest: str,
) -> None:
    """Record the committed edits in the cache and the memory (see BuildMemory.remember)."""
    memory, cache = context.memory, context.cache
    gone = {old.key for old, _ in edits} - {new.key for _, new in edits}
    cache.prune_articles(set(), gone)
    cache.set_meta("inputs", digest)
    cache.set_meta("articles", str(len(memory.published)))
    olds = [memory.articles.pop(old.key, None) for old, _ in edits]
    for (old, new), article in zip(edits, articles, strict=True):
        memory.articles[new.key] = article
        if old.source in memory.published:
            memory.published[old.source] = article
    next_change = _next_change_after_edits(memory, olds, articles, context.now, context.future)
    cache.set_meta("next_change", next_change)
    assert memory.site is not None
    memory.remember(
        settings=context.settings,
        sources=sources,
        articles=memory.articles,
        published=memory.published,
        site=memory.site,
        directory=memory.directory,
        plan=state,
        recorded=recorded,
        inputs=digest,
        next_change=next_change,
        generation=cache.generation,
        search=memory.search,
        same_order=True,
    )


def _next_change_after_edits(
    memory: BuildMemory, before: list[Article | None], after: list[Article], now: dt.datetime, future: bool
) -> str:
    """:func:`next_scheduled_change` of the remembered articles (already updated) after edits of
    *before* into *after*, from the remembered value: the whole archive is looked at only if an edit
    moved it."""
    current = dt.datetime.fromisoformat(memory.next_change) if memory.next_change else None
    if current is not None and any(a is None or a.date == current for a in before):
        return next_scheduled_change(list(memory.articles.values()), now, future)
    pending = [d for d in [current, *(a.date for a in after)] if d is not None and d > now and not future]
    return min(pending).isoformat() if pending else ""
