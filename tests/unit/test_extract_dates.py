"""Dates: explicit datelines and labels only, never relative words or date-like noise."""

from __future__ import annotations

import datetime as dt

import pytest

from site_builder.importer.extract.dates import find_date, iso


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["ROME 1996-12-06"], dt.date(1996, 12, 6)),
        (["Adrian Warner", "BERLIN 1996-08-30", "Text."], dt.date(1996, 8, 30)),
        (["UNITED NATIONS 1996-08-29"], dt.date(1996, 8, 29)),
        (["MILWAUKEE, Wisconsin 1996-08-29"], dt.date(1996, 8, 29)),
        (["Published 13 Apr 2017 12:41"], dt.datetime(2017, 4, 13, 12, 41)),
        (["Published: Thursday 13 April 2017, 2:41 pm GMT"], dt.datetime(2017, 4, 13, 14, 41)),
        (["Posted on April 13, 2017"], dt.date(2017, 4, 13)),
        (["13 April 2017"], dt.date(2017, 4, 13)),
        (["Updated 14 Apr 2017", "Published 13 Apr 2017"], dt.date(2017, 4, 13)),
        (["Last updated: 14 April 2017"], dt.date(2017, 4, 14)),
    ],
)
def test_explicit_dates(lines, expected):
    assert find_date(lines) == expected


@pytest.mark.parametrize(
    "lines",
    [
        ["Mr Peskov said on Wednesday the meeting was useful."],
        ["Donald Trump tweeted today that things will work out."],
        ["After the two-hour meeting, nothing changed."],
        ["The treaty was signed on 13 April 2017 in Rome, officials said."],
        ["Published by the ministry"],
        ["ROME 1996-13-45"],
    ],
)
def test_no_date_from_relative_words_noise_or_body_text(lines):
    assert find_date(lines) is None


def test_only_the_head_of_the_article_is_searched():
    lines = ["Paragraph."] * 20 + ["Published 13 Apr 2017"]
    assert find_date(lines) is None


def test_iso_text():
    assert iso(dt.datetime(2017, 4, 13, 12, 41)) == "2017-04-13T12:41:00"
    assert iso(None) is None
