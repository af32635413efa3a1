"""Articles are slotted values: pickled (into the cache, between processes) without what is derived."""

import datetime as dt
import pickle

from site_builder.model.article import Article, Named, PersonMention, Quote
from site_builder.plan.views import teaser


def test_an_article_round_trips_through_pickle_without_its_teaser() -> None:
    article = Article(
        source="a.md", key="k", title="T", slug="t", url="articles/t/",
        date=dt.datetime(2020, 1, 2, tzinfo=dt.UTC), summary="S", summary_derived=True,
        tags=(Named("x", "X"),), people=(PersonMention("Ann Lee", "ann-lee", "MP", ((1, 2),)),),
        authors=("Bo",), quotes=(Quote("Ann Lee", "Yes."),), aliases=("old/",), word_count=3,
        extra={"k": [1]},
    )  # fmt: skip
    teaser(article)
    copy = pickle.loads(pickle.dumps(article, protocol=5))
    assert copy == article and copy.extra == article.extra and copy.people[0].mentions == ((1, 2),)
    assert copy.derived_if_made("teaser") is None and article.derived_if_made("teaser") is not None
    assert not hasattr(article, "__dict__")
