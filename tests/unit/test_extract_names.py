"""People: full names, roles, short mentions, offsets; organisations, places and nationalities never."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.importer.extract.names import find_people


def people(text: str) -> dict[str, object]:
    return {p.name: p for p in find_people(text)}


def test_short_mentions_link_to_the_full_name_with_offsets():
    text = "Chancellor Angela Merkel met Mr Macron. Ms Merkel's aides said Merkel was tired."
    found = people(text)
    assert set(found) == {"Angela Merkel", "Macron"}
    merkel = found["Angela Merkel"]
    assert merkel.role == "Chancellor"
    assert [text[s:e] for s, e in merkel.mentions] == ["Angela Merkel", "Merkel", "Merkel"]


def test_organisations_places_and_nationalities_are_not_people():
    text = (
        "Analysts at Morgan Stanley and Georgia Power said the White House and the Kremlin disagreed. "
        "North Korean officials in New York met the Security Council. "
        "Leave a Reply. This site uses Akismet to reduce spam."
    )
    assert people(text) == {}


def test_role_nouns_titles_and_appositions():
    text = (
        "Striker Alan Shearer scored twice. Foreign Minister Jose Insulza arrived on Monday. "
        "Zelimkhan Yandarbiyev, president of the self-declared republic, said talks were over."
    )
    found = people(text)
    assert set(found) == {"Alan Shearer", "Jose Insulza", "Zelimkhan Yandarbiyev"}
    assert found["Jose Insulza"].role == "Foreign Minister"


def test_results_lists_initials_and_coordinated_names():
    text = (
        "1. Venuste Niyongabo (Burundi) 3:51.01\n"
        "2. Noureddine Morceli (Algeria) 3:52.00\n"
        "Glamorgan 259 (A. Dale 69, H. Morris 69)\n"
        "He got homers from Mariano Duncan, Darryl Strawberry and Jim Leyritz.\n"
    )
    assert set(people(text)) == {
        "Venuste Niyongabo",
        "Noureddine Morceli",
        "A. Dale",
        "H. Morris",
        "Mariano Duncan",
        "Darryl Strawberry",
        "Jim Leyritz",
    }


def test_headline_capitals_only_link_to_names_in_the_text():
    text = "MITCHELL DEFEATS BAILEY IN BERLIN\n\nAmerican Dennis Mitchell beat Donovan Bailey on Friday."
    found = people(text)
    assert set(found) == {"Dennis Mitchell", "Donovan Bailey"}
    assert [text[s:e] for s, e in found["Dennis Mitchell"].mentions] == ["MITCHELL", "Dennis Mitchell"]


def test_hyphenated_compound_mentions_both_people():
    text = "Donald Trump and Vladimir Putin may meet. A Trump-Putin summit is not planned."
    found = people(text)
    assert [text[s:e] for s, e in found["Vladimir Putin"].mentions] == ["Vladimir Putin", "Putin"]


NAMES = st.sampled_from(["Maria Lopez", "John Smith", "Olga Ivanova", "Mr Chen", "President Diaz"])
FILLER = st.sampled_from(["said", "met", "and", "the", "report", "on Monday", ".", ",", "\n\n"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NAMES, FILLER), max_size=15))
def test_mentions_are_valid_spans_of_the_name(pairs):
    text = " ".join(f"{name} {filler}" for name, filler in pairs)
    for person in find_people(text):
        for start, end in person.mentions:
            assert 0 <= start < end <= len(text)
            assert text[start:end].casefold() in {
                person.name.casefold(),
                *(w.casefold() for w in person.name.split()),
            }


def test_a_list_of_surnames_naming_people_of_the_article_is_a_list_of_people():
    text = (
        "Gary Breen, Ian Harte and Niall Quinn are in the side.\n\n"
        "The team is as follows:\n\nGiven, Breen, Staunton, Irwin, Harte, Quinn.\n\n"
        "They play in Dublin, Cork, Galway and Limerick."
    )
    found = people(text)
    assert {"Given", "Staunton", "Irwin"} <= set(found)
    assert not {"Dublin", "Cork", "Galway", "Limerick"} & set(found)
