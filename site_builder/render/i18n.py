"""The reader's language: dates and numbers as the language writes them (Babel, with CLDR's data), the
language each page is rendered in and its direction.

A page is rendered in its own language: an article's ``language`` when it has one, else the site's.
:class:`LocalisedTemplate` makes that language current while the page renders, and the ``date`` and
``number`` filters, the theme's translated strings and ``page_lang``/``page_dir`` read it.

Bare ``en`` keeps the theme's own English style, which it has always printed ("13 April 2017",
"Thursday 13 April 2017", 1500 without a separator), so an English site's pages stay byte for byte as
they were; ``en-US``, ``en-GB`` and every other language take CLDR's formats for that locale ("April 13,
2017", "13. April 2017", "13 avril 2017", "١٣ أبريل ٢٠١٧" where the locale writes Arabic-Indic digits).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
import jinja2.runtime
import markupsafe
from babel import Locale, UnknownLocaleError

from site_builder.config import SiteConfig
from site_builder.model.language import base_language, language_tag
from site_builder.render.translations import Translator, catalogs_digest

SOURCE_LANGUAGE = "en"  # the language the theme's strings are written in
# The theme's English date patterns (CLDR pattern syntax), used for bare "en" only.
HOUSE_ENGLISH = {
    "long": "d MMMM y",
    "short": "d MMM y",
    "time": "d MMMM y, HH:mm",
    "day": "EEEE d MMMM y",
    "month": "MMMM y",
    "month_name": "LLLL",
    "year": "y",
    "month_in_date": "MMMM",  # a month's name as a date writes it (genitive in Russian, Polish...)
}
DATE_STYLES = tuple(HOUSE_ENGLISH)
# The first digit of each numbering system CLDR makes a locale's default (their digits are consecutive).
_DIGIT_ZERO = {
    "arab": "ARABIC-INDIC DIGIT ZERO",
    "arabext": "EXTENDED ARABIC-INDIC DIGIT ZERO",
    "beng": "BENGALI DIGIT ZERO",
    "deva": "DEVANAGARI DIGIT ZERO",
    "mymr": "MYANMAR DIGIT ZERO",
    "tibt": "TIBETAN DIGIT ZERO",
    "olck": "OL CHIKI DIGIT ZERO",
    "cakm": "CHAKMA DIGIT ZERO",
    "adlm": "ADLAM DIGIT ZERO",
    "nkoo": "NKO DIGIT ZERO",
    "mtei": "MEETEI MAYEK DIGIT ZERO",
    "hmnp": "NYIAKENG PUACHUE HMONG DIGIT ZERO",
}


@functools.lru_cache(maxsize=256)
def locale_for(tag: str) -> Locale:
    """The CLDR locale closest to a language tag: "de-AT" itself, else "de", else English."""
    for candidate in (tag, base_language(tag)):
        with contextlib.suppress(UnknownLocaleError, ValueError, TypeError):
            return Locale.parse(candidate, sep="-")
    return Locale.parse(SOURCE_LANGUAGE)


def is_known(tag: str) -> bool:
    """Does CLDR know the language of *tag* (so its dates and numbers can be localised)?"""
    return str(locale_for(tag).language) == base_language(tag) or base_language(tag) == SOURCE_LANGUAGE


@functools.lru_cache(maxsize=256)
def text_direction(tag: str) -> str:
    """Either "rtl", for languages written right to left (Arabic, Hebrew, Persian, Urdu...), or "ltr"."""
    if _house_style(tag):
        return "ltr"  # without loading CLDR's data, which an English site may never need
    return "rtl" if is_known(tag) and locale_for(tag).character_order == "right-to-left" else "ltr"


def _house_style(tag: str) -> bool:
    return tag == SOURCE_LANGUAGE


@functools.lru_cache(maxsize=1024)
def date_pattern(style: str, tag: str) -> str:
    """The CLDR date pattern of a named *style* in the language *tag*."""
    if style not in HOUSE_ENGLISH:
        raise ValueError(f"unknown date style {style!r}: expected one of {', '.join(DATE_STYLES)}")
    if _house_style(tag):
        return HOUSE_ENGLISH[style]
    locale = locale_for(tag)
    if style == "long":
        return _babel_dates().get_date_format("long", locale).pattern
    if style == "short":
        return _babel_dates().get_date_format("medium", locale).pattern
    if style == "day":
        return _babel_dates().get_date_format("full", locale).pattern
    if style == "time":
        date, time = date_pattern("long", tag), _babel_dates().get_time_format("short", locale).pattern
        return str(locale.datetime_formats["medium"]).replace("{1}", date).replace("{0}", time)
    if style == "month":
        skeletons = locale.datetime_skeletons
        return str(getattr(skeletons[_babel_dates().match_skeleton("yMMMM", skeletons)], "pattern", "MMMM y"))
    return HOUSE_ENGLISH[style]  # "LLLL" is the stand-alone month name in every locale, "y" the year


@functools.lru_cache(maxsize=256)
def _digits(tag: str) -> dict[int, str] | None:
    """A str.translate table from ASCII digits to the locale's own, or None when it writes 0-9."""
    if _house_style(tag):
        return None
    zero = _DIGIT_ZERO.get(locale_for(tag).default_numbering_system)
    if zero is None:
        return None
    first = ord(unicodedata.lookup(zero))
    return {ord("0") + n: chr(first + n) for n in range(10)}


