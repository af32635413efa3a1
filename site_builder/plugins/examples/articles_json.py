"""``/data/articles.json``: every published article's metadata as one JSON file (an ``extra_pages`` hook).

For other tools (a newsletter, a dashboard, a mobile app) that want the archive without scraping it.
The file lists the articles newest first with their title, absolute URL, dates, summary, tags, people
and authors; it is planned like any page, so it is rewritten only when what it lists changes.

Settings, in site.toml::

    [plugin_configs.articles_json]
    path = "data/articles.json"     # the default
"""

from __future__ import annotations

import json

from site_builder.errors import SiteError

NAME = "articles_json"
DEFAULT_PATH = "data/articles.json"


def extra_pages(site, config):
    settings = config.plugin_configs.get(NAME, {})
    path = settings.get("path", DEFAULT_PATH)
    if not isinstance(path, str) or not path.endswith(".json"):
        raise SiteError(
            f"expected a path ending in .json, got {path!r}",
            config.site_dir / "site.toml",
            field=f"plugin_configs.{NAME}.path",
        )
    articles = [_entry(article, config) for article in site.articles]
    document = {"site": config.title, "url": config.base_url, "count": len(articles), "articles": articles}
    data = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return [(path, data.encode("utf-8"), None)]


def _entry(article, config) -> dict:
    return {
        "title": article.title,
        "url": config.absolute_url(article.url),
        "date": article.date.isoformat() if article.date else None,
        "updated": article.updated.isoformat() if article.updated else None,
        "summary": article.summary,
        "tags": [tag.name for tag in article.tags],
        "people": [person.name for person in article.people],
        "authors": list(article.authors),
        "words": article.word_count,
    }
