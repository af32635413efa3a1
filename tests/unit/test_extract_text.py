"""Plain text: title, the truncated duplicate headline, paragraphs, boilerplate rules."""

from __future__ import annotations

import pytest

from site_builder.errors import SiteError
from site_builder.importer.extract.boilerplate import (
    default_rules,
    load_rules,
    parse_rules,
    remove_boilerplate,
)
from site_builder.importer.extract.text import parse_plain_text, to_markdown


def test_title_is_the_first_line_and_paragraphs_follow():
    parsed = parse_plain_text("Budget row deepens\n\nFirst paragraph here.\n\nSecond one.\n")
    assert parsed.title == "Budget row deepens"
    assert parsed.paragraphs == ["First paragraph here.", "Second one."]


def test_truncated_duplicate_headline_is_replaced_by_the_full_one():
    text = (
        "Talks stall as minister warns...\n\nTalks stall as minister warns of 'long winter'\n\n\nBody text.\n"
    )
    parsed = parse_plain_text(text)
    assert parsed.title == "Talks stall as minister warns of 'long winter'"
    assert parsed.paragraphs == ["Body text."]


def test_unicode_ellipsis_and_exact_repeat_are_dropped_too():
    assert parse_plain_text("Rain again…\nRain again in May\nText.").title == "Rain again in May"
    assert parse_plain_text("Same headline\nSame headline\nText.").paragraphs == ["Text."]


def test_a_different_second_line_is_not_taken_for_the_headline():
    parsed = parse_plain_text("Storm hits coast...\nResidents were told to leave.\n")
    assert parsed.title == "Storm hits coast..."
    assert parsed.paragraphs == ["Residents were told to leave."]


def test_one_paragraph_a_line_and_hard_wrapped_lines():
    wrapped = (
        "Title\n\nThis sentence was wrapped by an old mail program at about seventy\n"
        "characters and continues here.\nA new paragraph.\n"
    )
    assert parse_plain_text(wrapped).paragraphs == [
        "This sentence was wrapped by an old mail program at about seventy characters and continues here.",
        "A new paragraph.",
    ]


def test_crlf_bom_and_control_characters_are_normalised():
    parsed = parse_plain_text("\ufeffTitle\r\n\r\nText\x07 here.\r\n")
    assert parsed.title == "Title"
    assert parsed.paragraphs == ["Text here."]


def test_markdown_body_keeps_text_as_text():
    assert (
        to_markdown(["# not a heading", "> not a quote", "plain"])
        == "\\# not a heading\n\n\\> not a quote\n\nplain"
    )


def test_comment_form_and_share_prompts_are_removed():
    paragraphs = [
        "The minister spoke for an hour about the budget and the economy.",
        "Advertisement",
        "Share this article",
        "More text of the article that matters to readers.",
        "Leave a Reply",
        "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
        "Your email address will not be published.",
    ]
    assert remove_boilerplate(paragraphs, default_rules()) == [paragraphs[0], paragraphs[3]]


def test_cookie_and_copyright_lines_go_but_long_paragraphs_stay():
    long = "Advertisement revenue fell sharply last year, " * 10
    paragraphs = ["Body one.", long, "We use cookies to improve your experience.", "© 2017 Example News"]
    assert remove_boilerplate(paragraphs, default_rules()) == ["Body one.", long]


def test_a_cut_rule_early_in_the_article_only_drops_its_own_paragraph():
    paragraphs = ["Related articles", "Real text one.", "Real text two.", "Real text three."]
    assert remove_boilerplate(paragraphs, default_rules()) == paragraphs[1:]


def test_site_rules_extend_the_shipped_ones(tmp_path):
    (tmp_path / "boilerplate.txt").write_text("# ours\ndrop: ^Subscribe to the Eastbridge Gazette\n")
    rules = load_rules(tmp_path)
    kept = remove_boilerplate(["Text.", "Subscribe to the Eastbridge Gazette today!", "Leave a Reply"], rules)
    assert kept == ["Text."]


def test_a_bad_rule_names_the_file_and_line():
    with pytest.raises(SiteError) as error:
        parse_rules("drop: fine\nremove: nope\n", "site/boilerplate.txt")
    assert error.value.line == 2
    with pytest.raises(SiteError):
        parse_rules("drop: (unclosed\n")