def _localised_digits(text: str, tag: str) -> str:
    table = _digits(tag)
    return text.translate(table) if table else text


def parse_moment(value: str | int | dt.date) -> dt.datetime:
    """An ISO date, date-time or month ("2017-04"), or a year, from a page context as a date-time."""
    if isinstance(value, int):
        return dt.datetime(value, 1, 1)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value)
    return dt.datetime.fromisoformat(text + "-01" if len(text) == 7 else text)


@functools.lru_cache(maxsize=65536)  # pure; an article's date is shown on a dozen listings
def format_date(value: str | int | None, style: str = "long", tag: str = SOURCE_LANGUAGE) -> str:
    """An ISO timestamp for readers of *tag*, in the time zone it was written with ("13 April 2017")."""
    if value is None or value == "":
        return ""
    moment = parse_moment(value)
    if _house_style(tag):
        return _house_english(moment, style)
    text = _babel_dates().format_datetime(moment, date_pattern(style, tag), locale=locale_for(tag))
    return _localised_digits(text, tag)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _house_english(moment: dt.datetime, style: str) -> str:
    """HOUSE_ENGLISH's patterns, written out: an English site never loads CLDR's data."""
    month = _MONTHS[moment.month - 1]
    styles = {
        "long": f"{moment.day} {month} {moment.year}",
        "short": f"{moment.day} {month[:3]} {moment.year}",
        "time": f"{moment.day} {month} {moment.year}, {moment:%H:%M}",
        "day": f"{_DAYS[moment.weekday()]} {moment.day} {month} {moment.year}",
        "month": f"{month} {moment.year}",
        "month_name": month,
        "year": str(moment.year),
        "month_in_date": month,
    }
    if style not in styles:
        date_pattern(style, SOURCE_LANGUAGE)  # raises, naming the styles
    return styles[style]


@functools.lru_cache(maxsize=16384)
def format_number(value: int | float, tag: str = SOURCE_LANGUAGE) -> str:
    """A count for readers of *tag*: "1.234" in German, "١٬٢٣٤" in Egyptian Arabic."""
    if _house_style(tag):
        return str(value)
    text = _babel_numbers().format_decimal(value, locale=locale_for(tag), numbering_system="default")
    return _localised_digits(text, tag)


def month_name(month: int, tag: str = SOURCE_LANGUAGE) -> str:
    """A month's name as it stands alone (a heading, a list of months): "April", "avril", "أبريل"."""
    return format_date(f"2000-{int(month):02d}", "month_name", tag)


def month_year(year: int, month: int, tag: str = SOURCE_LANGUAGE) -> str:
    """A month of a year: "April 2017", "abril de 2017"."""
    return format_date(f"{int(year):04d}-{int(month):02d}", "month", tag)


# ---------------------------------------------------------------------------- the page's language

_page_language: contextvars.ContextVar[str] = contextvars.ContextVar("page_language", default=SOURCE_LANGUAGE)


# page_language(): the language of the page being rendered (the theme's source language outside a
# render); the context variable's own method, called for every word of every page
page_language: Callable[[], str] = _page_language.get


