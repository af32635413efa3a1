"""Extract an article (title, date, authors, Markdown body) from a saved web page.

trafilatura finds the main text and a first guess at the metadata; htmldate (without its
extensive text search) dates the page. Both miss in ways that are common on news sites, and this
module corrects those misses with general rules, never with per-publisher hacks:

* titles: the page's structured headline (JSON-LD ``headline``) is preferred, then ``og:title``,
  ``twitter:title``, ``<title>`` and ``<h1>``; site-name suffixes and prefixes ("... | The Guardian",
  "BBC News - ...") and "| by Author" tails are cut, using the site names the page declares itself;
* authors: JSON-LD article authors (``@id`` references resolved through ``@graph``), then author meta
  tags, then a visible "By X" byline; bylines are split ("By X and Y", "A, B and C"), job titles,
  URLs, user-name slugs, publisher names and CMS accounts ("admin") are dropped;
* dates: JSON-LD ``datePublished`` and publication meta tags keep the time and zone the page gives;
  htmldate is the fallback;
* body: trafilatura's Markdown, with boilerplate paragraphs (share prompts, newsletter sign-ups,
  "Advertisement", ...) removed by the patterns in ``html_boilerplate.txt``.

trafilatura is a dependency of the package; should it be missing (a broken environment),
:func:`extract_html` raises
:class:`HtmlExtractionError` telling the user what to install.

Modules: decode (bytes to text), meta (what the page states about itself), site_names, title, authors
and bylines (where authors are found; how a byline becomes names), published (the date), body, and page
(the entry point, :func:`extract_html`).
"""

from site_builder.importer.extract.html.decode import DecodedHtml, HtmlExtractionError, decode_html
from site_builder.importer.extract.html.page import HtmlExtraction, extract_html

__all__ = ["DecodedHtml", "HtmlExtraction", "HtmlExtractionError", "decode_html", "extract_html"]
