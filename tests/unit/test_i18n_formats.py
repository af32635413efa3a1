"""Dates and numbers in the reader's language (site_builder.render.i18n)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.model.language import language_tag
from site_builder.render import i18n

MOMENT = "2017-04-13T12:41:00+02:00"


def old_english(value: str, style: str) -> str:
    """What the theme printed before dates were localised (strftime, English month names)."""
    moment = dt.datetime.fromisoformat(value)
    if style == "short":
        return f"{moment.day} {moment:%b %Y}"
    if style == "time":
        return f"{moment.day} {moment:%B %Y, %H:%M}"
    if style == "day":
        return f"{moment:%A} {moment.day} {moment:%B %Y}"
    return f"{moment.day} {moment:%B %Y}"


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_bare_english_is_exactly_the_old_output(moment):
    value = moment.isoformat()
    for style in ("long", "short", "time", "day"):
        assert i18n.format_date(value, style, "en") == old_english(value, style)


@pytest.mark.parametrize(
    ("tag", "long", "day", "month"),
    [
        ("de", "13. April 2017", "Donnerstag, 13. April 2017", "April 2017"),
        ("fr", "13 avril 2017", "jeudi 13 avril 2017", "avril 2017"),
        ("es", "13 de abril de 2017", "jueves, 13 de abril de 2017", "abril de 2017"),
        ("ar", "13 أبريل 2017", "الخميس، 13 أبريل 2017", "أبريل 2017"),
        ("ar-EG", "١٣ أبريل ٢٠١٧", "الخميس، ١٣ أبريل ٢٠١٧", "أبريل ٢٠١٧"),
        ("en-US", "April 13, 2017", "Thursday, April 13, 2017", "April 2017"),
        ("de-AT", "13. April 2017", "Donnerstag, 13. April 2017", "April 2017"),
    ],
)
def test_dates_in_other_languages(tag, long, day, month):
    assert i18n.format_date(MOMENT, "long", tag) == long
    assert i18n.format_date(MOMENT, "day", tag) == day
    assert i18n.format_date("2017-04", "month", tag) == month


def test_times_keep_the_zone_they_were_written_in():
    assert i18n.format_date(MOMENT, "time", "en") == "13 April 2017, 12:41"
    assert i18n.format_date(MOMENT, "time", "de") == "13. April 2017, 12:41"


def test_month_names_stand_alone():
    assert [i18n.month_name(4, tag) for tag in ("en", "de", "fr", "es", "ar")] == [
        "April", "April", "avril", "abril", "أبريل",
    ]  # fmt: skip
    assert i18n.month_year(2017, 4, "fr") == "avril 2017"
    assert i18n.format_date(2017, "year", "ar-EG") == "٢٠١٧"


def test_numbers():
    assert i18n.format_number(1500, "en") == "1500"  # the theme's English, as before
    assert i18n.format_number(1500, "en-US") == "1,500"
    assert i18n.format_number(1234567, "de") == "1.234.567"
    assert i18n.format_number(1234, "ar-EG") == "١٬٢٣٤"
    assert i18n.format_number(7, "fa") == "۷"


def test_unknown_language_falls_back_to_english_data_and_unknown_style_is_named():
    assert i18n.format_date(MOMENT, "long", "xx") == "April 13, 2017"
    assert i18n.text_direction("xx") == "ltr"
    with pytest.raises(ValueError, match="unknown date style 'medium'"):
        i18n.format_date(MOMENT, "medium", "de")


@pytest.mark.parametrize(
    ("tag", "direction"), [("ar", "rtl"), ("ar-EG", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("de", "ltr")]
)
def test_direction(tag, direction):
    assert i18n.text_direction(tag) == direction


def test_language_tags_are_normalised_or_refused():
    assert language_tag("de_at") == "de-AT"
    assert language_tag("zh-hant-tw") == "zh-Hant-TW"
    assert language_tag("es-419") == "es-419"
    assert language_tag(" ar ") == "ar"
    for bad in ("", "english please", "d", "de--AT", 12, None):
        assert language_tag(bad) is None


def test_site_language_setting(tmp_path):
    (tmp_path / "site.toml").write_text('language = "de_AT"\n', encoding="utf-8")
    assert load_config(tmp_path).language == "de-AT"
    (tmp_path / "site.toml").write_text('language = "German"\n', encoding="utf-8")
    with pytest.raises(SiteError, match="language tag") as error:
        load_config(tmp_path)
    assert "site.toml" in str(error.value) and "language" in str(error.value)


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_house_english_is_its_cldr_patterns(moment):
    """The written-out English styles are the HOUSE_ENGLISH patterns as Babel formats them."""
    from babel.dates import format_datetime

    for style, pattern in i18n.HOUSE_ENGLISH.items():
        babel_text = format_datetime(moment, pattern, locale="en")
        assert i18n.format_date(moment.isoformat(), style, "en") == babel_text
