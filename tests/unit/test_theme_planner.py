"""The reader-facing data of the page plan: related articles, person and tag extras, front page, archive."""

import datetime as dt

from site_builder.config import load_config
from site_builder.model.article import Article, Named, PersonMention, Quote
from site_builder.model.site import build_site
from site_builder.plan.pages import plan_pages
from site_builder.plan.related import related_articles
from site_builder.plan.views import person_quotes, timeline


def make(slug, date, tags=(), people=(), quotes=(), roles=None):
    roles = roles or {}
    return Article(
        source=f"{slug}.md", key=slug, title=slug.title(), slug=slug, url=f"articles/{slug}/",
        date=dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC) if date else None,
        tags=tuple(Named(t.lower(), t) for t in tags),
        people=tuple(PersonMention(p, p.lower().replace(" ", "-"), roles.get(p)) for p in people),
        quotes=tuple(Quote(s, t) for s, t in quotes),
    )  # fmt: skip


def pages_by_path(articles, **settings):
    config = load_config("/nonexistent-site", {"page_size": 2, **settings})
    return {p.path: p for p in plan_pages(build_site(articles), config)}


def test_related_prefers_rare_shared_people_then_newer():
    articles = [
        make("a", "2020-01-05", ["World"], ["Ann Lee"]),
        make("b", "2020-01-04", ["World"], ["Ann Lee"]),  # shares the rare person and the tag
        make("c", "2020-01-03", ["World"]),  # shares the common tag only
        make("d", "2020-01-02", ["World"]),
        make("e", "2020-01-01", ["Sport"]),  # shares nothing
    ]
    related = related_articles(build_site(articles))
    assert [r.slug for r in related["articles/a/"]] == ["b", "c", "d"]
    assert [r.slug for r in related["articles/d/"]][:3] == ["a", "b", "c"]  # equal scores: newest first
    assert related["articles/e/"] == []


def test_article_page_carries_related_teasers():
    pages = pages_by_path([make("a", "2020-01-02", ["X"]), make("b", "2020-01-01", ["X"])])
    assert [r["url"] for r in pages["articles/a/index.html"].context["related"]] == ["articles/b/"]


def test_person_page_quotes_co_mentions_roles_and_timeline():
    articles = [
        make("new", "2021-03-01", people=["Ann Lee", "Bo Ray"], roles={"Ann Lee": "Prime Minister"},
             quotes=[("Lee", "Newest words"), ("Bo Ray", "Not hers")]),
        make("mid", "2021-01-15", people=["Ann Lee", "Bo Ray", "Cy Tan"], quotes=[("Ann Lee", "Older words")],
             roles={"Ann Lee": "Minister"}),
        make("old", "2020-11-20", people=["Ann Lee", "Cy Tan"], roles={"Ann Lee": "Minister"}),
    ]  # fmt: skip
    pages = pages_by_path(articles)
    first = pages["people/ann-lee/index.html"].context
    assert [q["text"] for q in first["quotes"]] == ["Newest words", "Older words"]
    assert first["quotes"][0]["url"] == "articles/new/"
    assert [(p["name"], p["count"]) for p in first["co_mentioned"]] == [("Bo Ray", 2), ("Cy Tan", 2)]
    assert [(r["role"], r["since"][:10], r["until"][:10]) for r in first["roles_over_time"]] == [
        ("Minister", "2020-11-20", "2021-01-15"),
        ("Prime Minister", "2021-03-01", "2021-03-01"),
    ]
    months = first["timeline"]["months"]
    assert [m["count"] for m in months] == [1, 0, 1, 0, 1]  # Nov 2020 .. Mar 2021, gaps included
    assert months[0]["url"] == "archive/2020/11/" and first["timeline"]["max"] == 1
    second = pages["people/ann-lee/page/2/index.html"].context
    assert "quotes" not in second  # page 2 lists articles only


def test_quote_by_family_name_needs_a_single_bearer_in_the_article():
    shared = make("x", "2020-01-01", people=["Ann Lee", "Max Lee"], quotes=[("Lee", "Whose?")])
    site = build_site([shared])
    assert person_quotes(site.people["ann-lee"]) == []


def test_tag_page_description_related_tags_and_people():
    articles = [
        make("a", "2020-01-02", ["Energy", "Oil"], ["Ann Lee"]),
        make("b", "2020-01-01", ["Energy", "Oil", "World"]),
        make("c", "2019-12-01", ["World", "Sport"]),
    ]
    pages = pages_by_path(articles, extra={"tag_descriptions": {"Energy": "Power & fuel."}})
    context = pages["tags/energy/index.html"].context
    assert context["description"] == "Power & fuel."
    assert [t["name"] for t in context["related_tags"]] == ["Oil", "World"]
    assert [p["name"] for p in context["top_people"]] == ["Ann Lee"]
    assert context["timeline"]["first"] == "January 2020"


def test_front_page_shows_last_month_people_and_tags():
    articles = [
        make("a", "2020-02-10", ["Oil"], ["Ann Lee", "Bo Ray"]),
        make("b", "2020-02-01", ["Oil"], ["Bo Ray"]),
        make("c", "2020-01-01", ["Sport"], ["Cy Tan"]),
    ]
    trending = pages_by_path(articles)["index.html"].context["trending"]
    assert trending["label"] == "February 2020"
    assert [(p["name"], p["count"]) for p in trending["people"]] == [("Bo Ray", 2), ("Ann Lee", 1)]
    assert [t["name"] for t in trending["tags"]] == ["Oil"]


def test_archive_month_groups_by_day_and_people_index_is_a_to_z():
    articles = [
        make("a", "2020-02-10T09:00", people=["Zoe Abbot"]),
        make("b", "2020-02-10T08:00", people=["Al Zed"]),
        make("c", "2020-02-03"),
    ]
    pages = pages_by_path(articles)
    days = pages["archive/2020/02/index.html"].context["days"]
    assert [(d["date"], [a["url"] for a in d["articles"]]) for d in days] == [
        ("2020-02-10", ["articles/a/", "articles/b/"]),
        ("2020-02-03", ["articles/c/"]),
    ]
    assert days[0]["label"] == "Monday 10 February 2020"
    letters = pages["people/index.html"].context["letters"]
    assert [(g["letter"], [p["name"] for p in g["people"]]) for g in letters] == [
        ("A", ["Zoe Abbot"]),
        ("Z", ["Al Zed"]),
    ]


def test_search_page_offers_filters():
    pages = pages_by_path([make("a", "2020-02-10", ["Oil"], ["Ann Lee"]), make("b", "2019-01-01", ["Sport"])])
    filters = pages["search/index.html"].context["filters"]
    assert [y["year"] for y in filters["years"]] == [2020, 2019]
    assert [t["slug"] for t in filters["tags"]] == ["oil", "sport"]
    assert [p["slug"] for p in filters["people"]] == ["ann-lee"]


def test_timeline_of_undated_articles_is_none():
    assert timeline([make("u", None)]) is None
