"""The people index and a person's quotes, in pages of bounded size.

An imported archive names hundreds of people (thousands at 100,000 articles) and a politician is
quoted hundreds of times: one page of them all would weigh megabytes. The A–Z index is cut into pages
of at most PEOPLE_PER_PAGE names, at a letter where it can (a letter with more names than that is cut
inside), every page listing all the letters, each linked to where it starts; ``/people/`` keeps the
most mentioned. A person's page shows their QUOTES_SHOWN newest quotes and links to every quote, in
pages of ``page_size`` at ``/people/<slug>/quotes/``.

Paths are clash-free: a person's own pages are ``people/<slug>/…``, and the index's later pages
``people/page/<n>/``, which a person slugged ``page`` does not use (their second page is
``people/page/page/2/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from site_builder.config import SiteConfig
from site_builder.model.page import Page
from site_builder.model.site import Person, Site
from site_builder.plan.views import people_a_to_z, person_view

PEOPLE_PER_PAGE = 300  # names on one page of the A-Z index
QUOTES_SHOWN = 5  # quotes on a person's first page; the others are on their quotes pages
MOST_MENTIONED = 30


def index_url(number: int) -> str:
    return "people/" if number == 1 else f"people/page/{number}/"


def people_index_pages(site: Site, limit: int | None = None) -> list[Page]:
    """``/people/`` (the most mentioned, then the A-Z) and the A-Z's later pages (*limit* names a page,
    PEOPLE_PER_PAGE unless given)."""
    people = sorted(site.people.values(), key=lambda p: (-len(p.articles), p.name.lower()))
    pages = _cut(people_a_to_z(people), limit or PEOPLE_PER_PAGE)
    initials = [  # every letter, linked to the page where it starts
        {"letter": group["letter"], "id": group["id"], "url": index_url(number)}
        for number, groups in enumerate(pages, 1)
        for group in groups
        if not group["continued"]
    ]
    result = []
    for number, groups in enumerate(pages, 1):
        context: dict[str, Any] = {
            "kind": "people",
            "page_url": index_url(number),
            "letters": groups,
            "initials": initials,
            "pagination": _pagination(number, len(pages), len(people)),
        }
        if number == 1:
            context["people"] = [person_view(p) for p in people[:MOST_MENTIONED]]
        result.append(Page(index_url(number) + "index.html", "html", context, "people.html"))
    return result


def _cut(groups: list[dict[str, Any]], limit: int) -> list[list[dict[str, Any]]]:
    """The letters' groups in pages of at most *limit* names; a longer letter is cut into parts (the
    later ones marked ``continued``). Always at least one page."""
    pages: list[list[dict[str, Any]]] = [[]]
    size = 0
    for group in groups:
        names = group["people"]
        if size and size + len(names) > limit:
            pages.append([])
            size = 0
        for start in range(0, len(names), limit):
            part = names[start : start + limit]
            if start:
                pages.append([])
                size = 0
            pages[-1].append({**group, "people": part, "continued": bool(start)})
            size += len(part)
    return pages


def _pagination(number: int, count: int, total: int) -> dict[str, Any]:
    return {
        "number": number,
        "pages": count,
        "total": total,
        "previous": index_url(number - 1) if number > 1 else None,
        "next": index_url(number + 1) if number < count else None,
        "first": index_url(1),
    }


def first_page_quotes(person: Person, quotes: list[dict[str, Any]]) -> dict[str, Any]:
    """What the person's first page shows of their *quotes*: the newest, and a link to all of them."""
    more = len(quotes) > QUOTES_SHOWN
    return {
        "quotes": quotes[:QUOTES_SHOWN],
        "quotes_total": len(quotes),
        "quotes_url": f"{person.url}quotes/" if more else None,
    }


def quote_pages(person: Person, quotes: list[dict[str, Any]], config: SiteConfig) -> Iterator[Page]:
    """Every quote of the person, ``page_size`` a page, newest first (none when page 1 shows them all)."""
    if len(quotes) <= QUOTES_SHOWN:
        return
    base, size = f"{person.url}quotes/", config.page_size
    count = -(-len(quotes) // size)
    for number in range(1, count + 1):
        url = base if number == 1 else f"{base}page/{number}/"
        pagination = {
            "number": number,
            "pages": count,
            "total": len(quotes),
            "previous": (base if number == 2 else f"{base}page/{number - 1}/") if number > 1 else None,
            "next": f"{base}page/{number + 1}/" if number < count else None,
            "first": base,
        }
        context = {
            "kind": "person-quotes",
            "page_url": url,
            "person": person_view(person),
            "quotes": quotes[(number - 1) * size : number * size],
            "pagination": pagination,
        }
        yield Page(url + "index.html", "html", context, "person_quotes.html")
