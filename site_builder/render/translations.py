"""The theme's words in the reader's language: gettext catalogs, the theme's and the site's own.

The default theme's strings are marked in its templates (``{% trans %}``, ``_()``, ``pgettext()``) and
extracted with ``pybabel extract -F babel.cfg`` into ``locales/messages.pot`` in this package; each
language's catalog is ``locales/<lang>/LC_MESSAGES/messages.po``. A site adds or overrides strings with
its own catalogs in the same layout beside ``site.toml``; a string the site's catalog leaves out comes
from the theme's, and one no catalog translates stays in English (the language the theme is written in).

Catalogs are read as ``.po`` text, compiled in memory with Babel when a page first needs them: nothing
to compile by hand, no binary ``.mo`` file that can fall behind its ``.po``, and a site's catalog is
edited and rebuilt like any other source. A catalog that does not parse, or whose translation drops or
renames a placeholder such as ``%(name)s``, is an error naming the file and line.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import babel
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from site_builder.config import SiteConfig
from site_builder.errors import SiteError
from site_builder.model.language import base_language

THEME_LOCALES = Path(__file__).resolve().parent / "locales"
SITE_LOCALES = "locales"  # beside site.toml
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"


def catalog_files(config: SiteConfig) -> list[Path]:
    """Every catalog a build may read (the theme's and the site's ``.po`` files), in a stable order:
    what the settings digest and the templates' hashes cover."""
    return [path for root in _roots(config) for path in sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))]


def _roots(config: SiteConfig) -> list[Path]:
    return [config.site_dir / SITE_LOCALES, THEME_LOCALES]  # the site's first: its strings win


def catalogs_digest(config: SiteConfig) -> str:
    """A hash of every catalog's bytes and of Babel's version (its plural rules and date data)."""
    digest = hashlib.sha256(f"babel {babel.__version__}".encode())
    for path in catalog_files(config):
        digest.update(f"\0{path}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def _folder_names(tag: str) -> Iterator[str]:
    """The folders a language's catalog may be in, most specific first: de-AT, de_AT, de."""
    yield tag
    yield tag.replace("-", "_")
    yield base_language(tag)


@functools.lru_cache(maxsize=64)
def _compiled(path: Path, stamp: tuple[int, int]) -> tuple[bytes, int]:
    """One .po file compiled to .mo bytes, and how many messages it translates (*stamp*, the file's
    mtime and size, keys the cache to its content)."""
    try:
        data = path.read_bytes()
        _check_quoting(data.decode("utf-8"), path)
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as error:  # its line numbers count from 0
        line = error.lineno + 1 if isinstance(error.lineno, int) else None
        raise SiteError(f"invalid gettext catalog: {error.args[0]}", path, line) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SiteError(f"cannot read gettext catalog: {error}", path) from None
    _check(catalog, path)
    data = io.BytesIO()
    write_mo(data, catalog)  # fuzzy and untranslated entries are left out: they fall back
    translated = sum(1 for m in catalog if m.id and not m.fuzzy and any(_strings(m.string)))
    return data.getvalue(), translated


_PO_LINE = re.compile(r'\s*(#.*)?|(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)?\s*"([^"\\]|\\.)*"\s*')


def _check_quoting(text: str, path: Path) -> None:
    """Every line a comment, blank, or a keyword and one quoted string: Babel's reader quietly drops the
    last character of a string missing its closing quote."""
    for number, line in enumerate(text.splitlines(), 1):
        if not _PO_LINE.fullmatch(line):
            raise SiteError(f"expected a keyword and a quoted string, got {line.strip()!r}", path, number)


def _strings(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return tuple(value or ()) if isinstance(value, tuple) else ((value,) if value else ())


def _check(catalog: Catalog, path: Path) -> None:
    """Refuse translations whose placeholders differ from their message's (they would fail at render)."""
    for message, errors in catalog.check():
        if errors and not message.fuzzy:
            raise SiteError(f"message {message.id!r}: {errors[0]}", path, message.lineno)


def _compiled_file(path: Path) -> tuple[bytes, int]:
    info = path.stat()
    return _compiled(path, (info.st_mtime_ns, info.st_size))


def load_catalog(path: Path) -> gettext.GNUTranslations:
    """A fresh translations object for one catalog (chains set its fallback, so it is not shared)."""
    return gettext.GNUTranslations(io.BytesIO(_compiled_file(path)[0]))


class Translator:
    """The gettext functions of one site, answering in the language of the page being rendered
    (*current*: a function returning it)."""

    def __init__(self, config: SiteConfig, current: Callable[[], str]) -> None:
        self.roots = _roots(config)
        self.current = current
        self._chains: dict[str, gettext.NullTranslations] = {}
        self._has: dict[str, bool] = {}

    def _catalogs(self, tag: str) -> list[Path]:
        found: list[Path] = []
        for root in self.roots:
            if root == THEME_LOCALES and base_language(tag) == SOURCE_LANGUAGE:
                continue  # the theme is written in English: its en catalog, there to be copied, is empty
            for name in dict.fromkeys(_folder_names(tag)):
                path = root / name / "LC_MESSAGES" / f"{DOMAIN}.po"
                if path.is_file() and path not in found:
                    found.append(path)
        return found

    def translations(self, tag: str) -> gettext.NullTranslations:
        """*tag*'s catalogs chained, the site's before the theme's; English when none has a string."""
        chain = self._chains.get(tag)
        if chain is None:
            chain = gettext.NullTranslations()
            for path in reversed(self._catalogs(tag)):
                catalog = load_catalog(path)
                catalog.add_fallback(chain)
                chain = catalog
            self._chains[tag] = chain
        return chain

    def speaks(self, tag: str) -> bool:
        """Does any catalog translate the theme into *tag* (the source language always counts)?"""
        if tag not in self._has:
            self._has[tag] = base_language(tag) == SOURCE_LANGUAGE or bool(self._catalogs(tag))
        return self._has[tag]

    def translated(self, tag: str) -> bool:
        """Does the page in *tag* show any string other than the theme's English?"""
        return base_language(tag) != SOURCE_LANGUAGE or any(_compiled_file(p)[1] for p in self._catalogs(tag))

    # the gettext functions of the templates, in the page's language
    def gettext(self, message: str) -> str:
        return self.translations(self.current()).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations(self.current()).ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations(self.current()).pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, count: int) -> str:
        return self.translations(self.current()).npgettext(context, singular, plural, count)
