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


def test_german_words_and_plurals(site):
    output = german_site(site)
    article = (output / "articles/die-brucke-ist-fertig/index.html").read_text()
    assert '<a class="skip" href="#main">Zum Inhalt springen</a>' in article
    assert '<h2 id="related-heading">Ähnliche Artikel</h2>' in article
    assert '<a href="/search/">Suche</a>' in article and '<button type="submit">Suchen</button>' in article
    tag = (output / "tags/stadt/index.html").read_text()
    assert '<p class="meta">2 Artikel · <a href="/tags/stadt/feed.xml">Atom-Feed</a>' in tag
    assert "Related" not in article and "Search" not in tag


def write_catalog(site, language, pairs):
    path = site.root / "locales" / language / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = "".join(f'\nmsgid "{source}"\nmsgstr "{target}"\n' for source, target in pairs.items())
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n' + entries)


def test_a_site_catalog_change_rerenders_the_pages_using_it(site):
    output = german_site(site)
    write_catalog(site, "de", {"Related articles": "Mehr zum Thema"})
    report = site.build()
    article = (output / "articles/die-brucke-ist-fertig/index.html").read_text()
    assert '<h2 id="related-heading">Mehr zum Thema</h2>' in article
    assert "articles/die-brucke-ist-fertig/index.html" in report.changed_paths
    assert "Themen" in article  # the strings the site's catalog leaves out still come from the theme's
    write_catalog(site, "de", {"Related articles": "Lesen Sie auch"})
    site.build()
    assert "Lesen Sie auch" in (output / "articles/die-brucke-ist-fertig/index.html").read_text()
    assert site.build().rendered == 0  # nothing changed: nothing rendered


def test_an_english_site_with_its_own_words(site):
    site.article("one", "One", "2020-01-02", "Text.", tags="[Alpha]")
    site.article("two", "Two", "2020-01-01", "Text.", tags="[Alpha]")
    write_catalog(site, "en", {"Topics": "Sections", "Related articles": "Read more"})
    site.build()
    page = (site.output / "articles/one/index.html").read_text()
    assert '<a href="/tags/">Sections</a>' in page and '<h2 id="related-heading">Read more</h2>' in page
    assert '<html lang="en">' in page


def index_term(output, term):
    """The documents (URLs) whose words include *term*, read from the built search index files."""
    import json

    from site_builder.search.index import shard_key

    root = output / "search" / "index"
    split = set(json.loads((root / "meta.json").read_text())["split"])
    shard = root / "t" / (shard_key(term, split).encode().hex() + ".json")
    entry = json.loads(shard.read_text()).get(term) if shard.exists() else None
    ids, last = [], 0
    for gap in filter(None, (entry or [""])[0].split(",")):
        last += int(gap, 36)
        ids.append(last)
    return sorted(json.loads((root / "d" / f"{i}.json").read_text())["u"] for i in ids)


def test_search_index_of_other_scripts(site):
    site.article("muenchen", "Neue Brücke in München", "2021-01-01", "Die Straße wird gesperrt.")
    site.article("cairo", "القاهرة", "2021-01-02", "افتُتِحَ الجِسْرُ الجديدُ في القاهرةِ.", language="ar")
    site.article("athens", "Αθήνα", "2021-01-03", "Η ΟΔΟΣ έκλεισε.", language="el")
    site.article("moscow", "Москва", "2021-01-04", "Мост через Москву-реку открыли.", language="ru")
    site.article("beijing", "北京", "2021-01-05", "北京大学的新桥。", language="zh")
    site.build()
    assert index_term(site.output, "munchen") == ["articles/neue-brucke-in-munchen/"]
    assert index_term(site.output, "strasse") == ["articles/neue-brucke-in-munchen/"]
    assert index_term(site.output, "الجسر") == ["articles/lqhr/"]  # typed without its vowel marks
    assert index_term(site.output, "οδοσ") == ["articles/athena/"]
    assert index_term(site.output, "москву") == ["articles/moskva/"]
    assert index_term(site.output, "大学") == ["articles/bei-jing/"]
