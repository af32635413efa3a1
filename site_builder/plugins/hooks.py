"""A site's plugins, loaded, and their hooks called in the order site.toml lists them.

Every hook call goes through :meth:`Plugins._call`: whatever a plugin raises becomes a SiteError naming
the plugin, the hook, the file being processed and the plugin's own line (a SiteError the plugin raised
keeps its file and line), and every value a hook returns is checked before the build uses it.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.model.article import Article
from site_builder.model.page import Page
from site_builder.model.site import Site
from site_builder.plugins.finding import PluginSource, failing_line, import_plugin

HOOKS = (
    "on_config",
    "on_article",
    "on_site",
    "on_page_context",
    "jinja_filters",
    "jinja_globals",
    "extra_pages",
    "on_post_build",
)
# what on_config may not change: where the site is, and which plugins run
_FIXED_SETTINGS = (
    "site_dir", "content_dir", "output_dir", "templates_dir", "static_dir", "cache_dir", "plugins",
    "code_digest", "article_code_digest", "markdown_code_digest",
)  # fmt: skip


@dataclass(frozen=True)
class Plugin:
    """One loaded plugin: its name, the module (or object) holding its hooks, and its code's digest."""

    name: str
    hooks: Any
    source: PluginSource
    code: str

    def hook(self, name: str) -> Callable[..., Any] | None:
        found = getattr(self.hooks, name, None)
        return found if callable(found) else None

    def settings(self, config: SiteConfig) -> dict[str, Any]:
        """Its table in site.toml, ``[plugin_configs.<name>]`` (empty if none)."""
        return config.plugin_configs.get(self.name, {})

    def digest(self, config: SiteConfig) -> str:
        """Its code and settings: what its hooks' results depend on besides their arguments."""
        settings = json.dumps(self.settings(config), sort_keys=True, default=str)
        return hashlib.sha256(f"{self.name}\0{self.code}\0{settings}".encode()).hexdigest()


class Plugins:
    """The plugins of one site in the order listed; empty for a site without plugins."""

    def __init__(self, plugins: tuple[Plugin, ...] = ()) -> None:
        self.plugins = plugins

    def __bool__(self) -> bool:
        return bool(self.plugins)

    def using(self, hook: str) -> Iterator[tuple[Plugin, Callable[..., Any]]]:
        for plugin in self.plugins:
            function = plugin.hook(hook)
            if function is not None:
                yield plugin, function

    def has(self, hook: str) -> bool:
        return next(self.using(hook), None) is not None

    # digests: where each plugin's code and settings enter the fingerprints --------------------------
    def digest(self, config: SiteConfig, *hooks: str) -> str:
        """One digest of the plugins defining any of *hooks* (all plugins when none given), in order;
        empty when there are none, so a site without plugins hashes as it always did."""
        chosen = [p for p in self.plugins if not hooks or any(p.hook(h) for h in hooks)]
        if not chosen:
            return ""
        return hashlib.sha256("\0".join(p.digest(config) for p in chosen).encode()).hexdigest()

    def template_prints(self, config: SiteConfig) -> dict[str, str]:
        """Filter and global name -> digest of the plugin providing it (the last one listed wins, as in
        the environment): a template using the name is rendered again when that plugin changes."""
        prints: dict[str, str] = {}
        for hook in ("jinja_filters", "jinja_globals"):
            for plugin, names in self._named(hook):
                prints.update(dict.fromkeys(names, plugin.digest(config)))
        return prints

    # the hooks ----------------------------------------------------------------------------------------
    def configure(self, config: SiteConfig) -> SiteConfig:
        """``on_config`` of each plugin in turn, on the validated settings."""
        where = config.site_dir / "site.toml"
        for plugin, hook in self.using("on_config"):
            result = self._call(plugin, "on_config", where, hook, config)
            if not isinstance(result, SiteConfig):
                raise _returned(plugin, "on_config", result, "the configuration", where)
            for name in _FIXED_SETTINGS:
                if getattr(result, name) != getattr(config, name):
                    raise SiteError(f"plugin '{plugin.name}': on_config may not change '{name}'", where)
            _picklable(plugin, "on_config", "a configuration", result, where)
            config = result
        return config

    def article(self, article: Article, config: SiteConfig, where: str) -> Article:
        """``on_article`` of each plugin in turn; *where*: the content file, as shown in messages."""
        for plugin, hook in self.using("on_article"):
            result = self._call(plugin, "on_article", where, hook, article, config)
            if result is article:
                continue
            if not isinstance(result, Article):
                raise _returned(plugin, "on_article", result, "an article", where)
            if (result.source, result.key) != (article.source, article.key):
                raise SiteError(f"plugin '{plugin.name}': on_article may not change 'source' or 'key'", where)
            _picklable(plugin, "on_article", "an article", result, where)
            article = result
        return article

    def site(self, site: Site, config: SiteConfig) -> Site:
        for plugin, hook in self.using("on_site"):
            result = self._call(plugin, "on_site", plugin.source.origin, hook, site, config)
            if not isinstance(result, Site):
                raise _returned(plugin, "on_site", result, "the site", plugin.source.origin)
            site = result
        return site

    def page_context(self, page: Page, context: dict[str, Any], config: SiteConfig) -> dict[str, Any]:
        """``on_page_context`` of each plugin in turn, on the context a template page renders with."""
        where = f"output/{page.path}"
        for plugin, hook in self.using("on_page_context"):
            result = self._call(plugin, "on_page_context", where, hook, page, context, config)
            if not isinstance(result, dict):
                raise _returned(plugin, "on_page_context", result, "a dict", where)
            context = result
        return context

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {name: value for _, named in self._named("jinja_filters") for name, value in named.items()}

    def globals(self) -> dict[str, Any]:
        return {name: value for _, named in self._named("jinja_globals") for name, value in named.items()}

    def extra_pages(self, site: Site, config: SiteConfig) -> list[Page]:
        """Every plugin's own files, as planned pages (see :func:`extra_page`)."""
        pages: list[Page] = []
        for plugin, hook in self.using("extra_pages"):
            where = plugin.source.origin
            items = self._call(plugin, "extra_pages", where, _listed(hook), site, config)
            pages += [extra_page(plugin, item) for item in items]
        return pages

    def post_build(self, report: Any, config: SiteConfig) -> None:
        for plugin, hook in self.using("on_post_build"):
            self._call(plugin, "on_post_build", config.output_dir, hook, report, config)

    def _named(self, hook: str) -> Iterator[tuple[Plugin, dict[str, Any]]]:
        for plugin, function in self.using(hook):
            named = self._call(plugin, hook, plugin.source.origin, function)
            if not isinstance(named, dict) or not all(isinstance(k, str) and k.isidentifier() for k in named):
                raise _returned(plugin, hook, named, "a dict of names", plugin.source.origin)
            yield plugin, named

    @staticmethod
    def _call(plugin: Plugin, hook: str, where: str | Path, function: Callable[..., Any], *args: Any) -> Any:
        try:
            return function(*args)
        except SiteError as error:  # the plugin located the problem itself: keep its file and line
            raise SiteError(
                f"plugin '{plugin.name}': {error.message}", error.path or where, error.line, error.field
            ) from error
        except Exception as error:  # noqa: BLE001 - any failure of trusted code, located
            path, line = failing_line(error, plugin.source)
            at = f" (at {path}:{line})" if path else ""
            raise SiteError(
                f"plugin '{plugin.name}' failed in {hook}: {type(error).__name__}: {error}{at}", where
            ) from error


