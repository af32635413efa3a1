"""Pages that are not news (About, Contact): ``content/pages/`` or ``kind: page``, at ``/<slug>/``.

They have their own template (``page.html``) and appear in the sitemap, never in listings, feeds,
archives or related articles.
"""

from __future__ import annotations

from collections.abc import Iterator

from site_builder.model.article import Article
from site_builder.model.page import Page
from site_builder.model.site import Site
from site_builder.plan.views import article_view


def standalone_page(article: Article) -> Page:
    context = {"kind": "page", "page_url": article.url, "article": article_view(article)}
    return Page(article.url + "index.html", "html", context, "page.html", article.key, article.source)


def standalone_pages(site: Site) -> Iterator[Page]:
    for article in site.pages:
        yield standalone_page(article)
