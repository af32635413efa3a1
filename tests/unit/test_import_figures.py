"""Imported articles keep the figures of their bodies: placed after the paragraph they followed, as
Markdown images with their caption, once the text was analysed (mentions move past them)."""

from __future__ import annotations

import lxml.html

from site_builder.importer.analysis import ExtractionContext, extract_html_bytes
from site_builder.importer.extract import ExtractedArticle, ExtractedPerson
from site_builder.importer.extract.figures import PlacedFigure, figure_markdown, page_figures, place_figures
from site_builder.importer.fragments import fragment_to_markdown

URL = "https://news.example.org/2024/05/harbour.html"
FIRST = "The harbour reopened on Monday after three weeks of repairs to the sea wall, the port said."
SECOND = "Anna Berg, the harbour master, said the boats would leave at dawn on Tuesday morning."
THIRD = "Fishermen had waited a month for the storm damage to be cleared from the quays."


def figure(src: str, caption: str = "", credit: str = "", alt: str = "") -> str:
    credit_html = f' <span class="credit">{credit}</span>' if credit else ""
    return f'<figure><img src="{src}" alt="{alt}"><figcaption>{caption}{credit_html}</figcaption></figure>'


PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Harbour reopens | The Example News</title>
<meta property="og:title" content="Harbour reopens"><link rel="canonical" href="{URL}">
<meta property="og:image" content="https://cdn.example.org/lead.jpg"></head><body>
<nav><a href="/">Home</a></nav>
<article><h1>Harbour reopens</h1>
{figure("https://cdn.example.org/lead.jpg", "The lead picture")}
<p>{FIRST}</p>
{figure("/media/boats.jpg", 'Boats at the "new" quay.', "Photo: Ana Diaz", "Boats")}
<p>{SECOND}</p>
<p>{THIRD}</p>
<aside><p>Read more: an unrelated teaser about something else entirely</p>
{figure("https://cdn.example.org/teaser.jpg", "A teaser")}</aside>
{figure("https://cdn.example.org/logo.svg", "Our logo")}
</article></body></html>"""


def test_a_figure_goes_after_the_paragraph_it_followed_with_its_caption_and_credit():
    article = extract_html_bytes(PAGE.encode(), "harbour.html", ExtractionContext.for_site(None))
    blocks = article.body.split("\n\n")
    images = [block for block in blocks if block.startswith("![")]
    assert images == [
        "![Boats](https://news.example.org/media/boats.jpg"
        ' "Boats at the &quot;new&quot; quay. Photo: Ana Diaz")'
    ]  # the lead image is the front matter's, the teaser's is not in the body, an SVG logo is no photo
    assert blocks.index(images[0]) == blocks.index(FIRST) + 1
    assert article.front_matter["image"]["src"] == "https://cdn.example.org/lead.jpg"
    anna = next(person for person in article.people if person.name == "Anna Berg")
    assert [article.body[start:end] for start, end in anna.mentions][0] == "Anna Berg"


def test_page_figures_need_an_anchor_in_the_body():
    tree = lxml.html.document_fromstring(PAGE)
    body = f"{FIRST}\n\n{THIRD}"  # SECOND left out by the extractor: the figure still follows FIRST
    placed = page_figures(tree, URL, body, "https://cdn.example.org/lead.jpg")
    assert [(p.after, p.image["src"]) for p in placed] == [(1, "https://news.example.org/media/boats.jpg")]
    assert page_figures(tree, URL, THIRD, None)[0].after == 0  # only the un-anchored lead figure remains


def test_placing_figures_moves_mentions_and_keeps_page_order():
    body = f"{FIRST}\n\n{SECOND}"
    start = body.index("Anna Berg")
    article = ExtractedArticle(source="x", title="t", body=body)
    article.people = [ExtractedPerson("Anna Berg", "anna-berg", mentions=[(start, start + 9)])]
    first = {"src": "https://a.example/1.jpg", "alt": "one"}
    second = {"src": "https://a.example/2.jpg", "alt": "two", "caption": "Two"}
    top = {"src": "https://a.example/0.jpg"}
    place_figures(article, [PlacedFigure(1, first), PlacedFigure(1, second), PlacedFigure(0, top)])
    assert article.body.split("\n\n") == [
        "![](https://a.example/0.jpg)",
        FIRST,
        "![one](https://a.example/1.jpg)",
        '![two](https://a.example/2.jpg "Two")',
        SECOND,
    ]
    (mention,) = article.people[0].mentions
    assert article.body[mention[0] : mention[1]] == "Anna Berg"


def test_figure_markdown_escapes_what_would_break_the_image():
    image = {"src": "https://a.example/x (1).jpg", "alt": "a [b]", "caption": 'He said "no"'}
    markdown = figure_markdown(image)
    assert markdown == '![a \\[b\\]](https://a.example/x%20%281%29.jpg "He said &quot;no&quot;")'


def test_a_wordpress_fragment_keeps_its_figures_in_place():
    html = (
        f"<p>{FIRST}</p>\n"
        '[caption id="a1" align="alignnone"]'
        '<img src="/wp-content/uploads/boats.jpg" alt="Boats"> Boats at dawn'
        "[/caption]\n\n"
        f"<p>{SECOND}</p>"
    )
    fragment = fragment_to_markdown(html, "https://old.example.com/2017/04/13/harbour/", "Harbour")
    assert "SBFIGURE" not in fragment.markdown
    assert fragment.markdown.split("\n\n") == [FIRST, SECOND]
    (placed,) = fragment.figures
    boats = "https://old.example.com/wp-content/uploads/boats.jpg"
    assert placed.after == 1 and placed.image["src"] == boats
    assert placed.image["caption"] == "Boats at dawn"
    assert fragment.images == [{"url": boats, "alt": "Boats"}]
