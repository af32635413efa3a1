"""Properties of the input side that must hold for any input, checked with hypothesis.

- the front-matter parser (and the whole reader, bytes in) raises nothing but SiteError;
- a slug is one non-empty path segment that never leaves its folder;
- every URL the reader and the planner build stays inside output/;
- any metadata and body round-trip through the content writer (``dump_document``) and the parser.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.config import load_config
from site_builder.errors import SiteError
from site_builder.model.site import build_site as group_site
from site_builder.model.slugs import slugify
from site_builder.plan.pages import plan_pages
from site_builder.sources.frontmatter import dump_document, parse_document
from site_builder.sources.markup import MarkdownRenderer
from site_builder.sources.reader import permalink, read_article

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PATTERNS = [
    "articles/{slug}/",
    "{year}/{month}/{slug}/",
    "{year}/{month}/{day}/{slug}/",
    "{slug}/",
    "news/{year}/{slug}/",
]

# Text that looks like front matter: fences, keys, YAML and TOML syntax, tricky characters.
TOKENS = st.sampled_from(
    ["---", "+++", "\n", "\r\n", "\t", " ", ":", "=", "- ", "[", "]", "{", "}", "&a", "*a", "!!",
     "!!python/object", "title", "date", "tags", "'", '"', "#", "|", ">", "?", "\\", "\x00", "\x0c", "\ufeff",
     "2017-02-30", "~", "1" + "0" * 4400, "<<", "%YAML 1.1", "Title", "\u2028", "é"]
)  # fmt: skip
FRONT_MATTER_LIKE = st.lists(st.one_of(TOKENS, st.text(max_size=8)), max_size=40).map("".join)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    site = tmp_path_factory.mktemp("props")
    (site / "content").mkdir()
    (site / "site.toml").write_text('base_url = "https://example.org/news/"\n', encoding="utf-8")
    return load_config(site)


@pytest.fixture(scope="module")
def renderer():
    return MarkdownRenderer()


@FAST
@given(st.one_of(st.text(), FRONT_MATTER_LIKE, FRONT_MATTER_LIKE.map(lambda t: "---\n" + t + "\n---\nbody")))
@example("---\na: &a [1]\nb: *a\n---\n")
@example("+++\na = " + "[" * 3000 + "]" * 3000 + "\n+++\n")
@example("---\n? [a]\n: b\n---\n")
def test_front_matter_parser_raises_only_site_errors(text):
    try:
        doc = parse_document(text, "content/x.md")
    except SiteError as error:
        assert error.path == "content/x.md"
        return
    assert isinstance(doc.meta, dict) and isinstance(doc.body, str)


@FAST
@given(
    st.one_of(st.binary(max_size=300), FRONT_MATTER_LIKE.map(lambda t: ("---\n" + t + "\n---\n").encode()))
)
def test_reading_any_bytes_raises_only_site_errors(config, renderer, data):
    try:
        article, _ = read_article(data, "x.md", config, renderer, "key")
    except SiteError as error:
        assert str(error.path).endswith("x.md")
        return
    assert article.title and article.slug


@given(st.text())
@example("../../etc/passwd")
@example("CON")
@example(".")
@example("")
def test_a_slug_is_one_segment_that_never_leaves_its_folder(text):
    slug = slugify(text)
    assert slug and slug.strip("-") and set(slug) <= set(string.ascii_lowercase + string.digits + "-")
    assert posixpath.dirname(posixpath.normpath(f"/out/articles/{slug}")) == "/out/articles"


DATES = st.one_of(
    st.none(), st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31))
)


def inside_output(path: str) -> bool:
    """A relative POSIX path that no '..', '.', empty or absolute part can take out of output/."""
    parts = path.split("/")
    return (
        bool(path)
        and not path.startswith("/")
        and "\\" not in path
        and all(part not in {".", ".."} for part in parts)
        and "" not in parts[:-1]
        and posixpath.normpath("/out/" + path).startswith("/out/")
    )


@given(st.sampled_from(PATTERNS), st.text(), DATES)
def test_permalinks_stay_inside_output(pattern, title, date):
    url = permalink(pattern, slugify(title), date)
    assert url.endswith("/") and inside_output(url + "index.html")


SHORT = st.text(max_size=30)
META = st.fixed_dictionaries(
    {"title": SHORT.filter(str.strip)},
    optional={
        "slug": SHORT,
        "date": st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
        "tags": st.lists(SHORT, max_size=4),
        "people": st.lists(
            st.one_of(SHORT, st.fixed_dictionaries({"name": SHORT, "slug": SHORT})), max_size=3
        ),
        "aliases": st.lists(
            st.sampled_from(["/old/", "../../x", "//evil/", "a/./b", "/caf%C3%A9/", "x.html"])
        ),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(META, min_size=1, max_size=5))
def test_every_planned_page_stays_inside_output(config, renderer, metas):
    """Articles read from any titles, slugs, tags, people and aliases only ever plan paths inside output/."""
    articles = []
    for index, meta in enumerate(metas):
        text = dump_document(meta, "Body.")
        try:
            article, _ = read_article(text.encode(), f"{index}.md", config, renderer, f"k{index}")
        except SiteError:
            continue
        articles.append(article)
    try:
        site = group_site(articles)
    except SiteError:  # two articles on one URL: a clear error, nothing planned
        return
    for page in plan_pages(site, config):
        assert inside_output(page.path), page.path


KEYS = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=12)
SCALARS = st.one_of(
    st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)


def normal_body(body: str) -> str:
    """What the writer promises for a body: LF line endings, no blank lines around it, one final newline."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return text + "\n" if text else ""


@FAST
@given(st.dictionaries(KEYS, VALUES, max_size=6), st.text())
@example({"title": "---", "summary": "a\n---\nb"}, "---\nnot front matter\n---\n")
@example({"title": "2017-02-30", "x": "yes", "y": "null", "z": "0x1F"}, "")
@example({"title": " padded \n\n trailing  \n"}, "\r\n\r\nbody\r\n")
@example({"_": "0\n"}, "")  # a block scalar's final line break is kept (found by hypothesis)
def test_any_text_round_trips_through_the_content_writer(meta, body):
    text = dump_document(meta, body)
    assert text == dump_document(meta, body)  # deterministic
    doc = parse_document(text, "x.md")
    assert doc.meta == meta
    assert doc.body == normal_body(body)
