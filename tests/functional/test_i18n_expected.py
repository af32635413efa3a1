"""The German and Arabic fixture sites (tests/fixtures/site-de, site-ar): one page of each compared byte
for byte with tests/expected (python tests/regenerate_expected.py after an intended change), and what
they show in their languages."""

from __future__ import annotations

import pytest

from tests.regenerate_expected import HERE, LANGUAGE_PAGES, build_language_fixture


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("languages")
    return {name: build_language_fixture(name, root) for name in LANGUAGE_PAGES}


@pytest.mark.parametrize("name", sorted(LANGUAGE_PAGES))
def test_page_matches_expected(built, name):
    page = LANGUAGE_PAGES[name]
    expected = (HERE / "expected" / name / page).read_bytes()
    assert built[name].joinpath(page).read_bytes() == expected, f"{name}/{page} differs (regenerate?)"


def test_german_site(built):
    output = built["site-de"]
    article = (output / LANGUAGE_PAGES["site-de"]).read_text()
    assert '<html lang="de">' in article
    assert '<time datetime="2021-03-02T18:30:00+01:00">2. März 2021</time>' in article
    assert (
        " · aktualisiert <time" in article
        and 'Von <a href="/authors/lena-vogt/" rel="author">Lena Vogt</a>' in article
    )  # bylines link to author pages
    assert '<h2 id="related-heading">Mehr zum Thema</h2>' in article  # the site's own catalog
    assert '<h2 id="people-heading">Personen in diesem Artikel</h2>' in article  # the theme's German
    month = (output / "archive/2021/03/index.html").read_text()
    assert "<h1>März 2021</h1>" in month and ">Dienstag, 2. März 2021</time>" in month
    assert '<p class="meta">2 Artikel</p>' in month
    assert "<span>Seite 1 von 2</span>" in (output / "index.html").read_text()
    assert "Artikel ohne Datum" in (output / "archive/index.html").read_text()
    feed = (output / "feed.xml").read_text()
    assert 'xml:lang="de"' in feed


def test_arabic_site(built):
    output = built["site-ar"]
    article = (output / LANGUAGE_PAGES["site-ar"]).read_text()
    assert article.startswith('<!DOCTYPE html>\n<html lang="ar-EG" dir="rtl">')
    assert '<time datetime="2021-03-02T18:30:00+02:00">٢ مارس ٢٠٢١</time>' in article
    assert '<a class="skip" href="#main">انتقل إلى المحتوى</a>' in article
    assert 'سارة أحمد</a>، <span class="role">وزيرة النقل</span>' in article  # the Arabic comma
    english = (output / "articles/new-bridge-cairo-en/index.html").read_text()
    assert english.startswith('<!DOCTYPE html>\n<html lang="en">')  # the translation, in English
    assert '<time datetime="2021-03-02T18:45:00+02:00">2 March 2021</time>' in english
    assert 'hreflang="ar-EG" lang="ar-EG" dir="rtl">العربية (مصر)</a>' in english
    month = (output / "archive/2021/03/index.html").read_text()
    assert "<h1>مارس ٢٠٢١</h1>" in month and '<p class="meta">٣ مقالات</p>' in month
