"""Articles in their own language: lang and dir, inLanguage, xml:lang, translations linked both ways."""

from __future__ import annotations

import json
import re

import pytest

from site_builder.errors import SiteError


def bilingual_site(site):
    site.article("bridge", "The bridge is open", "2021-03-02", "The new bridge opened.",
                 translation_key="bridge", tags="[City]")  # fmt: skip
    site.article("bridge-ar", "افتتاح الجسر", "2021-03-03", "افتُتح الجسر الجديد اليوم.",
                 language="ar", translation_key="bridge", tags="[City]")  # fmt: skip
    site.article("ponte", "Il ponte è aperto", "2021-03-01", "Il ponte è stato aperto.", language="it")
    site.build()
    return site.output


def ld_json(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


def test_an_article_page_in_its_own_language(site):
    output = bilingual_site(site)
    page = (output / "articles/ftth-ljsr/index.html").read_text()
    assert page.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">')
    assert '<h2 id="related-heading">مقالات ذات صلة</h2>' in page and ">الأرشيف</a>" in page
    assert '<time datetime="2021-03-03T00:00:00+00:00">3 مارس 2021</time>' in page
    assert ld_json(page)["inLanguage"] == "ar"
    assert '<article class="article">' in page  # the page's language already


def test_translations_are_linked_both_ways(site):
    output = bilingual_site(site)
    english = (output / "articles/the-bridge-is-open/index.html").read_text()
    arabic = (output / "articles/ftth-ljsr/index.html").read_text()
    base = "https://example.org/articles/"
    for page in (english, arabic):  # hreflang alternates, each page included
        assert f'<link rel="alternate" hreflang="en" href="{base}the-bridge-is-open/">' in page
        assert f'<link rel="alternate" hreflang="ar" href="{base}ftth-ljsr/">' in page
    to_arabic = '<a href="/articles/ftth-ljsr/" rel="alternate" hreflang="ar" lang="ar" dir="rtl">العربية</a>'
    link = '<a href="/articles/{}/" rel="alternate" hreflang="{}" lang="{}" dir="{}">{}</a>'
    to_english = link.format("the-bridge-is-open", "en", "en", "ltr", "English")
    assert to_arabic in english and to_english in arabic
    assert '<nav class="translations" aria-label="Other languages">' in english
    assert '<nav class="translations" aria-label="لغات أخرى">' in arabic
    assert "inLanguage" not in english  # an English article of an English site: as before


def test_an_article_in_a_language_without_catalog_keeps_the_site_page(site):
    output = bilingual_site(site)
    page = (output / "articles/il-ponte-e-aperto/index.html").read_text()
    assert '<html lang="en">' in page and '<article class="article" lang="it">' in page
    assert "Skip to content" in page and ld_json(page)["inLanguage"] == "it"


def test_listings_and_feeds_mark_other_languages(site):
    output = bilingual_site(site)
    front = (output / "index.html").read_text()
    assert '<h2 lang="ar" dir="rtl"><a href="/articles/ftth-ljsr/">افتتاح الجسر</a></h2>' in front
    assert '<h2><a href="/articles/the-bridge-is-open/">The bridge is open</a></h2>' in front
    feed = (output / "feed.xml").read_text()
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">' in feed
    assert feed.count('<entry xml:lang="ar">') == 1 and feed.count('<entry xml:lang="it">') == 1


def test_a_changed_translation_key_updates_the_other_page(site):
    output = bilingual_site(site)
    site.article("bridge-ar", "افتتاح الجسر", "2021-03-03", "افتُتح الجسر الجديد اليوم.", language="ar",
                 translation_key="other", tags="[City]")  # fmt: skip
    site.build()
    english = (output / "articles/the-bridge-is-open/index.html").read_text()
    assert "hreflang" not in english and 'class="translations"' not in english


def test_a_bad_language_is_an_error_with_its_line(site):
    site.article("x", "Title", "2021-03-03", "Text.", language="'not a language'")
    with pytest.raises(SiteError, match="language tag") as error:
        site.build()
    assert "content/x.md:4: field 'language'" in str(error.value)
