import datetime as dt

from site_builder.config import load_config
from site_builder.model.article import Article, Named, PersonMention
from site_builder.model.site import build_site, is_published
from site_builder.plan.pages import page_url, plan_pages


def make(slug, date, tags=(), people=(), **kw):
    return Article(
        source=f"{slug}.md", key=slug, title=slug.title(), slug=slug, url=f"articles/{slug}/",
        date=dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC) if date else None,
        tags=tuple(Named(t.lower(), t) for t in tags),
        people=tuple(PersonMention(p, p.lower().replace(" ", "-")) for p in people), **kw,
    )  # fmt: skip


def test_page_url():
    assert page_url("tags/x/", 1) == "tags/x/" and page_url("tags/x/", 2) == "tags/x/page/2/"


def test_site_model_orders_and_groups():
    site = build_site([make("b", "2020-02-01", ["A"], ["Ann Lee"]), make("u", None, ["A"]),
                       make("a", "2019-05-01", ["a"], ["Ann Lee", "Bo Ray"])])  # fmt: skip
    assert [a.slug for a in site.articles] == ["b", "a", "u"]
    assert list(site.tags) == ["a"] and len(site.tags["a"].articles) == 3
    assert site.tags["a"].name in {"A", "a"}
    assert [a.slug for a in site.people["ann-lee"].articles] == ["b", "a"]
    assert site.previous["articles/b/"].slug == "a" and site.following["articles/a/"].slug == "b"
    assert site.years == {2020: {2: [site.articles[0]]}, 2019: {5: [site.articles[1]]}}
    assert [a.slug for a in site.undated] == ["u"]


def test_editor_corrections_merge_and_drop_people():
    canonical = {"Putin": "Vladimir Putin", "Akismet": None}.get
    site = build_site(
        [make("x", "2020-01-01", people=["Putin", "Vladimir Putin", "Akismet"])],
        canonical=lambda n: canonical(n, n),
    )
    assert list(site.people) == ["vladimir-putin"]


def test_drafts_and_future():
    now = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    draft, future = make("d", "2020-01-01", draft=True), make("f", "2022-01-01")
    assert not is_published(draft, now, False, False) and is_published(draft, now, True, False)
    assert not is_published(future, now, False, False) and is_published(future, now, False, True)


def test_plan_covers_every_page_type(tmp_path):
    config = load_config(tmp_path, {"page_size": 1})
    site = build_site([make("b", "2020-02-01", ["A"], ["Ann Lee"]), make("a", "2019-05-01", ["A"])])
    paths = {p.path for p in plan_pages(site, config)}
    expected = {
        "index.html", "page/2/index.html", "feed.xml", "articles/a/index.html", "articles/b/index.html",
        "tags/index.html", "tags/a/index.html", "tags/a/page/2/index.html", "tags/a/feed.xml",
        "people/index.html", "people/ann-lee/index.html", "people/ann-lee/feed.xml",
        "archive/index.html", "archive/2020/index.html", "archive/2020/02/index.html",
        "archive/2019/index.html", "archive/2019/05/index.html", "404.html", "sitemap.xml", "robots.txt",
        "search/index.html",
    }  # fmt: skip
    assert paths == expected


def test_one_spelling_per_tag_on_every_listing():
    site = build_site([make("a", "2020-01-01", ["Diplomacy"]), make("b", "2020-01-02", ["Diplomacy"]),
                       make("c", "2020-01-03", ["diplomacy"])])  # fmt: skip
    assert {t.name for a in site.articles for t in a.tags} == {"Diplomacy"}
