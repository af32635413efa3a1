"""Rendering pages to bytes with Jinja2, and the fingerprints that decide whether a page must be.

Templates are looked up in the site's ``templates/`` first, then in the default theme shipped with the
package, so a site overrides any theme template by name. A page's fingerprint covers its template and
everything that template extends, includes or imports, the data it reads, the configuration and the
versions of this package and the renderer.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.resources
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from types import BuiltinFunctionType, FunctionType
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.meta
import jinja2.runtime

from site_builder.config import SiteConfig
from site_builder.integrity import seal, unseal
from site_builder.plugins import plugins_of
from site_builder.render import i18n, trees
from site_builder.render.chrome import chrome_globals
from site_builder.render.quotes import quotes_outside
from site_builder.version import __version__


def theme_dir() -> Path:
    return Path(str(importlib.resources.files("site_builder.theme")))


_DICT_ATTRIBUTES = frozenset(dir(dict))


class Context(jinja2.runtime.Context):
    """Jinja's context, calling plain functions (``url(...)``, ``list.append``) without its checks.

    Jinja looks for ``pass_context`` and friends on every call; a function without that marker
    gets the same call it would have got.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __traceback_hide__ = True  # noqa: F841 (as in Jinja: left out of template tracebacks)
        kind = type(__obj)
        if kind is BuiltinFunctionType or (kind is FunctionType and "jinja_pass_arg" not in __obj.__dict__):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


class Environment(jinja2.Environment):
    """Jinja's environment, looking up ``item.title`` in a page context's dicts directly.

    Jinja tries ``getattr(item, "title")`` first and the key after the AttributeError; a dict has no
    attribute but its methods, so for any other name the result is the same, without the exception
    (a million lookups in a large build).
    """

    context_class = Context
    # what the site's plugins bring to templates, for the template hashes (see render.fingerprint):
    # filter and global name -> digest of the plugin providing it; digest of the on_page_context ones
    plugin_prints: dict[str, str] = {}  # (replaced by make_environment, never changed in place)
    every_page_print = ""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and type(attribute) is str and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


_OPTIONS = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


def make_environment(config: SiteConfig) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(str(config.templates_dir)), jinja2.FileSystemLoader(str(theme_dir()))]
    )
    env = Environment(
        loader=loader, bytecode_cache=CompiledTemplates(config.cache_dir / "templates"), **_OPTIONS
    )
    prefix = config.path_prefix
    env.globals.update(
        site={
            "title": config.title,
            "description": config.description,
            "base_url": config.base_url,
            "language": config.language,
            "author": config.author,
            "extra": config.extra,
            **chrome_globals(config),
        },
        url=lambda path="": prefix + str(path or "").lstrip("/"),
        abs_url=config.absolute_url,
        memo=i18n.MemoPerLanguage(FragmentMemo),
        quotes_outside=quotes_outside,
    )
    i18n.install(env, config)
    if config.trees is not None:  # a multilingual site: links within the page's language tree
        trees.install(env, config, lambda: i18n.MemoPerLanguage(FragmentMemo))
    env.filters["date"] = format_date
    env.filters["isodate"] = lambda value: (value or "")[:10]
    plugins = plugins_of(config)
    if plugins:  # theirs after ours: a plugin may replace a filter or global of the theme's
        env.filters.update(plugins.filters())
        env.globals.update(plugins.globals())
        env.plugin_prints = plugins.template_prints(config)
        env.every_page_print = plugins.digest(config, "on_page_context")
    return env


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in the cache folder: a one-edit build renders a few pages, and compiling
    their templates took as long as rendering them.

    Jinja keys each by the template's name and file and checks the checksum of its source; the folder
    is named after the versions of this package, Jinja and Python and the environment's options, and
    each file carries an HMAC of its bytes under this machine's key (:mod:`site_builder.integrity`):
    compiled code is run when loaded, so a damaged or foreign file is compiled again, never loaded.
    """

    def __init__(self, folder: Path) -> None:
        versions = f"{__version__}\0{jinja2.__version__}\0{sys.version}\0{sorted(_OPTIONS.items())}"
        self.folder = folder / hashlib.sha256(versions.encode()).hexdigest()[:16]

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = (self.folder / f"{bucket.key}.code").read_bytes()
        except OSError:
            return
        code = unseal(data, _template_context(bucket.key))
        if code is not None:
            bucket.bytecode_from_string(bytes(code))  # a stale source checksum leaves the bucket empty

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = bucket.bytecode_to_string()
        path = self.folder / f"{bucket.key}.code"
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(seal(code, _template_context(bucket.key)))
            os.replace(temporary, path)
        except OSError:  # a read-only cache folder: compiled again next time
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def _template_context(key: str) -> bytes:
    return b"template:" + key.encode()


class FragmentMemo:
    """``memo(macro, *args)`` in a template: what ``macro(*args)`` returns, rendered once per process.

    For macros whose output depends only on their arguments and the environment's globals, such as an
    article's teaser, shown in a dozen listings. Arguments are keyed by their pickle, which tells
    ``1`` from ``True`` and text from Markup; arguments that cannot be pickled are not memoised.
    """

    def __init__(self, limit: int = 10_000) -> None:
        # bounds memory on huge archives (a teaser is about 1 kB with its key, and each worker has its
        # own memo); listings show neighbours in time, so the recent fragments are the ones reused
        self.limit = limit
        self._fragments: dict[tuple[Any, bytes], Any] = {}

    def __call__(self, macro: Callable[..., Any], *args: Any) -> Any:
        try:
            key = (macro, pickle.dumps(args, protocol=5))
        except Exception:
            return macro(*args)
        fragment = self._fragments.get(key)
        if fragment is None:
            fragment = macro(*args)
            if len(self._fragments) >= self.limit:
                self._fragments.clear()
            self._fragments[key] = fragment
        return fragment


def format_date(value: str | None, style: str = "long") -> str:
    """Format an ISO timestamp from a page context for readers of the page's language ("13 April 2017")."""
    return i18n.format_date(value, style, i18n.page_language())
