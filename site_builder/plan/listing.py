"""Numbered listing pages (the front page, tags, people, sections, authors, the undated archive)."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from site_builder.model.article import Article
from site_builder.model.page import Page
from site_builder.plan.views import teaser

__all__ = ["page_url", "paginated"]


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def paginated(
    base: str,
    template: str,
    articles: list[Article],
    size: int,
    extra: dict,
    first: dict | None = None,
    only: Collection[int] | None = None,
) -> Iterator[Page]:
    """Numbered listing pages; *first* holds what only page 1 shows (kept out of the other pages' data).

    *only* limits the output to those page numbers (an incremental plan).
    """
    count = max(1, -(-len(articles) // size))  # an empty list still gives one (empty) page
    for number in range(1, count + 1) if only is None else sorted(n for n in only if 1 <= n <= count):
        chunk = articles[(number - 1) * size : number * size]
        pagination = {
            "number": number,
            "pages": count,
            "total": len(articles),
            "previous": page_url(base, number - 1) if number > 1 else None,
            "next": page_url(base, number + 1) if number < count else None,
            "first": base,
        }
        url = page_url(base, number)
        context = {**extra, "articles": [teaser(a) for a in chunk], "pagination": pagination, "page_url": url}
        if number == 1 and first:
            context.update(first)
        yield Page(url + "index.html", "html", context, template)
