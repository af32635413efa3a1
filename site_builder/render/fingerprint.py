"""Page fingerprints: a hash of everything a page's bytes depend on (its data, the templates it uses
and the build's settings), so an unchanged page is not even rendered.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
import sys
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.meta
import jinja2.nodes
import jinja2.runtime

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.model.page import Page
from site_builder.render.renderer import template_error
from site_builder.sources.markup import renderer_version
from site_builder.version import __version__

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

    With plugins, a template's hash also covers the code of the plugins whose filters or globals its
    closure uses by name, and of those changing every page's context (``on_page_context``): editing a
    plugin renders again the pages it can change, not the others.
    """

    def __init__(self, env: jinja2.Environment, known: KnownHashes | None = None) -> None:
        self.env = env
        self._closure: dict[str, frozenset[str]] = {}
        self._hashes: dict[str, str] = {}
        self._known = known or {}
        self._plugin_prints: dict[str, str] = getattr(env, "plugin_prints", {})
        self._every_page: str = getattr(env, "every_page_print", "")
        self._with_plugins: dict[str, str] = {}
        self._names: dict[str, frozenset[str]] = {}

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
        """The hash of *name*'s closure, and of the plugins it can see (see the class)."""
        if not self._plugin_prints and not self._every_page:
            return self._template_hash(name)
        found = self._with_plugins.get(name)
        if found is None:
            used = set().union(*(self._names_used(member) for member in sorted(self.closure(name))))
            prints = sorted({self._plugin_prints[n] for n in used if n in self._plugin_prints})
            parts = [self._template_hash(name), self._every_page, *prints]
            found = self._with_plugins[name] = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        return found

    def _names_used(self, name: str) -> frozenset[str]:
        """The filters and variables *name*'s own source uses by name (plugins' ones among them)."""
        if name not in self._names:
            source, filename = self.source(name)
            try:
                ast = self.env.parse(source, name, filename)
            except jinja2.TemplateSyntaxError as error:
                raise template_error(error) from None
            filters = {node.name for node in ast.find_all(jinja2.nodes.Filter)}
            variables = {node.name for node in ast.find_all(jinja2.nodes.Name)}
            self._names[name] = frozenset(filters | variables)
        return self._names[name]

    def _template_hash(self, name: str) -> str:
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
