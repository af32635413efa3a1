"""Plugins: Python modules listed in site.toml (``plugins = [...]``) whose hooks run at the pipeline's
boundaries.

A plugin is found by name (see :mod:`site_builder.plugins.finding`) and may define any of the hooks in
:data:`HOOKS`; the build calls them where the work happens: ``on_config`` and ``on_site``,
``extra_pages`` and ``on_post_build`` in the building process, ``on_article`` where files are parsed
and ``on_page_context``, ``jinja_filters`` and ``jinja_globals`` where pages render (the worker
processes load the plugins by name). Each plugin's code and settings are hashed into the fingerprints
of what its hooks can change (see :class:`Plugins`), so editing a plugin rebuilds what it affects and
nothing else. ``site_builder.plugins.examples`` holds the two plugins shipped as examples.
"""

from __future__ import annotations

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.plugins.hooks import HOOKS, Plugin, Plugins, load

__all__ = ["HOOKS", "Plugin", "Plugins", "load", "plugins_of"]

NO_PLUGINS = Plugins()
_prepared: dict[tuple[str, tuple[str, ...], str], Plugins] = {}  # a build's plugins, in this process


def plugins_of(config: SiteConfig) -> Plugins:
    """The plugins of *config*, imported in this process. For the configuration a build prepared
    (``config.code_digest`` set), they are imported once and checked to be the code the build hashed:
    a plugin edited while a build runs is an error, not a page made by other code than its fingerprint
    says."""
    if not config.plugins:
        return NO_PLUGINS
    key = (str(config.site_dir), config.plugins, config.code_digest)
    found = _prepared.get(key)
    if found is not None:
        return found
    plugins = load(config)
    if not config.code_digest:
        return plugins
    if plugins.digest(config) != config.code_digest:
        raise SiteError(
            "a plugin changed while the site was being built; build again",
            config.site_dir / "site.toml",
            field="plugins",
        )
    if len(_prepared) >= 8:  # a long-running process sees a new digest at every edit of a plugin
        _prepared.clear()
    _prepared[key] = plugins
    return plugins
