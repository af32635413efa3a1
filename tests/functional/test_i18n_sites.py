"""Sites in other languages, built: localised dates, numbers and words."""

from __future__ import annotations


def german_site(site, language="de"):
    (site.root / "site.toml").write_text(
        f'title = "Archiv"\nbase_url = "https://example.org/"\nlanguage = "{language}"\npage_size = 2\n',
        encoding="utf-8",
    )
    site.article("bruecke", "Die Brücke ist fertig", "2017-04-13T12:41:00", "In München wurde gebaut.",
                 tags="[Stadt]")  # fmt: skip
    site.article("rat", "Der Rat tagt", "2017-04-12", "Sitzung.", tags="[Stadt]")
    site.article("wahl", "Wahl im Mai", "2017-05-02", "Abstimmung.")
    site.build()
    return site.output


def test_german_dates(site):
    output = german_site(site)
    article = (output / "articles/die-brucke-ist-fertig/index.html").read_text()
    assert '<time datetime="2017-04-13T12:41:00+00:00">13. April 2017</time>' in article
    month = (output / "archive/2017/04/index.html").read_text()
    assert "<h1>April 2017</h1>" in month
    assert ">Donnerstag, 13. April 2017</time>" in month and ">Mittwoch, 12. April 2017</time>" in month
    archive = (output / "archive/index.html").read_text()
    assert '>Mai</a> <span class="count">1</span>' in archive


def test_arabic_digits_where_the_locale_writes_them(site):
    output = german_site(site, language="ar-EG")
    article = (output / "articles/die-brucke-ist-fertig/index.html").read_text()
    assert ">١٣ أبريل ٢٠١٧</time>" in article
    assert '<span class="count">١</span>' in (output / "archive/index.html").read_text()
