"""First mentions of people in article bodies become links to their pages."""

from site_builder.render.linking import link_people
from site_builder.sources.markup import MarkdownRenderer


def url(path):
    return "/news/" + path


def render(markdown):
    return MarkdownRenderer().render(markdown).html


def person(name, mentions=(), slug=None):
    slug = slug or name.lower().replace(" ", "-")
    return {"name": name, "url": f"people/{slug}/", "mentions": [list(m) for m in mentions]}


def test_offsets_pick_the_mentioned_occurrence_even_by_family_name():
    md = "Mr **Putin** arrived. Later, Vladimir Putin spoke and Putin left."
    start = md.index("Putin spoke") - len("Vladimir ")
    linked = link_people(render(md), [person("Vladimir Putin", [(start, start + 14)])], url)
    assert '<a class="person" href="/news/people/vladimir-putin/">Vladimir Putin</a> spoke' in linked
    assert linked.count("<a ") == 1
    short = md.index("Putin left")
    linked = link_people(render(md), [person("Vladimir Putin", [(short, short + 5)])], url)
    assert 'and <a class="person" href="/news/people/vladimir-putin/">Putin</a> left' in linked


def test_markdown_text_gives_the_exact_occurrence():
    md = "Putin, then [a link](https://example.org) and Putin again."
    second = md.rindex("Putin")
    linked = link_people(render(md), [person("Vladimir Putin", [(second, second + 5)])], url, md)
    assert linked.index('class="person"') > linked.index("a link")


def test_without_offsets_the_first_occurrence_of_the_name_is_linked():
    html = render("Anna Berg met Tom. Anna Berg left.")
    linked = link_people(html, [person("Anna Berg")], url)
    assert linked.startswith('<p><a class="person" href="/news/people/anna-berg/">Anna Berg</a> met')
    assert linked.count("Anna Berg</a>") == 1


def test_never_inside_links_code_or_attributes():
    md = '[Anna Berg](https://example.org "Anna Berg") and `Anna Berg` and <abbr title="Anna Berg">AB</abbr>'
    html = render(md)
    assert link_people(html, [person("Anna Berg")], url) == html


def test_entities_and_markup_around_the_name_survive():
    html = render('Tom & Jerry met *Anna Berg* &mdash; "Anna" said')
    linked = link_people(html, [person("Anna Berg")], url)
    assert '<em><a class="person" href="/news/people/anna-berg/">Anna Berg</a></em>' in linked
    assert "Tom &amp; Jerry" in linked


def test_unknown_names_and_missing_urls_leave_the_body_alone():
    html = render("Nobody here.")
    assert link_people(html, [person("Anna Berg"), {"name": "Nobody", "url": None}], url) == html


def test_a_url_with_quotes_is_escaped():
    linked = link_people(render("Anna Berg"), [person("Anna Berg", slug='x"y')], url)
    assert 'href="/news/people/x&quot;y/"' in linked
