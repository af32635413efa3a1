"""The theme's gettext catalogs: up to date with the templates, complete, and how a site's own win."""

from __future__ import annotations

import textwrap

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.render import i18n
from site_builder.render.translations import THEME_LOCALES, Translator, catalog_files, catalogs_digest

REPO = THEME_LOCALES.parents[2]
SHIPPED = ["en", "de", "fr", "es", "ar"]


def extracted() -> set[tuple[object, str | None]]:
    """What `pybabel extract -F babel.cfg` finds in the theme's templates now."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(REPO / "templates", method_map, options_map)
    return {(message if isinstance(message, str) else tuple(message), context)
            for _, _, message, _, context in found}  # fmt: skip


def catalog(path):
    with path.open("rb") as file:
        return read_po(file)


def keys(messages) -> set[tuple[object, str | None]]:
    return {(m.id, m.context) for m in messages if m.id}


def test_catalog_template_is_up_to_date_with_the_templates():
    pot = keys(catalog(THEME_LOCALES / "messages.pot"))
    assert pot == extracted(), "run pybabel extract (see babel.cfg) and pybabel update"


@pytest.mark.parametrize("language", SHIPPED)
def test_each_shipped_catalog_has_every_message(language):
    pot = keys(catalog(THEME_LOCALES / "messages.pot"))
    po = catalog(THEME_LOCALES / language / "LC_MESSAGES" / "messages.po")
    assert keys(po) == pot, "run pybabel update -i messages.pot -d site_builder/render/locales"
    assert not po.obsolete
    translated = [m for m in po if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple)
                                                                else (m.string,))]  # fmt: skip
    if language == "en":
        assert not translated  # the theme is written in English: its catalog is there to be copied
    else:
        assert len(translated) == len(pot)
        assert po.plural_forms == get_plural(language).plural_forms  # CLDR's rule for the language
        assert not [(m.id, errors) for m, errors in po.check() if errors]


def test_arabic_has_its_six_plural_forms():
    po = catalog(THEME_LOCALES / "ar" / "LC_MESSAGES" / "messages.po")
    assert po.num_plurals == 6
    translator = Translator(load_config(REPO / "tests" / "fixtures" / "site"), lambda: "ar")
    forms = translator.translations("ar")
    counts = {n: forms.ngettext("%(n)s article", "%(n)s articles", n) for n in (0, 1, 2, 3, 11, 100)}
    assert counts[1] == "مقالة واحدة" and counts[2] == "مقالتان"
    assert counts[3] == "%(n)s مقالات" and counts[11] == counts[100] == "%(n)s مقالة"


def site_catalog(root, language, body):
    path = root / "locales" / language / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_site_catalog_overrides_strings_and_the_rest_falls_back(tmp_path):
    site_catalog(tmp_path, "de", 'msgid "Related articles"\nmsgstr "Mehr dazu"\n')
    config = load_config(tmp_path)
    language = "de-AT"
    translator = Translator(config, lambda: language)
    assert translator.gettext("Related articles") == "Mehr dazu"  # the site's, found for de-AT
    assert translator.gettext("Topics") == "Themen"  # the theme's German
    assert translator.gettext("A string no catalog has") == "A string no catalog has"
    language = "it"  # no catalog: the theme's English
    assert translator.gettext("Topics") == "Topics"
    assert not translator.speaks("it") and translator.speaks("de-AT") and translator.speaks("en-US")
    assert site_catalog(tmp_path, "de", "") in catalog_files(config)


def test_an_english_site_can_change_the_theme_words(tmp_path):
    site_catalog(tmp_path, "en", 'msgid "Topics"\nmsgstr "Sections"\n')
    translator = Translator(load_config(tmp_path), lambda: "en")
    assert translator.gettext("Topics") == "Sections" and translator.translated("en")
    assert not Translator(load_config(tmp_path / "other"), lambda: "en").translated("en")


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ('msgid "Topics"\nmsgstr "Themen\n', 6),  # no closing quote (Babel would drop the "n")
        ('msgid "Topics"\nmsgstr "Themen"\nmsgid "People"\nmsgtsr "Personen"\n', 8),
        ('msgid "Topics"\n\nmsgid "People"\nmsgstr "Personen"\n', 5),  # msgid without msgstr
    ],
)
def test_a_broken_catalog_is_an_error_naming_file_and_line(tmp_path, body, line):
    path = site_catalog(tmp_path, "de", body)
    with pytest.raises(SiteError) as error:
        Translator(load_config(tmp_path), lambda: "de").gettext("Topics")
    assert str(error.value).startswith(f"{path}:{line}: ")


def test_a_translation_that_renames_a_placeholder_is_refused(tmp_path):
    path = site_catalog(tmp_path, "fr", 'msgid "Page %(number)s"\nmsgstr "Page %(numero)s"\n')
    with pytest.raises(SiteError, match="placeholder") as error:
        Translator(load_config(tmp_path), lambda: "fr").gettext("Topics")
    assert str(path) in str(error.value)


def test_catalogs_digest_follows_the_site_catalogs(tmp_path):
    before = catalogs_digest(load_config(tmp_path))
    path = site_catalog(tmp_path, "de", 'msgid "Topics"\nmsgstr "Ressorts"\n')
    changed = catalogs_digest(load_config(tmp_path))
    path.write_text(path.read_text().replace("Ressorts", "Rubriken"))
    assert len({before, changed, catalogs_digest(load_config(tmp_path))}) == 3


def test_plural_samples_cover_each_category():
    assert i18n.plural_samples("en") == {"one": 1, "other": 0}
    assert set(i18n.plural_samples("ar")) == {"zero", "one", "two", "few", "many", "other"}


def test_package_data_ships_every_catalog():
    """pyproject's package-data globs (what a wheel of the package holds) cover each catalog file."""
    import fnmatch
    import tomllib

    globs = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    patterns = globs["site_builder.render"]
    files = [p.relative_to(THEME_LOCALES.parent).as_posix() for p in THEME_LOCALES.rglob("*") if p.is_file()]
    assert len(files) == 1 + len(SHIPPED)
    assert all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in files)