def _listed(hook: Callable[..., Any]) -> Callable[..., list[Any]]:
    """*hook*, its items taken at once (a generator's failure is then the hook's, located like one)."""
    return lambda *args: list(hook(*args))


def extra_page(plugin: Plugin, item: Any) -> Page:
    """One ``(path, template or bytes, data)`` of ``extra_pages`` as a page: bytes are written as they
    are; a template renders with *data* (a dict) as its context, plus ``kind`` ("plugin") and
    ``page_url`` unless *data* gives them. A path ending in ``/`` gets ``index.html``."""
    where = plugin.source.origin
    if not (isinstance(item, (tuple, list)) and len(item) == 3):
        raise _returned(plugin, "extra_pages", item, "(path, template or bytes, data) items", where)
    path, content, data = item
    path = output_path(plugin, path)
    owner = f"plugin '{plugin.name}'"
    if isinstance(content, (bytes, bytearray)):
        page = Page(path, "bytes", {"bytes": bytes(content)}, source=owner)
    elif isinstance(content, str) and content:
        if data is not None and not isinstance(data, dict):
            raise _returned(plugin, "extra_pages", data, f"a dict of data for {path}", where)
        context = {"kind": "plugin", "page_url": path.removesuffix("index.html"), **(data or {})}
        page = Page(path, "html", context, content, source=owner)
    else:
        raise _returned(plugin, "extra_pages", content, f"a template name or bytes for {path}", where)
    _picklable(plugin, "extra_pages", f"data for {path}", page.context, where)
    return page


def output_path(plugin: Plugin, path: Any) -> str:
    """A path in output/ (``data/x.json``, ``about/``): relative, clean, never outside output/."""
    if not isinstance(path, str):
        raise _returned(plugin, "extra_pages", path, "a path such as 'data/x.json'", plugin.source.origin)
    clean = path.lstrip("/")
    if not clean or clean.endswith("/"):
        clean += "index.html"
    parts = clean.split("/")
    if any(p in {"", ".", ".."} for p in parts) or any(c in clean for c in "\\?#") or not clean.isprintable():
        raise SiteError(
            f"plugin '{plugin.name}': extra_pages gave {path!r}; expected a path inside output/ "
            "such as 'data/articles.json' or 'about/'",
            plugin.source.origin,
        )
    return clean


def _returned(plugin: Plugin, hook: str, value: Any, expected: str, where: str | Path) -> SiteError:
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return SiteError(f"plugin '{plugin.name}': {hook} returned {shown}, expected {expected}", where)


def _picklable(plugin: Plugin, hook: str, what: str, value: Any, where: str | Path) -> None:
    """Values go to the worker processes and the cache pickled: a lambda or an open file cannot."""
    try:
        pickle.dumps(value, protocol=5)
    except Exception as error:  # noqa: BLE001 - pickling fails with many exception types
        raise SiteError(
            f"plugin '{plugin.name}': {hook} returned {what} that cannot be pickled "
            f"(sent to worker processes and cached): {error}",
            where,
        ) from None


def load(config: SiteConfig) -> Plugins:
    """The plugins *config* lists, imported in this process (again if their code changed)."""
    loaded = []
    for name in config.plugins:
        source, code, hooks = import_plugin(name, config.site_dir)
        loaded.append(Plugin(name, hooks, source, code))
    return Plugins(tuple(loaded))