@contextlib.contextmanager
def rendering_in(tag: str) -> Iterator[None]:
    token = _page_language.set(tag)
    try:
        yield
    finally:
        _page_language.reset(token)


def language_of_page(context: dict[str, Any], default: str, speaks: Callable[[str], bool]) -> str:
    """A page's language: its own ``language`` (a language tree's pages), else its article's when the
    theme speaks it (*speaks*: a catalog translates the theme into it), else *default*, the site's.

    An article in a language no catalog covers is shown in a page of the site's language, marked with
    its own ``lang`` (rather than a page claiming a language its menus are not in)."""
    own = language_tag(context.get("language"))
    if own:
        return own
    article = context.get("article")
    tag = language_tag(article.get("language")) if isinstance(article, dict) else None
    return tag if tag and speaks(tag) else default


class LocalisedTemplate(jinja2.Template):
    """A template whose top-level render happens in its page's language (included, extended and
    imported templates render within that call, so they share it)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = dict(*args, **kwargs)
        env = self.environment
        default = language_tag(env.globals["site"]["language"]) or SOURCE_LANGUAGE
        translator = getattr(env, "translator", None)
        speaks = translator.speaks if translator is not None else (lambda tag: tag == default)
        with rendering_in(language_of_page(context, default, speaks)):
            return super().render(context)


class CatalogStampedLoader(jinja2.BaseLoader):
    """The templates' loader, each source ending in a comment with the digest of the catalogs.

    A template's words come from the catalogs: hashing them with its source (for the pages'
    fingerprints and the compiled-template cache) re-renders its pages when a catalog changes."""

    def __init__(self, loader: jinja2.BaseLoader, digest: str) -> None:
        self.loader, self.stamp = loader, f"{{# catalogs {digest[:16]} #}}"

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        return source + self.stamp, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


class MemoPerLanguage:
    """A fragment memo (``memo(macro, *args)``) per page language: a teaser's date and words differ."""

    def __init__(self, make_memo: Callable[[], Callable[..., Any]]) -> None:
        self._make_memo = make_memo
        self._memos: dict[str, Callable[..., Any]] = {}

    def __call__(self, macro: Callable[..., Any], *args: Any) -> Any:
        language = page_language()
        memo = self._memos.get(language)
        if memo is None:
            memo = self._memos[language] = self._make_memo()
        return memo(macro, *args)


def install(env: jinja2.Environment, config: SiteConfig) -> None:
    """Give *env* the page-language machinery: templates rendered in their page's language, the theme's
    words from gettext catalogs (``_``, ``gettext``, ``ngettext``, ``pgettext``, ``{% trans %}``), the
    ``number`` filter, ``month_name``, ``month_year``, ``page_lang``, ``page_dir``, ``text_direction``."""
    translator = Translator(config, page_language)
    env.translator = translator  # type: ignore[attr-defined]
    env.template_class = LocalisedTemplate
    env.loader = CatalogStampedLoader(env.loader, catalogs_digest(config))  # type: ignore[arg-type]
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} spread over lines is one line in the catalog
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translator.gettext,
        translator.ngettext,
        newstyle=True,
        pgettext=translator.pgettext,
        npgettext=translator.npgettext,
    )
    env.globals.update(
        gettext=_remembering_gettext(translator),
        _=_safe_gettext(translator),
        pgettext=_safe_gettext(translator, with_context=True),
    )
    env.filters["number"] = _number
    env.globals.update(
        month_name=lambda month: month_name(month, page_language()),
        month_year=lambda year, month: month_year(year, month, page_language()),
        page_lang=page_language,
        page_dir=lambda: text_direction(page_language()),
        text_direction=text_direction,
        localised=lambda: translator.translated(page_language()),
        plural_samples=lambda: plural_samples(page_language()),
        script_dates=lambda: script_dates(page_language()),
        lang_attrs=lang_attributes,
        language_name=language_name,
    )


_NOTHING = markupsafe.Markup("")


