"""Loading articles: from memory, the cache or parsed by the workers; every broken file reported at once."""

from __future__ import annotations

from site_builder.build.progress import SILENT, BuildProgress
from site_builder.build.state.cache import BuildCache
from site_builder.build.workers import (
    ParseTask,
    Workers,
    parse_all,
)
from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.model.article import Article, ArticleBody, share_values
from site_builder.process import collector_paused
from site_builder.sources.files import Source, content_file_key, read_content
from site_builder.sources.markup import renderer_version

STORE_BATCH = 500  # parsed articles written to the cache at a time
# The digest of the on_article plugins every article in the cache was parsed with ("" for none): an
# article is cached by its file's key, which the plugins are not part of (the body, also cached under
# it, does not depend on them, and pages show it by that key), so other plugins mean parsing again
ARTICLE_CODE_META = "article_code"
_CHANGING = "?"  # articles of another digest being stored: none of the cache's articles can be trusted


class BuildErrors(SiteError):
    """Several content files are broken; all of them are reported, not only the first."""

    def __init__(self, errors: list[SiteError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def load_articles(
    config: SiteConfig,
    cache: BuildCache,
    sources: list[Source],
    jobs: int,
    known: dict[str, Article] | None = None,
    workers: Workers | None = None,
    progress: BuildProgress = SILENT,
) -> list[Article]:
    """Every article of the site, taken from *known* or the cache by content key, or parsed (*progress*
    ends the read phase and counts the parse)."""
    known = known or {}
    code = config.article_code_digest
    trusted = articles_trusted(config, cache)
    if not trusted:  # made by other on_article plugins: all parsed again, then the cache marked as ours
        known = {}
        cache.set_meta(ARTICLE_CODE_META, _CHANGING)
    cached = {item.key: known[item.key] for item in sources if item.key in known}
    if trusted:
        with collector_paused():
            cached.update(cache.articles([item.key for item in sources if item.key not in cached]))
    missing = [item for item in sources if item.key not in cached]
    progress.finish(f"{len(sources):,} content files, {len(missing):,} to parse")
    progress.start("parse", "articles", len(missing))
    version = renderer_version()
    tasks = (_parse_task(item, config, version) for item in missing)
    errors: list[SiteError] = []
    parsed: dict[str, Article] = {}
    batch: list[tuple[Article, ArticleBody, tuple[str, str]]] = []
    for result in parse_all(tasks, config, jobs, len(missing), workers):  # streamed: bodies go to the cache
        if isinstance(result, SiteError):
            if all(str(error) != str(result) for error in errors[-1:]):  # (one setting wrong for every file)
                errors.append(result)
            continue
        parsed[result[0].source] = result[0]
        progress.step()
        batch.append(result)
        if len(batch) >= STORE_BATCH:
            cache.store_articles(batch)
            batch = []
    if batch:
        cache.store_articles(batch)
    if errors:
        raise BuildErrors(errors)
    if missing:
        progress.finish(f"{len(parsed):,} articles")
    if not trusted:  # (*sources* are every content file here: the edit path needs a trusted cache)
        cache.prune_articles({item.key for item in sources})
        cache.set_meta(ARTICLE_CODE_META, code)
    loaded = [cached.get(item.key) or parsed[item.source] for item in sources]
    return share_values(loaded, known)


def articles_trusted(config: SiteConfig, cache: BuildCache) -> bool:
    """The cache's parsed articles were made by this build's on_article plugins."""
    return (cache.meta(ARTICLE_CODE_META) or "") == config.article_code_digest


def _parse_task(item: Source, config: SiteConfig, version: str) -> ParseTask:
    """The file as read now, keyed by these bytes: a file saved again since *item* was keyed is parsed
    and cached under its new key (this build shows the newer text; the next one sees the key change),
    never stored under the old key, where a later return to the old text would find the wrong article."""
    data = read_content(item.path)
    return ParseTask(item.source, content_file_key(item.source, data, config, version), data)
