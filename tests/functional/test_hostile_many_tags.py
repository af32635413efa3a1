"""Many tags or people on one article cost linear time and output (issue 15, item 7).

Each tag page listed the article with every one of its tags: 2,000 tags took ~25 s and ~290 MB,
50,000 filled 4.8 GB; 10,000 people on one article took 72 s. One article now carries at most
MAX_TAGS tags and MAX_PEOPLE people (a located error past that), and a listing shows at most
TEASER_TAGS of its tags (its own page shows them all).
"""

from __future__ import annotations

import re

import pytest

from site_builder.errors import SiteError
from site_builder.plan.views import TEASER_TAGS, TOP_COUNT
from site_builder.sources.reader import MAX_PEOPLE, MAX_TAGS


def _tags(count: int) -> str:
    return "[" + ", ".join(f"topic {n}" for n in range(count)) + "]"


def test_too_many_tags_is_a_located_error(site):
    site.article("fine", "Fine")
    site.article("tagged", "Tagged", tags=_tags(MAX_TAGS + 50))
    with pytest.raises(SiteError) as refused:
        site.build()
    assert str(refused.value).startswith(
        f"content/tagged.md:4: field 'tags': {MAX_TAGS + 50} entries; an article may carry at most {MAX_TAGS}"
    )
    assert not site.output.exists()


def test_too_many_people_is_a_located_error(site):
    people = "\n" + "\n".join(f"  - Person Number{n}" for n in range(MAX_PEOPLE + 1))
    site.article("crowd", "Crowd", people=people)
    with pytest.raises(SiteError) as refused:
        site.build()
    assert str(refused.value).startswith("content/crowd.md:4: field 'people': ")
    assert f"at most {MAX_PEOPLE}" in str(refused.value)


def test_listings_show_a_bounded_number_of_an_articles_tags(site):
    site.article("tagged", "Tagged", tags=_tags(MAX_TAGS))
    site.article("other", "Other", date="2020-01-02", tags="[topic 0]")
    site.build()
    article = (site.output / "articles/tagged/index.html").read_text()
    assert len(re.findall(r'<li><a href="/tags/topic-\d+/">', article)) == MAX_TAGS
    for number in (0, MAX_TAGS - 1):
        listing = (site.output / f"tags/topic-{number}/index.html").read_text()
        links = re.findall(r"href=\"/tags/topic-\d+/\"", listing)
        assert len(links) <= TEASER_TAGS + TOP_COUNT + 2  # + related tags, the page itself
        feed = (site.output / f"tags/topic-{number}/feed.xml").read_text()
        assert feed.count("<category ") <= 2 * TEASER_TAGS
    sizes = [path.stat().st_size for path in (site.output / "tags").rglob("index.html")]
    assert max(sizes) < 3 * min(sizes)  # no tag page grows with the number of tags