def lang_attributes(tag: str | None) -> markupsafe.Markup:
    """` lang="…"` (and `dir`) for an element in another language than its page's, else nothing."""
    tag = language_tag(tag)
    if tag is None or tag == page_language():
        return _NOTHING
    direction = text_direction(tag)
    attributes = f' lang="{tag}"'
    if direction != text_direction(page_language()):
        attributes += f' dir="{direction}"'
    return markupsafe.Markup(attributes)  # a tag is letters, digits and hyphens: nothing to escape


@functools.lru_cache(maxsize=256)
def language_name(tag: str) -> str:
    """A language's name in itself, as a language switcher shows it: "Deutsch", "Français", "العربية"."""
    locale = locale_for(tag) if is_known(tag) else None
    name = locale.get_display_name(locale) if locale is not None else None
    return (name[:1].upper() + name[1:]) if name else tag


@functools.lru_cache(maxsize=64)
def script_dates(tag: str) -> dict[str, Any]:
    """What the search page's script needs to write dates as the pages do: the long date pattern, the
    months' names as dates use them ("avril", "апреля") and the locale's digits (empty for 0-9)."""
    table = _digits(tag)
    return {
        "pattern": date_pattern("long", tag),
        "months": [format_date(f"2000-{month:02d}-01", "month_in_date", tag) for month in range(1, 13)],
        "digits": "".join(table[ord("0") + n] for n in range(10)) if table else "",
        "grouping": not _house_style(tag),
    }


def _number(value: int | float) -> str:
    language = page_language()
    return str(value) if _house_style(language) else format_number(value, language)


def _newstyle(context: jinja2.runtime.Context, text: str, variables: dict[str, Any]) -> str:
    """What Jinja's new-style gettext makes of a translation: Markup when autoescaping, %-formatted."""
    return (markupsafe.Markup(text) if context.eval_ctx.autoescape else text) % variables


def _remembering_gettext(translator: Translator) -> Callable[..., str]:
    """Jinja's new-style ``gettext`` (``{% trans %}`` calls it), remembering each result without
    variables per language: a page asks for the same words as every other page."""
    known: dict[tuple[str, bool, str], str] = {}

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
        if variables:
            return _newstyle(context, translator.gettext(message), variables)
        key = (page_language(), context.eval_ctx.autoescape, message)
        found = known.get(key)
        if found is None:
            found = known[key] = _newstyle(context, translator.gettext(message), {})
        return found

    return gettext


def _safe_gettext(translator: Translator, with_context: bool = False) -> Callable[..., str]:
    """``_(message, **variables)`` (or ``pgettext(context, message, ...)``): the translation as Markup,
    variables escaped into it, remembered per language when there are none.

    Jinja's ``_`` asks the template context whether it autoescapes, through two calls that cost more
    than the page's own work for its thirty words; this one is a plain function, answering as it
    would in autoescaped templates (all of the theme's; in an ``{% autoescape false %}`` block the
    variables are escaped all the same)."""
    known: dict[tuple[str, ...], markupsafe.Markup] = {}

    def gettext(*args: str, **variables: Any) -> markupsafe.Markup:
        if variables:
            return _translated(args, variables)
        key = (page_language(), *args)
        found = known.get(key)
        if found is None:
            found = known[key] = _translated(args, {})
        return found

    def _translated(args: tuple[str, ...], variables: dict[str, Any]) -> markupsafe.Markup:
        if with_context:
            variables.setdefault("context", args[0])  # as Jinja's pgettext does
        text = translator.pgettext(*args) if with_context else translator.gettext(*args)
        return markupsafe.Markup(text) % variables

    return gettext


@functools.lru_cache(maxsize=64)
def plural_samples(tag: str) -> dict[str, int]:
    """A whole number of each CLDR plural category of *tag* ("one": 1, "other": 2 in English), the
    smallest there is: a script picks the form of a count by category (Intl.PluralRules)."""
    rule = locale_for(tag).plural_form
    samples: dict[str, int] = {}
    for number in [*range(200), *(10**power for power in range(3, 8))]:
        samples.setdefault(rule(number), number)
    return dict(sorted(samples.items()))


def _babel_dates() -> Any:
    """babel.dates, imported at the first date formatted (it loads time zone data: 14 ms that a build
    rendering no page never needs)."""
    import babel.dates

    return babel.dates


def _babel_numbers() -> Any:
    import babel.numbers

    return babel.numbers
