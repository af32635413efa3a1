"""Rendering pages to bytes with Jinja2, and the fingerprints that decide whether a page must be.

Templates are looked up in the site's ``templates/`` first, then in the default theme shipped with the
package, so a site overrides any theme template by name. A page's fingerprint covers its template and
everything that template extends, includes or imports, the data it reads, the configuration and the
versions of this package and the renderer.
"""

from __future__ import annotations

import contextlib
import functools
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
from site_builder.errors import SiteError
from site_builder.plan.pages import Page
from site_builder.render import i18n
from site_builder.render.feeds import render_atom, render_sitemap
from site_builder.render.linking import link_people
from site_builder.sources.markup import renderer_version
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
        },
        url=lambda path="": prefix + str(path or "").lstrip("/"),
        abs_url=config.absolute_url,
        memo=i18n.MemoPerLanguage(FragmentMemo),
    )
    i18n.install(env, config)
    env.filters["date"] = format_date
    env.filters["isodate"] = lambda value: (value or "")[:10]
    return env


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in the cache folder: a one-edit build renders a few pages, and compiling
    their templates took as long as rendering them.

    Jinja keys each by the template's name and file and checks the checksum of its source; the folder
    is named after the versions of this package, Jinja and Python and the environment's options, and
    each file carries a SHA-256 of its bytes: a damaged file is compiled again.
    """

    def __init__(self, folder: Path) -> None:
        versions = f"{__version__}\0{jinja2.__version__}\0{sys.version}\0{sorted(_OPTIONS.items())}"
        self.folder = folder / hashlib.sha256(versions.encode()).hexdigest()[:16]

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = (self.folder / f"{bucket.key}.code").read_bytes()
        except OSError:
            return
        if hashlib.sha256(data[32:]).digest() == data[:32]:
            bucket.bytecode_from_string(data[32:])  # a stale source checksum leaves the bucket empty

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = bucket.bytecode_to_string()
        path = self.folder / f"{bucket.key}.code"
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(hashlib.sha256(code).digest() + code)
            os.replace(temporary, path)
        except OSError:  # a read-only cache folder: compiled again next time
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


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


KnownHashes = dict[str, tuple[list[str], str]]  # template -> (its closure, sorted; its hash)


def is_template_file(name: str) -> bool:
    """Any file a template may load by name (POSIX path relative to a templates folder), whatever its
    suffix (``{% include "byline.jinja" %}``); not hidden files, editor backups or Python files (the
    packaged theme's ``__init__.py`` and ``__pycache__``)."""
    parts = name.split("/")
    return not (any(p.startswith(".") or p == "__pycache__" for p in parts) or name.endswith(("~", ".py")))


class TemplateHasher:
    """Hashes of each template together with everything it pulls in, computed once per build.

    *known*: the closures and hashes of a build under the same settings (so with the same template
    files); a closure is reused when the hash of its members' sources is still the one recorded, which
    spares parsing the templates.
    """

    def __init__(self, env: jinja2.Environment, known: KnownHashes | None = None) -> None:
        self.env = env
        self._closure: dict[str, frozenset[str]] = {}
        self._hashes: dict[str, str] = {}
        self._known = known or {}

    def source(self, name: str) -> tuple[str, str | None]:
        try:
            source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            raise SiteError(f"template '{name}' not found in templates/ or the default theme") from None
        return source, filename

    def closure(self, name: str) -> frozenset[str]:
        """*name* and every template it extends, includes or imports, recursively."""
        if name not in self._closure:
            self._closure[name] = frozenset({name})  # guards against cycles
            try:
                source, filename = self.source(name)
                ast = self.env.parse(source, name, filename)
            except jinja2.TemplateSyntaxError as error:
                raise template_error(error) from None
            found = {name}
            for ref in jinja2.meta.find_referenced_templates(ast):
                if ref is None:  # a dynamic name: depend on every template
                    found |= set(self.env.list_templates(filter_func=is_template_file))
                else:
                    found |= self.closure(ref)
            self._closure[name] = frozenset(found)
        return self._closure[name]

    def hash(self, name: str) -> str:
        if name not in self._hashes:
            members, recorded = self._known.get(name, ([], ""))
            with contextlib.suppress(SiteError):  # a member gone: parsed again, which reports it
                if recorded and self._digest(members) == recorded:  # same sources: same closure
                    self._closure[name], self._hashes[name] = frozenset(members), recorded
                    return recorded
            self._hashes[name] = self._digest(sorted(self.closure(name)))
        return self._hashes[name]

    def _digest(self, members: list[str]) -> str:
        digest = hashlib.sha256()
        for member in members:
            digest.update(f"{member}\0{self.source(member)[0]}\0".encode())
        return digest.hexdigest()

    def known(self) -> KnownHashes:
        """The closures and hashes computed or confirmed so far, for :class:`TemplateHasher` *known*."""
        return {name: (sorted(self._closure[name]), value) for name, value in self._hashes.items()}


def build_salt(config: SiteConfig) -> str:
    """What every fingerprint shares: configuration and code versions."""
    return f"{__version__}\0{sys.version}\0{renderer_version()}\0{config.fingerprint}"


def fingerprint(page: Page, hasher: TemplateHasher, salt: str) -> bytes:
    return fingerprint_data(page, hasher, salt)[0]


def fingerprint_data(page: Page, hasher: TemplateHasher, salt: str) -> tuple[bytes, bytes | None]:
    """The page's fingerprint and its context serialised on the way (None for a ``stored`` page).

    Fingerprints are raw digests, not hex text: a build keeps one per output file (330,000 of them at
    100,000 articles), and bytes take half the memory."""
    if page.kind == "stored":  # its context is the hash of the very bytes it renders to
        return b"stored:" + _salted(salt).digest()[:8] + bytes.fromhex(page.context["sha256"]), None
    digest = _salted(salt).copy()
    digest.update(f"\0{page.kind}\0{page.path}\0".encode())
    if page.template:
        digest.update(hasher.hash(page.template).encode())
    # pickle is several times faster than JSON here; contexts are built in a fixed order and hold no
    # sets, so equal data gives equal bytes (the salt covers Python and package versions)
    data = pickle.dumps(page.context, protocol=5)
    digest.update(data)
    return digest.digest(), data


@functools.lru_cache(maxsize=4)
def _salted(salt: str) -> Any:
    """The hash state after the salt, copied for each page rather than hashing the salt again."""
    return hashlib.sha256(salt.encode())


def template_error(error: jinja2.TemplateError) -> SiteError:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return SiteError(
            f"template syntax error: {error.message}", error.filename or error.name, error.lineno
        )
    return SiteError(f"template error: {error}")


class PageRenderer:
    """Turns planned pages into bytes; *load_body* streams article bodies from the cache, *load_stored*
    the texts of ``stored`` pages (kept in the cache by the build, such as the search index files)."""

    def __init__(
        self,
        config: SiteConfig,
        load_body: Callable[[str], Any],
        load_stored: Callable[[str], str] | None = None,
        env: jinja2.Environment | None = None,
    ) -> None:
        self.config = config
        self.env = env or make_environment(config)
        self.load_body = load_body
        self.load_stored = load_stored

    def render(self, page: Page) -> bytes:
        if page.kind == "feed":
            return render_atom(page.context, self.config)
        if page.kind == "sitemap":
            return render_sitemap(page.context, self.config)
        if page.kind == "text":
            return page.context["text"].encode("utf-8")
        if page.kind == "stored":
            return self._stored(page)
        return self._render_template(page)

    def _stored(self, page: Page) -> bytes:
        """A page whose context is the SHA-256 of its text, the text being kept in the cache."""
        try:
            data = self.load_stored(page.path).encode("utf-8") if self.load_stored else None
        except KeyError:
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != page.context["sha256"]:
            raise SiteError(f"output/{page.path} is missing from the cache; delete .site-cache and rebuild")
        return data

    def _render_template(self, page: Page) -> bytes:
        context = dict(page.context)
        if page.body_key:
            body = self.load_body(page.body_key)
            people = page.context.get("article", {}).get("people", [])
            context["body"] = link_people(body.html, people, self.env.globals["url"])
            context["toc"] = body.toc_html
        try:
            template = self.env.get_template(page.template or "")
            return template.render(context).encode("utf-8")
        except jinja2.TemplateSyntaxError as error:
            raise template_error(error) from None
        except Exception as error:  # a template raising at render time: locate it in the template
            raise _render_error(error, page) from None


def _render_error(error: Exception, page: Page) -> SiteError:
    import traceback

    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".xml"))]
    where = f" (rendering /{page.url} from {page.source})" if page.source else f" (rendering /{page.url})"
    if frames:
        frame = frames[-1]
        return SiteError(f"{type(error).__name__}: {error}{where}", frame.filename, frame.lineno)
    return SiteError(f"{type(error).__name__}: {error}{where}", page.template)
