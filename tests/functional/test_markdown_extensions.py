"""Markdown extensions from site.toml: ``markdown_extensions`` adds to the default set,
``[markdown_extension_configs]`` sets their options (and the defaults'); the prose fast path steps aside."""

from __future__ import annotations

import pytest

from site_builder.errors import SiteError
from site_builder.sources.markup import MarkdownRenderer

ADMONITION = '!!! warning "Unverified"\n    The figures come from one source.\n\nThe council met.\n'


def test_an_admonition_renders(site):
    site.write("site.toml", site.settings + 'markdown_extensions = ["admonition"]\n')
    site.article("report", "Report", body=ADMONITION)
    site.build(jobs=1)
    page = (site.output / "articles/report/index.html").read_text()
    assert (
        '<div class="admonition warning">\n<p class="admonition-title">Unverified</p>\n'
        "<p>The figures come from one source.</p>\n</div>\n<p>The council met.</p>"
    ) in page


def test_adding_an_extension_renders_the_bodies_again_and_nothing_else(site):
    site.article("report", "Report", body=ADMONITION)
    site.article("plain", "Plain", date="2020-01-02", body="Nothing special here.")
    site.build(jobs=1)
    assert "!!! warning" in (site.output / "articles/report/index.html").read_text()
    site.write("site.toml", site.settings + 'markdown_extensions = ["admonition"]\n')
    report = site.build(jobs=1)
    assert "admonition-title" in (site.output / "articles/report/index.html").read_text()
    # the body changed only where the extension applies: the plain article's page is the same bytes
    assert "articles/plain/index.html" not in report.changed_paths
    assert "articles/report/index.html" in report.changed_paths
    assert site.build(jobs=1).written == 0


def test_extension_settings_apply_to_the_defaults_too(site):
    site.write("site.toml", site.settings + "[markdown_extension_configs.smarty]\nsmart_quotes = false\n")
    site.article("quote", "Quote", body='He said "yes" -- twice.')
    site.build(jobs=1)
    page = (site.output / "articles/quote/index.html").read_text()
    assert '<p>He said "yes" – twice.</p>' in page  # dashes still smart, quotes not


def test_the_prose_fast_path_steps_aside_for_other_settings():
    assert MarkdownRenderer()._prose.enabled
    assert not MarkdownRenderer(extensions=["admonition"])._prose.enabled
    assert not MarkdownRenderer(configs={"smarty": {"smart_quotes": False}})._prose.enabled
    text = 'She said "no" -- then left...'
    assert MarkdownRenderer(configs={"smarty": {"smart_quotes": False}}).render(text).html == (
        '<p>She said "no" – then left…</p>'
    )


@pytest.mark.parametrize(
    ("settings", "message", "field"),
    [
        (
            'markdown_extensions = ["no_such_extension"]\n',
            "'no_such_extension' cannot be used",
            "markdown_extensions",
        ),
        (
            'markdown_extensions = ["admonition"]\n[markdown_extension_configs.admonition]\ncolour = "red"\n',
            "'admonition' cannot be used: KeyError",
            "markdown_extensions",
        ),
        (
            "[markdown_extension_configs.tables]\nx = 1\n",
            "settings for 'tables', which is neither",
            "markdown_extension_configs",
        ),
    ],
)
def test_an_extension_that_cannot_be_used_is_named_once(site, settings, message, field):
    site.write("site.toml", site.settings + settings)
    for number in range(3):
        site.article(f"a{number}", f"A {number}")
    with pytest.raises(SiteError) as caught:
        site.build(jobs=1)
    assert message in str(caught.value) and caught.value.field == field
    assert str(caught.value).count("\n") == 0  # one error, not one per article
