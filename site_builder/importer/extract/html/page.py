"""One saved web page in, title, date, authors, body and page facts out (see the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from site_builder.importer.extract.html.authors import choose_authors
from site_builder.importer.extract.html.body import clean_body
from site_builder.importer.extract.html.decode import HtmlExtractionError, decode_html
from site_builder.importer.extract.html.meta import PageMeta, clean_text, read_page_meta
from site_builder.importer.extract.html.published import choose_date
from site_builder.importer.extract.html.site_names import site_names
from site_builder.importer.extract.html.title import choose_title

INSTALL_HINT = (
    "HTML import needs trafilatura, a dependency of site-builder: reinstall it (pip install site-builder)"
)


@dataclass(frozen=True)
class HtmlExtraction:
    """What we know about one saved web page.

    ``date`` is timezone-aware when the page states a zone; when only the day is known it is midnight
    of that day, naive. ``warnings`` says when the bytes had to be decoded with a fallback charset.
    """

    title: str
    date: datetime | None
    authors: list[str]
    body: str
    source_url: str | None
    site_name: str | None
    language: str | None
    warnings: tuple[str, ...] = field(default=())


def extract_html(raw: bytes, source: str) -> HtmlExtraction:
    """Extract title, date, authors, Markdown body, canonical URL, site name and language from a page.

    ``raw`` is the saved file's bytes (``.html`` or ``.html.gz``); ``source`` names it in errors.
    """
    try:
        import lxml.html
        import trafilatura
        from trafilatura.xml import xmltotxt
    except ImportError as err:
        raise HtmlExtractionError(f"{INSTALL_HINT} ({err})", path=source) from err
    try:
        decoded = decode_html(raw)
    except HtmlExtractionError as err:
        raise HtmlExtractionError(err.message, path=source) from None
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decoded.text)
    if not text.strip():
        raise HtmlExtractionError("empty page", path=source)
    if "\x00" in text[:4096] or not re.search(r"<\s*[a-zA-Z!?]", text[:65536]):
        raise HtmlExtractionError("not an HTML page (binary data or no markup)", path=source)
    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as err:
        raise HtmlExtractionError(f"not an HTML page ({err})", path=source) from err
    page = read_page_meta(tree)
    doc = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    url = page.canonical or (doc.url if doc else None)
    names = site_names(page, url, doc.sitename if doc else None)
    title = choose_title(page, names, doc.title if doc else None)
    titles = [title, clean_text((page.article or {}).get("headline")), page.first("og:title"), *page.h1[:3]]
    body = clean_body(xmltotxt(doc.body, include_formatting=True) if doc else "", filter(None, titles))
    language = _language(page)
    authors = choose_authors(page, tree, names, doc.author if doc else None, body=body, language=language)
    return HtmlExtraction(
        title=title,
        date=choose_date(page, tree, url),
        authors=authors,
        body=body,
        source_url=url,
        site_name=names[0] if names else None,
        language=language,
        warnings=(decoded.warning,) if decoded.warning else (),
    )


def _language(page: PageMeta) -> str | None:
    """BCP 47 tag from <html lang>, Content-Language, og:locale or JSON-LD inLanguage ("en-GB")."""
    article = page.article or {}
    declared = (page.html_lang, page.first("content-language"), page.first("og:locale"))
    for value in (*declared, article.get("inLanguage")):
        if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*", value.strip()):
            parts = value.strip().replace("_", "-").split("-")
            return "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])
    return None
