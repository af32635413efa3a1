"""Tags: countries in canonical spelling, organisations, topics."""

from __future__ import annotations

from site_builder.importer.extract.tags import find_tags


def test_countries_use_one_spelling_whatever_the_text_says():
    tags = find_tags(
        "Talks in Moscow", "Russian officials met U.S. envoys. The Russian Federation and the US agreed."
    )
    assert tags[:2] == ["Russia", "United States"]
    assert "Russian Federation" not in tags and "U.S." not in tags


def test_organisations_from_org_words_and_known_names():
    body = (
        "The Security Council met. The Security Council agreed. The Kremlin said nothing. The Kremlin waited."
    )
    tags = find_tags("UN move", body)
    assert "Security Council" in tags and "Kremlin" in tags


def test_topics_need_repeated_distinct_keywords():
    body = "The election campaign began. Voters will cast a ballot in the election next week."
    assert "Elections" in find_tags("Vote", body)
    assert "Elections" not in find_tags("Vote", "One election.")


def test_people_are_not_organisation_tags():
    body = "Johnson Group said so. Johnson Group said more."
    assert "Johnson Group" not in find_tags("x", body, people=frozenset({"Johnson Group"}))
