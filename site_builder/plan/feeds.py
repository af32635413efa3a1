"""The feeds of a listing (the site, a tag, a person, a section, an author): Atom, RSS 2.0 and JSON Feed
1.1, as the site's ``feeds`` setting asks, with summaries or whole articles (``feed_content``).

Each format is its own planned page reading the same entries; with full content an entry also carries
its article's content key, so the feed changes when an article's body does, and the renderer streams
the bodies from the cache.
"""

from __future__ import annotations

from site_builder.config import SiteConfig
from site_builder.model.article import Article, iso
from site_builder.model.page import Page
from site_builder.plan.images import figures_view
from site_builder.plan.views import teaser

# format -> (file name under the listing's URL, page kind rendered by site_builder.render)
FEED_FILES = {"atom": ("feed.xml", "feed"), "rss": ("rss.xml", "rss"), "json": ("feed.json", "jsonfeed")}
FEED_KINDS = frozenset(kind for _, kind in FEED_FILES.values())


def feed_pages(base: str, title: str, articles: list[Article], config: SiteConfig) -> list[Page]:
    """One page per configured format for the listing at *base* (newest *feed_size* articles)."""
    full = config.feed_content == "full"
    entries = []
    for article in articles[: config.feed_size]:
        entry = {
            **teaser(article),
            "updated": iso(article.updated or article.date),
            "authors": list(article.authors),
        }
        if full:  # the body is streamed at render time; its images are rewritten as on the page
            entry["key"] = article.key
            if article.figures:
                entry["figures"] = figures_view(article.figures)
        entries.append(entry)
    context = {"title": title, "url": base, "entries": entries}
    if len(config.feeds) > 1 or full:  # every format links the others; ([atom] alone: as it always was)
        context["formats"] = list(config.feeds)
        context["content"] = config.feed_content
    return [Page(base + FEED_FILES[name][0], FEED_FILES[name][1], context) for name in config.feeds]
